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
