import { createOutboxWriter } from '@conecta/events';
import { createLogger, createMongo } from '@conecta/service-kit';
import { REBUILD_EXIT } from '../../src/replay';
import { createStores } from '../../src/store';
import { slotFor } from '../../src/store/generation';
import { eventMother as events } from '../fixtures/mothers';
import {
  runRebuildCommand,
  startOutcomes,
  type RunningOutcomes,
} from '../fixtures/service';
import { readModelSnapshot } from '../fixtures/snapshot';

let running: RunningOutcomes;
let stopped = false;

beforeAll(async () => {
  running = await startOutcomes('outcomes-rebuild-command');
});

afterAll(async () => {
  if (!stopped) await running?.stop();
  else await running.infra.cleanup();
});

const rebuildCommand = () =>
  runRebuildCommand(running, 'outcomes-rebuild-test');

describe('npm run outcomes:rebuild', () => {
  it('refuses while the service feeds the read models, then replays every topic into the same read models once it is stopped', async () => {
    const standard = events.standardPublished('EC0435', '2022-03-01T12:00:00Z');
    const issued = Array.from({ length: 7 }, () =>
      events.certificateIssued(standard.data.id, '2023-06-01T12:00:00Z'),
    );
    await running.publish(
      standard,
      ...issued,
      events.certificateRevoked(issued[0]!, '2024-01-01T12:00:00Z'),
      ...Array.from({ length: 5 }, (_, i) =>
        events.demandRequested(`202${i}-04-01T12:00:00Z`, 20 + i, {
          standardId: standard.data.id,
        }),
      ),
    );
    await running.caughtUp();
    await running.eventually(
      async () =>
        (await readModelSnapshot(running.service.stores)).ledger === 13,
    );
    const incremental = await readModelSnapshot(running.service.stores);

    const refused = await rebuildCommand();
    expect(refused.code).toBe(REBUILD_EXIT.REFUSED);
    expect(refused.lines.join('\n')).toMatch(
      /refused: .*service@.*\(service\)/,
    );
    // Nothing was dropped.
    expect(await readModelSnapshot(running.service.stores)).toEqual(
      incremental,
    );

    await running.service.stop();
    stopped = true;
    const rebuilt = await rebuildCommand();
    expect(rebuilt.code).toBe(REBUILD_EXIT.DONE);
    expect(rebuilt.lines[0]).toMatch(
      /^rebuilding the outcomes read models: generation 1, consumer group .*outcomes-g1/,
    );
    // Every event is replayed (the standard's publication feeds no ledger entry).
    expect(rebuilt.lines.at(-1)).toMatch(
      /^done: 14 events replayed \(14 applied, 0 skipped, 0 dead-lettered\)/,
    );

    // Read what the command wrote (the service's own connection is closed).
    const mongo = createMongo({
      uri: running.infra.mongoUri,
      logger: createLogger({ name: 'check', level: 'silent' }),
    });
    const stores = createStores(mongo.connection, createOutboxWriter());
    await mongo.start();
    try {
      expect(await readModelSnapshot(stores, slotFor(1))).toEqual(incremental);
      expect(await stores.generation.pointer()).toEqual({
        serving: slotFor(1),
        building: null,
      });
      expect(await stores.generation.liveLeases(new Date(0))).toEqual([]);
    } finally {
      await mongo.stop();
    }
  });
});
