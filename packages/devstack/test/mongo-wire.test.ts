import {
  BSON,
  BSONRegExp,
  Binary,
  Double,
  Long,
  MongoClient,
  MongoServerError,
  ObjectId,
  Timestamp,
} from 'mongodb';
import type { Collection, Db, Document, Filter, Sort } from 'mongodb';

import { isolatedInfra, servedByIndex } from '../src';

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

  it('returns nested documents exactly as written, every value type at every depth', async () => {
    // What a standard's document looks like (elements holding criteria
    // holding evidence), with every BSON type the services store, nested.
    const leaf = {
      text: 'Café — "quoted" \\ ñ',
      int: 42,
      negative: -7,
      long: Long.fromString('9007199254740993'),
      double: 2.5,
      whole: new Double(3),
      date: new Date('2026-12-07T15:21:00.123Z'),
      yes: true,
      no: false,
      none: null,
      id: new ObjectId('0123456789abcdef01234567'),
      bytes: new Binary(Buffer.from([0, 1, 2, 255])),
      pattern: new BSONRegExp('^EC\\d{4}$', 'i'),
      stamp: new Timestamp({ t: 1_765_000_000, i: 3 }),
      empty: {},
      emptyList: [],
    };
    // (No array directly inside an array: FerretDB 1.x refuses them.)
    const nested = {
      _id: 'nested',
      ...leaf,
      elements: [
        { ...leaf, criteria: [{ ...leaf, evidence: [leaf, 1, 'two', leaf] }] },
        'a string among documents',
      ],
      deep: { a: { b: { c: { d: { e: leaf, list: [leaf, null] } } } } },
    };
    const raw = db.collection<{ _id: string }>('nested', {
      promoteValues: false,
      promoteLongs: false,
    });
    await raw.insertOne(nested);
    const read = await raw.findOne({ _id: 'nested' });
    expect(
      Buffer.from(BSON.serialize(read!)).equals(BSON.serialize(nested)),
    ).toBe(true);
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

/**
 * Lookups must cost the same at 2,000 and at 300,000 documents, so each must be
 * served by an index: on FerretDB (PostgreSQL) a scan of FerretDB's btree index
 * (devstack's patch pushes equalities down as `=`, with the type index it adds
 * for array members), on MongoDB an IXSCAN.
 */
describe('lookups on the local MongoDB-wire server', () => {
  const infra = isolatedInfra('mongo_index');
  const client = new MongoClient(infra.mongoUri);
  let certificates: Collection<{
    _id: string;
    folio: string;
    holder: { curp: string };
    tags: string[];
  }>;

  beforeAll(async () => {
    await client.connect();
    certificates = client.db().collection('certificates');
    await certificates.createIndex({ folio: 1 }, { unique: true });
    await certificates.createIndex({ 'holder.curp': 1 });
    await certificates.createIndex({ tags: 1 });
    await certificates.insertMany(
      Array.from({ length: 300 }, (_, i) => ({
        _id: `c-${i}`,
        folio: `FOL-${i}`,
        holder: { curp: `CURP${i % 50}` },
        tags: [`t${i % 7}`, 'all'],
      })),
    );
  });

  afterAll(async () => {
    await client.close();
    await infra.cleanup();
  });

  it('serves an equality on an indexed field and on _id from an index', async () => {
    for (const filter of [{ folio: 'FOL-17' }, { _id: 'c-17' }]) {
      expect(servedByIndex(await certificates.find(filter).explain())).toBe(
        true,
      );
    }
    expect(await certificates.findOne({ folio: 'FOL-17' })).toMatchObject({
      _id: 'c-17',
    });
    // FerretDB does not push dotted fields down (README): correct, but a full read.
    expect(await certificates.countDocuments({ 'holder.curp': 'CURP17' })).toBe(
      6,
    );
  });

  it('serves a $in of values (a DataLoader batch) from an index and finds each one', async () => {
    const ids = ['c-3', 'c-150', 'c-299', 'c-missing'];
    expect(
      servedByIndex(await certificates.find({ _id: { $in: ids } }).explain()),
    ).toBe(true);
    const found = await certificates.find({ _id: { $in: ids } }).toArray();
    expect(found.map((c) => c._id).sort()).toEqual(['c-150', 'c-299', 'c-3']);
  });

  it('still matches array members and mixed $in lists exactly', async () => {
    expect(await certificates.countDocuments({ tags: 't3' })).toBe(43);
    expect(
      await certificates.countDocuments({ tags: { $in: ['t1', 't2'] } }),
    ).toBe(86);
    // A regular expression cannot be pushed down: the whole filter still applies.
    expect(
      await certificates.countDocuments({
        folio: { $in: [/^FOL-29\d$/, 'FOL-1'] },
      }),
    ).toBe(11);
  });
});

describe('a limit with a filter on the local MongoDB-wire server', () => {
  const infra = isolatedInfra('mongo_limit');
  const client = new MongoClient(infra.mongoUri);
  let events: Collection<{
    _id: string;
    pending: boolean;
    kind: string;
    holder: { state: string };
    weight: number;
  }>;

  beforeAll(async () => {
    await client.connect();
    events = client.db().collection('events');
    await events.createIndex({ pending: 1 });
    await events.createIndex({ kind: 1 });
    await events.insertMany(
      Array.from({ length: 400 }, (_, i) => ({
        _id: `e-${String(i).padStart(3, '0')}`,
        pending: i % 4 === 0,
        kind: ['a', 'b', 'c', 'd', 'e'][i % 5]!,
        holder: { state: i % 2 === 0 ? 'MX-JAL' : 'MX-CMX' },
        weight: i % 3 === 0 ? 1.5 : 2,
      })),
    );
  });

  afterAll(async () => {
    await client.close();
    await infra.cleanup();
  });

  /** Runs find(filter).limit(n): the documents, and whether the limit was applied in the store. */
  async function limited(filter: object, n: number) {
    const found = await events.find(filter).limit(n).toArray();
    const plan = (await events.find(filter).limit(n).explain()) as {
      limitPushdown?: boolean;
    };
    return { found, limitPushdown: plan.limitPushdown };
  }

  it('returns only matches, as many as the limit or every one there is, whether or not the store applies the limit', async () => {
    const pending = await limited({ pending: true }, 7);
    expect(pending.found).toHaveLength(7);
    expect(pending.found.every((e) => e.pending)).toBe(true);

    // 20 documents are pending and of kind 'a' (every 20th): fewer than the limit.
    const both = await limited({ pending: true, kind: { $in: ['a'] } }, 50);
    expect(both.found).toHaveLength(20);
    expect(both.found.every((e) => e.pending && e.kind === 'a')).toBe(true);

    // Shapes the store narrows only partly (a dotted field, a double): a
    // limit applied before the rest of the filter would drop matches.
    const dotted = await limited(
      { pending: true, 'holder.state': 'MX-CMX' },
      5,
    );
    expect(dotted.found).toEqual([]);
    const jalisco = await limited({ kind: 'b', 'holder.state': 'MX-JAL' }, 5);
    expect(jalisco.found).toHaveLength(5);
    expect(
      jalisco.found.every((e) => e.kind === 'b' && e.holder.state === 'MX-JAL'),
    ).toBe(true);
    const doubles = await limited({ weight: 1.5, kind: 'c' }, 3);
    expect(doubles.found).toHaveLength(3);
    expect(doubles.found.every((e) => e.weight === 1.5 && e.kind === 'c')).toBe(
      true,
    );

    const build = await client.db().admin().command({ buildInfo: 1 });
    if ('ferretdbVersion' in build) {
      // On devstack's FerretDB (patch 5) the exact shapes take the limit in SQL,
      // the others do not.
      expect([pending, both].map((r) => r.limitPushdown)).toEqual([true, true]);
      expect([dotted, jalisco, doubles].map((r) => r.limitPushdown)).toEqual([
        false,
        false,
        false,
      ]);
    }
  });

  it('counts what find returns, whatever the filter, where the store counts it and where it does not', async () => {
    // Beside the events: values that are arrays in some documents and
    // scalars in others, and a field some documents lack.
    const mixed = client.db().collection<{
      _id: string;
      tag?: string | string[];
      level?: number;
    }>('mixed');
    await mixed.createIndex({ tag: 1 });
    await mixed.insertMany(
      Array.from({ length: 30 }, (_, i) => ({
        _id: `m-${i}`,
        ...(i % 3 === 0 ? {} : { tag: i % 2 === 0 ? ['x', 'y'] : 'x' }),
        level: i % 5,
      })),
    );
    const cases: [Collection<any>, object][] = [
      [events, {}],
      [events, { pending: true }],
      [events, { pending: true, kind: { $in: ['a', 'b'] } }],
      [events, { kind: 'zz' }],
      [events, { kind: { $exists: true } }],
      [events, { absent: { $exists: false }, pending: false }],
      [events, { pending: true, 'holder.state': 'MX-CMX' }],
      [events, { weight: 1.5 }],
      [events, { $or: [{ kind: 'a' }, { kind: 'b' }] }],
      [mixed, { tag: 'x' }],
      [mixed, { tag: { $in: ['y', 'z'] } }],
      [mixed, { tag: { $exists: false } }],
      [mixed, { level: 2 }],
    ];
    for (const [collection, filter] of cases)
      expect({
        filter,
        count: await collection.countDocuments(filter),
      }).toEqual({
        filter,
        count: (await collection.find(filter).toArray()).length,
      });
    // Past a skip or a limit, the store does not count: still exact.
    expect(await events.countDocuments({ pending: true }, { skip: 90 })).toBe(
      10,
    );
    expect(await events.countDocuments({ pending: true }, { limit: 5 })).toBe(
      5,
    );
  });
});

describe('the local MongoDB-wire server under load', () => {
  const infra = isolatedInfra('mongo_load');
  // More connections than FerretDB's PostgreSQL pool (400): unpatched, each
  // update held one pool connection while waiting for a second, and the server
  // stopped answering anything, `ping` included.
  const client = new MongoClient(infra.mongoUri, { maxPoolSize: 500 });

  afterAll(async () => {
    await client.close();
    await infra.cleanup();
  });

  it('answers 1,000 concurrent upserts, counts every one, and still answers ping', async () => {
    await client.connect();
    const counters = client
      .db()
      .collection<{ key: string; n: number }>('counters');
    await counters.createIndex({ key: 1 }, { unique: true });
    await counters.insertMany(
      Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, n: 0 })),
    );
    await Promise.all(
      Array.from({ length: 1_000 }, (_, i) =>
        counters.updateOne({ key: `k${i % 100}` }, { $inc: { n: 1 } }),
      ),
    );
    const all = await counters.find().toArray();
    expect(all.reduce((sum, c) => sum + c.n, 0)).toBe(1_000);
    expect(await client.db().command({ ping: 1 })).toMatchObject({ ok: 1 });
  });
});

