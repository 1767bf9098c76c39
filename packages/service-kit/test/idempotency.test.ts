import { isolatedInfra, servedByIndex } from '@conecta/devstack';
import type { IsolatedInfra } from '@conecta/devstack';
import { MongoClient } from 'mongodb';
import type { Collection, Db } from 'mongodb';
import {
  IDEMPOTENCY_COLLECTION,
  createIdempotencyStore,
  createLogger,
  expiredKeys,
} from '../src/index';
import type { Identity, IdempotencyEntry, SubgraphService } from '../src/index';
import {
  createGadgetService,
  gadgetEnv,
  noFaults,
} from './fixtures/gadget-service';
import type { GadgetFaults } from './fixtures/gadget-service';
import { identityMother, signedFor } from './fixtures/identity-mother';

// The gadget fixture as a real subgraph (createSubgraphService) on the
// devstack MongoDB-wire server and Kafka: createGadget has no natural key, so
// only the Idempotency-Key keeps a retry from creating a second gadget.
let infra: IsolatedInfra;
let service: SubgraphService<unknown>;
let url: string;
let client: MongoClient;
let db: Db;
let keys: Collection<IdempotencyEntry>;
const faults: GadgetFaults = noFaults();

/** The gadget fixture runs as the committees subgraph. */
const SERVICE = 'committees';
const CREATE = `mutation ($name: String!) { createGadget(name: $name) { id name } }`;

interface Answer {
  status: number;
  replayed: string | null;
  body: {
    data?: { createGadget?: { id: string; name: string } } | null;
    errors?: { message: string; extensions: Record<string, unknown> }[];
  };
}

async function send(
  name: string,
  {
    key,
    identity = identityMother.certifier(),
    query = CREATE,
  }: { key?: string; identity?: Identity; query?: string } = {},
): Promise<Answer> {
  const body = JSON.stringify({ query, variables: { name } });
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key !== undefined ? { 'idempotency-key': key } : {}),
      ...signedFor(body, identity, SERVICE),
    },
    body,
  });
  return {
    status: response.status,
    replayed: response.headers.get('idempotent-replayed'),
    body: (await response.json()) as Answer['body'],
  };
}

const gadgetsNamed = (name: string) =>
  db.collection('gadgets').countDocuments({ name });

let counter = 0;
/** A name and a key of their own for each test. */
function fresh(): { name: string; key: string } {
  counter += 1;
  return { name: `Gadget ${counter}`, key: `key-${counter}-${Date.now()}` };
}

beforeAll(async () => {
  infra = isolatedInfra('service_kit_idempotency');
  service = createGadgetService(
    gadgetEnv(infra),
    createLogger({ name: 'idempotency-test', level: 'silent' }),
    undefined,
    faults,
  );
  url = await service.start(0);
  client = await MongoClient.connect(infra.mongoUri);
  db = client.db();
  keys = db.collection<IdempotencyEntry>(IDEMPOTENCY_COLLECTION);
});

afterAll(async () => {
  await client?.close();
  await service?.stop();
  await infra?.cleanup();
});

beforeEach(() => {
  faults.failNextCreates = 0;
  faults.creates = 0;
  delete faults.hold;
});

