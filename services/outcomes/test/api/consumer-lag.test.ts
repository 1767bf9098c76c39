import { v7 as uuidv7 } from 'uuid';
import { eventMother as events } from '../fixtures/mothers';
import {
  admin,
  startOutcomes,
  type RunningOutcomes,
} from '../fixtures/service';

let running: RunningOutcomes;

beforeAll(async () => {
  running = await startOutcomes('outcomes-consumer-lag');
});

afterAll(() => running?.stop());

const STATUS = /* GraphQL */ `
  {
    outcomesConsumerStatus {
      lag
      partitions {
        topic
        partition
        lag
      }
    }
  }
`;

const readyUrl = () => `${running.operatorUrl}/ready`;

describe('consumer lag', () => {
  it('shows admins the lag of every partition of every topic read, and its total', async () => {
    const feed = running.service.consumers[0]!;
    await running.caughtUp();
    // Held still, so the lag stays where the test puts it.
    await feed.stop();
    const standardId = uuidv7();
    await running.publish(
      ...Array.from({ length: 4 }, () =>
        events.demandRequested('2021-05-01T12:00:00Z', 10, { standardId }),
      ),
    );

    const held = await running.client.ok(STATUS, {}, admin);
    expect(held.outcomesConsumerStatus.lag).toBe(4);
    const { partitions } = held.outcomesConsumerStatus;
    // Five topics (committees, standards, certification, training, outcomes) of three partitions.
    expect(partitions).toHaveLength(15);
    const training = partitions.filter((p: any) =>
      p.topic.endsWith('conecta.training.events'),
    );
    expect(training.reduce((sum: number, p: any) => sum + p.lag, 0)).toBe(4);
    // A stopped consumer leaves the API serving (the figures age): the
    // service is degraded, with the consumer's problem, not out of rotation.
    const degraded = await fetch(readyUrl());
    expect(degraded.status).toBe(200);
    const body = (await degraded.json()) as any;
    expect(body.status).toBe('degraded');
    expect(body.checks.consumers).toMatch(/consumer not healthy/);

    await feed.start();
    await running.caughtUp();
    const resumed = await running.client.ok(STATUS, {}, admin);
    expect(resumed.outcomesConsumerStatus.lag).toBe(0);
  });

  it('is ready over HTTP while its consumer runs, once its people mirror is read', async () => {
    const ready = await fetch(readyUrl());
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { consumers: 'ok', peopleMirror: 'ok' },
    });
  });

  it('reports its consumer lag per partition and in total on /ready', async () => {
    await running.caughtUp();
    const body = (await (await fetch(readyUrl())).json()) as any;
    const [consumer] = body.details.consumers;
    expect(consumer.lag).toBe(0);
    expect(consumer.partitions).toHaveLength(15);
  });
});