/**
 * Two-field equalities, `$exists: false` and sorts with a limit must be served
 * by an index too. The checks of results hold on any MongoDB-wire server; the
 * checks of plans hold on FerretDB with devstack's patch and on MongoDB.
 */
describe('compound lookups and sorts on the local MongoDB-wire server', () => {
  const infra = isolatedInfra('mongo_sorts');
  const client = new MongoClient(infra.mongoUri);
  interface Entry {
    _id: string;
    list?: number;
    index: number;
    kind: string;
    at: Date;
  }
  let entries: Collection<Entry>;

  /** Whether the server pushes a sort down to its store (always on MongoDB). */
  async function sortsInStore(explain: Document): Promise<boolean> {
    const build = await client.db().admin().command({ buildInfo: 1 });
    if (!('ferretdbVersion' in build)) return servedByIndex(explain);
    return explain.sortPushdown === true && servedByIndex(explain);
  }

  /** The ids find(filter).sort(sort).limit(n) returns, and those of the unlimited sort's first n. */
  async function limitedAndWhole<T extends Document>(
    collection: Collection<T>,
    filter: Filter<T>,
    sort: Sort,
    n: number,
  ) {
    const limited = await collection.find(filter).sort(sort).limit(n).toArray();
    const whole = await collection.find(filter).sort(sort).toArray();
    return {
      limited: limited.map((d) => d._id),
      whole: whole.slice(0, n).map((d) => d._id),
      explain: await collection.find(filter).sort(sort).limit(n).explain(),
    };
  }

  beforeAll(async () => {
    await client.connect();
    entries = client.db().collection('entries');
    await entries.createIndex({ list: 1, index: 1 }, { unique: true });
    await entries.createIndex({ at: 1 });
    await entries.insertMany(
      Array.from({ length: 600 }, (_, i) => ({
        _id: `e-${String(i).padStart(4, '0')}`,
        // The first 60 lack `list`, as records written before it existed.
        ...(i < 60 ? {} : { list: 1 + (i % 3) }),
        index: i < 60 ? i : Math.floor(i / 3),
        kind: ['a', 'b', 'c'][(i % 7) % 3]!,
        at: new Date(Date.UTC(2024, 0, 1) + ((i * 7_919) % 600) * 3_600_000),
      })),
    );
  });

  afterAll(async () => {
    await client.close();
    await infra.cleanup();
  });

  it('serves an equality on two fields of a compound index, and $exists: false on its first, from the index', async () => {
    const both = { list: 2, index: { $in: [20, 21, 22, 150, 999] } };
    expect(servedByIndex(await entries.find(both).explain())).toBe(true);
    const found = await entries.find(both).toArray();
    // list 2 is i % 3 = 1, index is i / 3: 61, 64, 67 and 451 hold 20, 21,
    // 22 and 150; 999 is no index.
    expect(found.map((e) => e._id).sort()).toEqual([
      'e-0061',
      'e-0064',
      'e-0067',
      'e-0451',
    ]);

    const unnumbered = {
      index: { $in: [5, 59, 150] },
      list: { $exists: false },
    };
    expect(servedByIndex(await entries.find(unnumbered).explain())).toBe(true);
    const old = await entries.find(unnumbered).toArray();
    expect(old.map((e) => e._id).sort()).toEqual(['e-0005', 'e-0059']);
  });

  it('returns the first documents of a sort with a limit, read from an index in order', async () => {
    const cases: { filter: Filter<Entry>; sort: Sort }[] = [
      { filter: {}, sort: { _id: 1 } },
      { filter: { kind: 'b' }, sort: { _id: -1 } },
      { filter: { _id: { $gt: 'e-0100', $lte: 'e-0300' } }, sort: { _id: 1 } },
      { filter: { kind: { $in: ['a', 'c'] } }, sort: { at: -1 } },
      { filter: {}, sort: { at: 1 } },
    ];
    for (const { filter, sort } of cases) {
      const { limited, whole, explain } = await limitedAndWhole(
        entries,
        filter,
        sort,
        7,
      );
      expect(limited).toHaveLength(7);
      expect(limited).toEqual(whole);
      expect(await sortsInStore(explain)).toBe(true);
    }
  });

  it('keeps the order of a field holding several types, arrays or missing values, limit or not', async () => {
    const mixed = client.db().collection<{ _id: string; v?: unknown }>('mixed');
    await mixed.createIndex({ v: 1 });
    await mixed.insertMany([
      { _id: 'm-num', v: 7 },
      { _id: 'm-double', v: 2.5 },
      { _id: 'm-str-a', v: 'a' },
      { _id: 'm-str-z', v: 'z' },
      { _id: 'm-date', v: new Date(Date.UTC(2020, 0, 1)) },
      { _id: 'm-oid', v: new ObjectId('65a000000000000000000001') },
      { _id: 'm-bool', v: true },
      { _id: 'm-array', v: [-1, 50] },
      { _id: 'm-missing' },
    ]);
    for (const sort of [{ v: 1 }, { v: -1 }] as Sort[]) {
      for (const n of [1, 3, 5]) {
        const { limited, whole } = await limitedAndWhole(mixed, {}, sort, n);
        expect(limited).toEqual(whole);
      }
    }
    // A string filter value also selects an ObjectId with that hex on FerretDB:
    // the one documented superset. Strings alone, then, are sorted in the store.
    await mixed.deleteMany({ _id: { $nin: ['m-str-a', 'm-str-z'] } });
    await mixed.insertMany([{ _id: 'm-str-m', v: 'm' }]);
    const strings = await limitedAndWhole(mixed, {}, { v: -1 }, 2);
    expect(strings.limited).toEqual(['m-str-z', 'm-str-m']);
    expect(await sortsInStore(strings.explain)).toBe(true);
  });

  it('still matches a document whose field is an array holding the value', async () => {
    const tagged = client
      .db()
      .collection<{ _id: string; tag: string | string[]; n: number }>('tagged');
    await tagged.createIndex({ tag: 1, n: 1 });
    await tagged.insertMany([
      { _id: 't-1', tag: 'x', n: 1 },
      { _id: 't-2', tag: ['y', 'x'], n: 1 },
      { _id: 't-3', tag: 'y', n: 1 },
      { _id: 't-4', tag: ['x'], n: 2 },
    ]);
    const found = await tagged.find({ tag: 'x', n: { $in: [1, 2] } }).toArray();
    expect(found.map((t) => t._id).sort()).toEqual(['t-1', 't-2', 't-4']);
    expect(await tagged.countDocuments({ tag: { $in: ['y'] }, n: 1 })).toBe(2);
    // A field holding arrays is not sorted in the store, and keeps MongoDB's order.
    const byTag = await limitedAndWhole(tagged, {}, { tag: 1 }, 2);
    expect(byTag.limited).toEqual(byTag.whole);
  });
});