describe('a mutation sent with an Idempotency-Key', () => {
  it('creates two gadgets when sent twice without a key (what the key prevents)', async () => {
    const { name } = fresh();
    await send(name);
    await send(name);
    expect(await gadgetsNamed(name)).toBe(2);
  });

  it('answers a retry with the first answer, same id, without running it again', async () => {
    const { name, key } = fresh();
    const first = await send(name, { key });
    const retry = await send(name, { key });

    expect(first.body.errors).toBeUndefined();
    expect(retry.body).toEqual(first.body);
    expect(first.replayed).toBeNull();
    expect(retry.replayed).toBe('true');
    expect(faults.creates).toBe(1);
    expect(await gadgetsNamed(name)).toBe(1);
  });

  it('refuses the same key with another body, naming the header, and creates nothing', async () => {
    const { name, key } = fresh();
    await send(name, { key });
    const other = await send(`${name} (other)`, { key });

    expect(other.body.data ?? null).toBeNull();
    expect(other.body.errors).toEqual([
      expect.objectContaining({
        extensions: {
          code: 'CONFLICT',
          reason: 'IDEMPOTENCY_KEY_REUSED',
          field: 'Idempotency-Key',
        },
      }),
    ]);
    expect(await gadgetsNamed(`${name} (other)`)).toBe(0);
  });

  it('keeps keys per caller: another caller with the same key and body gets its own gadget', async () => {
    const { name, key } = fresh();
    const mine = await send(name, { key });
    const theirs = await send(name, {
      key,
      identity: identityMother.certifier({ subject: 'user-0777' }),
    });

    expect(theirs.replayed).toBeNull();
    expect(theirs.body.data?.createGadget?.id).not.toBe(
      mine.body.data?.createGadget?.id,
    );
    expect(await gadgetsNamed(name)).toBe(2);
  });

  it('answers a retry that arrives while the first attempt runs with CONFLICT, then with the first answer', async () => {
    const { name, key } = fresh();
    let open!: () => void;
    faults.hold = new Promise((resolve) => (open = resolve));
    const first = send(name, { key });
    // The first attempt has claimed the key once its entry is in the database.
    while ((await keys.countDocuments({ state: 'in_progress' })) === 0)
      await new Promise((resolve) => setImmediate(resolve));

    const during = await send(name, { key });
    open();
    const answered = await first;
    const after = await send(name, { key });

    expect(during.body.errors).toEqual([
      expect.objectContaining({
        extensions: {
          code: 'CONFLICT',
          reason: 'IDEMPOTENT_REQUEST_IN_PROGRESS',
          field: 'Idempotency-Key',
        },
      }),
    ]);
    expect(after.body).toEqual(answered.body);
    expect(faults.creates).toBe(1);
    expect(await gadgetsNamed(name)).toBe(1);
  });

  it('runs exactly one of several identical attempts sent at once', async () => {
    const { name, key } = fresh();
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => send(name, { key })),
    );

    expect(faults.creates).toBe(1);
    expect(await gadgetsNamed(name)).toBe(1);
    const ids = new Set(
      answers.flatMap((a) => a.body.data?.createGadget?.id ?? []),
    );
    expect(ids.size).toBe(1);
    for (const answer of answers)
      if (!answer.body.data)
        expect(answer.body.errors?.[0]?.extensions['reason']).toBe(
          'IDEMPOTENT_REQUEST_IN_PROGRESS',
        );
  });

  it('does not keep an INTERNAL failure: the retry runs again and its answer is kept', async () => {
    const { name, key } = fresh();
    faults.failNextCreates = 1;
    const failed = await send(name, { key });
    const retry = await send(name, { key });
    const again = await send(name, { key });

    expect(failed.body.errors?.[0]?.extensions['code']).toBe('INTERNAL');
    expect(retry.replayed).toBeNull();
    expect(retry.body.data?.createGadget?.name).toBe(name);
    expect(again.replayed).toBe('true');
    expect(again.body).toEqual(retry.body);
    expect(faults.creates).toBe(2);
    expect(await gadgetsNamed(name)).toBe(1);
  });

  it('keeps a refusal of the input: the retry gets the same refusal without running', async () => {
    const { key } = fresh();
    const refused = await send(' ', { key });
    const retry = await send(' ', { key });

    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'name',
    });
    expect(retry.replayed).toBe('true');
    expect(retry.body).toEqual(refused.body);
    expect(faults.creates).toBe(1);
  });

  it('runs again once the key has expired', async () => {
    const { name, key } = fresh();
    const first = await send(name, { key });
    await keys.updateMany(
      { state: 'done', expiresAt: { $gt: new Date() } },
      { $set: { expiresAt: new Date(Date.now() - 1_000) } },
    );
    const later = await send(name, { key });

    expect(later.replayed).toBeNull();
    expect(later.body.data?.createGadget?.id).not.toBe(
      first.body.data?.createGadget?.id,
    );
    expect(await gadgetsNamed(name)).toBe(2);
  });

  it('lets a retry run when the attempt holding the key outlived its lease (a crash)', async () => {
    const { name, key } = fresh();
    let open!: () => void;
    faults.hold = new Promise((resolve) => (open = resolve));
    const stuck = send(name, { key });
    while ((await keys.countDocuments({ state: 'in_progress' })) === 0)
      await new Promise((resolve) => setImmediate(resolve));
    await keys.updateMany(
      { state: 'in_progress' },
      { $set: { leaseUntil: new Date(Date.now() - 1_000) } },
    );
    delete faults.hold;

    const retry = await send(name, { key });
    open();
    await stuck;
    const replay = await send(name, { key });

    expect(retry.body.data?.createGadget?.name).toBe(name);
    // The retry's answer is the one kept; the stale attempt could not overwrite it.
    expect(replay.body).toEqual(retry.body);
    expect(faults.creates).toBe(2);
  });

  it('ignores the header on a query', async () => {
    const before = await keys.countDocuments({});
    const answer = await send('unused', {
      key: 'not-for-queries',
      query: 'query ($name: ID!) { gadgets(ids: [$name]) { id } }',
    });

    expect(answer.body).toEqual({ data: { gadgets: [null] } });
    expect(await keys.countDocuments({})).toBe(before);
  });

  it('refuses a key that is not visible ASCII, naming the header', async () => {
    const { name } = fresh();
    const answer = await send(name, { key: 'x'.repeat(301) });

    expect(answer.status).toBe(400);
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_IDEMPOTENCY_KEY',
      field: 'Idempotency-Key',
    });
    expect(await gadgetsNamed(name)).toBe(0);
  });

  it('sweeps expired keys in batches and keeps live ones, reading what it deletes and not the whole collection', async () => {
    const { name, key } = fresh();
    await send(name, { key });
    const live = await keys.countDocuments({
      expiresAt: { $gt: new Date() },
    });
    // More than one batch of expired keys (500 a round trip).
    const expired = Array.from({ length: 501 }, (_, i) => ({
      _id: `expired-entry-${i}`,
      fingerprint: 'f',
      attempt: 'a',
      state: 'done' as const,
      response: '{}',
      createdAt: new Date(0),
      leaseUntil: new Date(0),
      expiresAt: new Date(1_000 + i),
    }));
    await keys.insertMany(expired);

    const swept = await createIdempotencyStore({
      collection: keys,
      ttlMs: 86_400_000,
      logger: createLogger({ name: 'sweep', level: 'silent' }),
    }).sweep();

    expect(swept).toBeGreaterThanOrEqual(expired.length);
    expect(await keys.countDocuments({ expiresAt: { $lte: new Date() } })).toBe(
      0,
    );
    expect(await keys.countDocuments({ expiresAt: { $gt: new Date() } })).toBe(
      live,
    );
    // Each batch is one index range, on devstack's FerretDB (the store of
    // `npm test`) as on MongoDB: the sweep's cost follows what expired, not
    // the registry's size.
    expect(servedByIndex(await expiredKeys(keys, new Date()).explain())).toBe(
      true,
    );
  });
});
