import { isolatedInfra, servedByIndex } from '@conecta/devstack';
import type { KnownEvent } from '@conecta/events';
import mongoose, { type Connection } from 'mongoose';
import { v7 as uuidv7 } from 'uuid';
import { planBatch } from '../../src/events/plan';
import { CHANGE_STAMP } from '@conecta/service-kit';
import { createPeopleView } from '../../src/store/people';
import { eventMother as events } from '../fixtures/mothers';

// Supply in people, skill gaps, the funnel and state-filtered certified
// counts read people from a mirror in the service's memory, brought up to
// date before each read (issue 11: reading 155,940 people took 15.5 s at
// scale 100). Two instances of the service share one collection: what either
// writes, the other's next read sees; and a read after the first reads only
// who changed. On the real FerretDB.
const infra = isolatedInfra('outcomes_people_mirror');
const [STD1, STD2, STD3] = [uuidv7(), uuidv7(), uuidv7()];
const connections: Connection[] = [];

/** One service instance's view of the people (its own connection, as a process has). */
async function instance(lookbackMs?: number) {
  const connection = await mongoose
    .createConnection(infra.mongoUri)
    .asPromise();
  connections.push(connection);
  const view = createPeopleView(connection, '', lookbackMs);
  await view.model.syncIndexes();
  return view;
}

afterAll(async () => {
  for (const connection of connections) await connection.close();
  await infra.cleanup();
});

const write = (
  view: Awaited<ReturnType<typeof instance>>,
  list: KnownEvent[],
) => view.applyMany(planBatch(list).people);

const SPAN_2025 = Array.from(
  { length: 12 },
  (_, i) => `2025-${String(i + 1).padStart(2, '0')}`,
);

describe('the people mirror', () => {
  let a: Awaited<ReturnType<typeof instance>>;
  let b: Awaited<ReturnType<typeof instance>>;

  beforeAll(async () => {
    a = await instance(0);
    b = await instance(0);
  });

  it('sees at its next read what another instance wrote after its last one: a new person, and a new fact of a known one', async () => {
    const ana = uuidv7();
    await write(a, [
      events.enrolled(uuidv7(), STD1, '2025-03-10T12:00:00Z', ana),
    ]);
    expect(
      (await a.withMonths('supplyMonths', SPAN_2025)).map((p) => p.id),
    ).toEqual([ana]);

    const luis = uuidv7();
    await write(b, [
      events.enrolled(uuidv7(), STD2, '2025-05-02T12:00:00Z', luis),
      events.certificateIssued(STD1, '2025-06-20T12:00:00Z', ana),
    ]);
    const seen = await a.withMonths('supplyMonths', SPAN_2025);
    expect(seen.map((p) => p.id).sort()).toEqual([ana, luis].sort());
    expect(seen.find((p) => p.id === ana)!.certificates).toHaveLength(1);
    expect(
      (
        await a.certificatesIssuedBetween(
          new Date('2025-06-01T00:00:00Z'),
          new Date('2025-07-01T00:00:00Z'),
        )
      ).map((c) => c.standardId),
    ).toEqual([STD1]);
    // Selected by their months: nobody enrolled in 2024.
    expect(await a.withMonths('enrolledMonths', ['2024-05'])).toEqual([]);
  });

  it('reads only the people written since its last read, through the stamp index', async () => {
    await a.refreshMirror();
    expect(await a.refreshMirror()).toBe(0);
    await write(b, [
      events.certificateIssued(STD3, '2025-09-01T12:00:00Z'),
      events.certificateIssued(STD3, '2025-09-02T12:00:00Z'),
    ]);
    expect(await a.refreshMirror()).toBe(2);
    const page = a.model.collection
      .find({ [CHANGE_STAMP]: { $gt: 0 } })
      .sort({ [CHANGE_STAMP]: 1 })
      .limit(1_000);
    expect(servedByIndex(await page.explain())).toBe(true);
  });

  it('reads people written before the stamp existed, before and after they are stamped', async () => {
    const old = uuidv7();
    await a.model.collection.insertOne({
      _id: old as never,
      supplyMonths: ['2025-11'],
      enrollments: {
        e1: {
          cohortId: 'c1',
          standardId: STD1,
          enrolledAt: new Date('2025-11-03T00:00:00Z'),
        },
      },
    });
    const fresh = await instance(0);
    const who = async () =>
      (await fresh.withMonths('supplyMonths', ['2025-11'])).map((p) => p.id);
    expect(await who()).toEqual([old]);
    expect(await a.stampUnstamped()).toBe(1);
    expect(await who()).toEqual([old]);
    // Stamped: a catch-up reads only who changed (nobody).
    expect(await fresh.refreshMirror()).toBe(0);
  });
});
