import { MongoClient, MongoServerError } from 'mongodb';
import type { Collection, Db } from 'mongodb';

import { isolatedInfra } from '../src';

/**
 * The MongoDB subset our services may use, checked against whatever server the
 * devstack runs (FerretDB 1.24 locally, MongoDB 7 in docker-compose). What
 * FerretDB gets wrong or lacks is listed in the README, not tested here.
 */
describe('the local MongoDB-wire server', () => {
  const infra = isolatedInfra('mongo_wire');
  const client = new MongoClient(infra.mongoUri);
  let db: Db;
  let people: Collection<{
    _id: string;
    email?: string;
    tags?: string[];
    n?: number;
  }>;

  beforeAll(async () => {
    await client.connect();
    db = client.db();
    people = db.collection('people');
  });

  afterAll(async () => {
    await client.close();
    await infra.cleanup();
  });

  it('answers ping and round-trips documents', async () => {
    expect(await db.command({ ping: 1 })).toMatchObject({ ok: 1 });
    await people.insertMany([
      { _id: 'a', email: 'a@x', tags: ['x', 'y'], n: 5 },
      { _id: 'b', email: 'b@x', n: 7 },
    ]);
    expect(await people.find({ n: { $gte: 6 } }).toArray()).toEqual([
      { _id: 'b', email: 'b@x', n: 7 },
    ]);
  });

  it('rejects a duplicate key on a unique index', async () => {
    await people.createIndex({ email: 1 }, { unique: true });
    await expect(
      people.insertOne({ _id: 'c', email: 'a@x' }),
    ).rejects.toMatchObject({
      code: 11000,
    });
    await expect(
      people.insertOne({ _id: 'c', email: 'a@x' }),
    ).rejects.toBeInstanceOf(MongoServerError);
  });

  it('findOneAndUpdate upserts and returns the new document', async () => {
    const counter = db.collection<{ _id: string; v: number }>('counters');
    await counter.findOneAndUpdate(
      { _id: 'seq' },
      { $inc: { v: 1 } },
      { upsert: true },
    );
    const after = await counter.findOneAndUpdate(
      { _id: 'seq' },
      { $inc: { v: 1 } },
      { upsert: true, returnDocument: 'after' },
    );
    expect(after).toEqual({ _id: 'seq', v: 2 });
  });

  it('$push with $each appends, and $pullAll removes values', async () => {
    await people.updateOne(
      { _id: 'a' },
      { $push: { tags: { $each: ['z', 'w'] } } },
    );
    expect((await people.findOne({ _id: 'a' }))?.tags).toEqual([
      'x',
      'y',
      'z',
      'w',
    ]);
    await people.updateOne({ _id: 'a' }, { $pullAll: { tags: ['x', 'w'] } });
    expect((await people.findOne({ _id: 'a' }))?.tags).toEqual(['y', 'z']);
  });

  it('$group with a single $sum accumulator', async () => {
    const rows = await people
      .aggregate([{ $group: { _id: null, total: { $sum: '$n' } } }])
      .toArray();
    expect(rows).toEqual([{ _id: null, total: 12 }]);
  });
});
