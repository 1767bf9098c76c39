import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { ensureInfra, mongoUriWithDatabase } from '@conecta/devstack';
import {
  GraphQLRequestError,
  whenProjected,
  type GraphClient,
} from '../../packages/demo/src/graph-client';
import { openProgress } from '../../packages/demo/src/progress';

// The demo loader's progress record (real MongoDB): a resumed load must find
// the answer of every mutation the interrupted one got, also of a mutation
// whose first attempt was refused while another service's projection caught
// up (`whenProjected` retries it). Found resuming an interrupted scale-10
// load: the refused attempt had shifted the numbering, the resumed load sent
// activateAccreditation again, and it was refused as already ACTIVE.

const ACTIVATE = 'mutation { activateAccreditation(id: "a-1") { id } }';
const ADMIN = { sub: 'demo-admin', roles: ['admin'] };
const database = `d${randomBytes(4).toString('hex')}_conecta_demo`;
let mongoUri: string;

beforeAll(async () => {
  mongoUri = mongoUriWithDatabase(
    (await ensureInfra({ env: process.env })).mongoUri,
    database,
  );
}, 300_000);

afterAll(async () => {
  const client = await MongoClient.connect(mongoUri);
  await client.db().dropDatabase();
  await client.close();
});

/** The gateway as the loader sees it: refuses the first `refusals` calls, then answers. */
function gateway(refusals: number) {
  const calls: string[] = [];
  const graph = (async (_as: unknown, query: string) => {
    calls.push(query);
    if (calls.length <= refusals)
      throw new GraphQLRequestError(
        [
          {
            message: 'The standard is not known here yet',
            extensions: { code: 'NOT_FOUND', reason: 'STANDARD_NOT_FOUND' },
          },
        ],
        'activateAccreditation',
      );
    return { activateAccreditation: { id: 'a-1' } };
  }) as GraphClient;
  return { graph, calls };
}

it('answers a resumed mutation from the record even when its first attempt had been refused and retried', async () => {
  // The first load: refused once (projection lag), then answered; then it stops.
  const first = await openProgress({ mongoUri }, 'seed:1:scale:1');
  const before = gateway(1);
  const graph = first.wrap(before.graph);
  const answer = await whenProjected(
    () => graph(ADMIN, ACTIVATE),
    ['STANDARD_NOT_FOUND'],
  );
  expect(answer).toEqual({ activateAccreditation: { id: 'a-1' } });
  expect(before.calls).toHaveLength(2);
  await first.close();

  // The resumed load asks the same: answered from the record, nothing sent.
  const resumed = await openProgress({ mongoUri }, 'seed:1:scale:1');
  const after = gateway(0);
  const again = await whenProjected(
    () => resumed.wrap(after.graph)(ADMIN, ACTIVATE),
    ['STANDARD_NOT_FOUND'],
  );
  expect(again).toEqual({ activateAccreditation: { id: 'a-1' } });
  expect(after.calls).toEqual([]);
  await resumed.close();
});

/**
 * The gateway with its Idempotency-Key semantics: each key's first answer
 * (a refusal too) is kept and given again; `lose` answers are computed and
 * kept but never reach the caller, as when the loader dies before recording.
 */
function idempotentGateway(
  answers: Array<'refuse' | 'answer' | 'lose' | 'time out'>,
) {
  const kept = new Map<string, () => unknown>();
  let runs = 0;
  const graph = (async (
    _as: unknown,
    _query: string,
    _variables: unknown,
    options?: { idempotencyKey?: string },
  ) => {
    const key = options?.idempotencyKey;
    if (!key) throw new Error('the loader sent a mutation without a key');
    if (!kept.has(key)) {
      const outcome = answers[runs] ?? 'answer';
      runs += 1;
      const respond =
        outcome === 'refuse'
          ? () => {
              throw new GraphQLRequestError(
                [
                  {
                    message: 'The standard is not known here yet',
                    extensions: {
                      code: 'NOT_FOUND',
                      reason: 'STANDARD_NOT_FOUND',
                    },
                  },
                ],
                'activateAccreditation',
              );
            }
          : () => ({ activateAccreditation: { id: 'a-2' } });
      kept.set(key, respond);
      if (outcome === 'lose') throw new Error('socket hang up');
      // The subgraph ran it, but the gateway had stopped waiting.
      if (outcome === 'time out')
        throw new GraphQLRequestError(
          [
            {
              message:
                'The certification service did not answer within 10000 ms',
              extensions: { code: 'SUBGRAPH_UNAVAILABLE', reason: 'TIMEOUT' },
            },
          ],
          'activateAccreditation',
        );
    }
    return kept.get(key)!();
  }) as GraphClient;
  return { graph, runs: () => runs };
}

