import { isolatedInfra } from '@conecta/devstack';
import { MongoClient, type Collection, type Db } from 'mongodb';
import { v7 as uuidv7 } from 'uuid';
import { APPLIED_EVENT_IDS_FIELD, applyOnce } from '../src';

// applyOnce on the real store: an event's effect once, and the ids it
// remembers bounded by `keep` (FerretDB ignores $push's $slice, so a
// second update trims there; a document the upsert just made needs none).
describe('applyOnce', () => {
  const infra = isolatedInfra('events_apply_once');
  let client: MongoClient;
  let db: Db;

  beforeAll(async () => {
    client = await MongoClient.connect(infra.mongoUri);
    db = client.db(infra.dbName);
  });

  afterAll(async () => {
    await client?.close();
    await infra.cleanup();
  });

  type CounterDoc = {
    _id: string;
    n?: number;
    [APPLIED_EVENT_IDS_FIELD]?: string[];
  };

  it('applies each event once and remembers only the last `keep` of them', async () => {
    const counters: Collection<CounterDoc> = db.collection('counters');
    const ids = Array.from({ length: 5 }, () => uuidv7());
    const apply = (eventId: string) =>
      applyOnce(counters, { _id: 'c' }, { $inc: { n: 1 } }, eventId, {
        upsert: true,
        keep: 3,
      });

    expect(await apply(ids[0]!)).toBe(true);
    expect(await apply(ids[0]!)).toBe(false);
    for (const id of ids.slice(1)) expect(await apply(id)).toBe(true);
    expect(await apply(ids[4]!)).toBe(false);

    const doc = await counters.findOne({ _id: 'c' });
    expect(doc?.n).toBe(5);
    expect(doc?.[APPLIED_EVENT_IDS_FIELD]).toEqual(ids.slice(2));
  });
});
