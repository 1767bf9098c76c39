import { isolatedInfra, servedByIndex } from '@conecta/devstack';
import { MongoClient, type Collection, type Document } from 'mongodb';
import { CHANGE_STAMP, changeStamp, createMirror } from '../src';

// createMirror's catch-up on the real FerretDB: what it reads again after a
// read, with the lookback a slower writer needs, and through the index.
const infra = isolatedInfra('service_kit_mirror');
let client: MongoClient;
let collection: Collection<Document>;

beforeAll(async () => {
  client = await MongoClient.connect(infra.mongoUri);
  collection = client.db(infra.dbName).collection('things');
  await collection.createIndex({ [CHANGE_STAMP]: 1 });
});

afterAll(async () => {
  await client.close();
  await infra.cleanup();
});

/** A mirror of `things` whose clock the test moves (ms after the real one). */
function mirrorWithClock() {
  let ahead = 0;
  const mirror = createMirror({
    collection,
    toValue: (doc) => String(doc.name),
    clock: () => Date.now() + ahead,
  });
  return { mirror, advance: (ms: number) => (ahead += ms) };
}

const write = (name: string, stamp = changeStamp()) =>
  collection.insertOne({ _id: name as never, name, [CHANGE_STAMP]: stamp });

describe('a mirror', () => {
  it('reads again only what was stamped within the lookback before its last catch-up began, so a quiet collection costs an empty read', async () => {
    await write('a');
    await write('b');
    const { mirror, advance } = mirrorWithClock();
    expect(await mirror.refresh()).toBe(2);
    // Within 10 s of the writes, they may still have company committing late.
    expect(await mirror.refresh()).toBe(2);
    advance(11_000);
    await mirror.refresh();
    expect(await mirror.refresh()).toBe(0);
    expect([...(await mirror.current()).values()].sort()).toEqual(['a', 'b']);
  });

  it('finds a write that committed after a catch-up it was stamped before (a slower writer)', async () => {
    const { mirror, advance } = mirrorWithClock();
    advance(60_000);
    // A fast writer's stamp, read: the mirror has seen its clock's now.
    await write('fast', changeStamp() + 60_000_000);
    await mirror.refresh();
    // A slower writer's, stamped 5 s before that read began, committed after.
    await write('slow', changeStamp() + 55_000_000);
    expect(await mirror.refresh()).toBeGreaterThanOrEqual(1);
    expect((await mirror.current()).get('slow')).toBe('slow');
  });

  it("reads each page from the stamp's index", async () => {
    const page = collection
      .find({ [CHANGE_STAMP]: { $gt: changeStamp() - 10_000_000 } })
      .sort({ [CHANGE_STAMP]: 1 })
      .limit(1_000);
    expect(servedByIndex(await page.explain())).toBe(true);
  });
});