it('does not run a mutation twice when the interrupted load got its answer but never recorded it', async () => {
  const ACTIVATE_2 = 'mutation { activateAccreditation(id: "a-2") { id } }';
  // Refused once while a projection caught up, then run; the loader dies
  // before the answer is recorded.
  const server = idempotentGateway(['refuse', 'lose']);
  const first = await openProgress({ mongoUri }, 'seed:2:scale:1');
  await expect(
    whenProjected(
      () => first.wrap(server.graph)(ADMIN, ACTIVATE_2),
      ['STANDARD_NOT_FOUND'],
    ),
  ).rejects.toThrow('socket hang up');
  await first.close();
  expect(server.runs()).toBe(2);

  // The resumed load sends it again: the same keys, attempt by attempt, so
  // the gateway replays the refusal, then the answer; nothing runs again.
  const resumed = await openProgress({ mongoUri }, 'seed:2:scale:1');
  const answer = await whenProjected(
    () => resumed.wrap(server.graph)(ADMIN, ACTIVATE_2),
    ['STANDARD_NOT_FOUND'],
  );
  expect(answer).toEqual({ activateAccreditation: { id: 'a-2' } });
  expect(server.runs()).toBe(2);
  await resumed.close();
});

it('goes on from the next attempt when a resumed load meets a mutation an earlier load was refused for good', async () => {
  const ACTIVATE_3 = 'mutation { activateAccreditation(id: "a-3") { id } }';
  // The first load is refused by a rule it does not satisfy (no retry: the
  // load stops); the services keep that refusal under its Idempotency-Key.
  const server = idempotentGateway(['refuse']);
  const first = await openProgress({ mongoUri }, 'seed:3:scale:1');
  await expect(
    first.wrap(server.graph)(ADMIN, ACTIVATE_3),
  ).rejects.toBeInstanceOf(GraphQLRequestError);
  await first.close();

  // The next loader satisfies the rule: its resumed load sends the mutation
  // under a new key, and it runs — not the old refusal given again for ever.
  const resumed = await openProgress({ mongoUri }, 'seed:3:scale:1');
  const answer = await resumed.wrap(server.graph)(ADMIN, ACTIVATE_3);
  expect(answer).toEqual({ activateAccreditation: { id: 'a-2' } });
  expect(server.runs()).toBe(2);
  await resumed.close();
});

it("does not run a mutation twice when the gateway's timeout answered the interrupted load while the service ran it", async () => {
  const ACTIVATE_4 = 'mutation { activateAccreditation(id: "a-4") { id } }';
  // Found resuming an interrupted scale-100 load: the gateway's TIMEOUT was
  // counted as a refusal, the resumed load sent the mutation under a new key,
  // and the service refused it (the standard had already moved on).
  const server = idempotentGateway(['time out']);
  const first = await openProgress({ mongoUri }, 'seed:4:scale:1');
  await expect(
    first.wrap(server.graph)(ADMIN, ACTIVATE_4),
  ).rejects.toBeInstanceOf(GraphQLRequestError);
  await first.close();
  expect(server.runs()).toBe(1);

  // The resumed load sends it with the same key: the first answer, run once.
  const resumed = await openProgress({ mongoUri }, 'seed:4:scale:1');
  try {
    const answer = await resumed.wrap(server.graph)(ADMIN, ACTIVATE_4);
    expect(answer).toEqual({ activateAccreditation: { id: 'a-2' } });
    expect(server.runs()).toBe(1);
  } finally {
    await resumed.close();
  }
});

it('opens a complete load by its mark alone: nothing of it is read to skip it', async () => {
  const run = 'seed:5:scale:1';
  const first = await openProgress({ mongoUri }, run);
  await first.wrap(gateway(0).graph)(ADMIN, ACTIVATE);
  await first.close();
  // Interrupted: its answer is read back for the resumed load.
  const partial = await openProgress({ mongoUri }, run);
  expect(partial.completion).toBeNull();
  expect(partial.recorded).toBe(1);
  await partial.complete('sector-1');
  await partial.close();
  // Complete: the mark says so, and its answers stay unread.
  const done = await openProgress({ mongoUri }, run);
  expect(done.completion).toEqual({ anchor: 'sector-1' });
  expect(done.recorded).toBe(0);
  await done.close();
});
