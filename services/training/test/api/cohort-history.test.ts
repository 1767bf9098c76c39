import { v7 as uuidv7 } from 'uuid';
import {
  commandsBetween,
  readEvents,
  requestCommandsAt,
} from '@conecta/test-kit';
import { MAX_IMPORT_BATCH } from '../../src/domain/history';
import {
  cohortHistoryMother as history,
  type ApiCohortRecord,
} from '../fixtures/mothers';
import {
  GQL,
  admin,
  anonymous,
  broker,
  inputMother as input,
  seedWorld,
  startTraining,
  type RunningTraining,
  type World,
} from '../fixtures/service';

let running: RunningTraining;
let world: World;
let agreementId: string;
const client = () => running.client;
const topic = () => `${running.infra.topicPrefix}conecta.training.events`;

/** `YYYY-MM-DD` of the first day of the month `months` before this one. */
const monthsAgo = (months: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months, 1))
    .toISOString()
    .slice(0, 10);
};

beforeAll(async () => {
  running = await startTraining('training-cohort-history');
  world = await seedWorld(running, 6);
  // The provider's deal for the standard, in force for the last six years:
  // past cohorts that name no agreement are delivered under it.
  agreementId = (
    await client().ok(
      GQL.sign,
      {
        input: input.agreement(world, { validFrom: monthsAgo(72) }),
      },
      broker,
    )
  ).signAgreement.id;
}, 120_000);

afterAll(async () => {
  // The database first: the relay's backlog of thousands of imported events
  // (500 cohorts below) is not what this file checks, and stopping the
  // service would otherwise flush it first — over a minute on a busy machine.
  await running?.infra.cleanup();
  await running?.service.stop();
});

const IMPORT = /* GraphQL */ `
  mutation ($input: ImportCohortHistoryInput!) {
    importCohortHistory(input: $input) {
      source
      importedCount
      skippedCount
      enrollmentCount
      imported {
        id
        status
        startsOn
        endsOn
        scheduledAt
        enrolledCount
        capacity
        agreement {
          id
        }
        provenance {
          folio
        }
      }
      skipped {
        id
        provenance {
          folio
        }
      }
    }
  }
`;

const importCohorts = (
  records: object[],
  source = history.source,
  as = admin,
) => client().request(IMPORT, { input: { source, records } }, as);

const COHORT = /* GraphQL */ `
  query ($id: ID!) {
    cohort(id: $id) {
      id
      status
      startsOn
      endsOn
      enrolledCount
      seatsLeft
      venue {
        id
      }
      indicators {
        trained
        completed
        dropped
      }
      provenance {
        source
        folio
        importedBy
        importedAt
      }
    }
  }
`;

const ENROLLMENTS = /* GraphQL */ `
  query ($filter: EnrollmentFilter) {
    enrollments(filter: $filter, first: 100) {
      nodes {
        id
        status
        enrolledAt
        completedAt
        droppedAt
        person {
          id
        }
      }
    }
  }
`;

/** What the database holds for `source`: cohorts, ledger entries, and enrollments of those cohorts. */
async function storedFor(source: string) {
  const { cohorts, cohortHistory, enrollments } = running.service.stores;
  const ids = (await cohorts.find({ 'provenance.source': source })).map(
    (c) => c.id,
  );
  return {
    cohorts: ids.length,
    folios: await cohortHistory.model.countDocuments({ source }),
    enrollments: await enrollments.model.countDocuments({
      cohortId: { $in: ids },
    }),
  };
}

describe('importing past cohorts', () => {
  const source = 'Registro de cursos 2020–2025 (prueba)';
  let records: ApiCohortRecord[];
  let ids: string[];

  beforeAll(() => {
    records = [
      // Four years ago: four complete, two drop out.
      history.apiRecord(world, 'CUR-2022-001', {
        startsOn: monthsAgo(48),
        days: 20,
        completing: 4,
      }),
      // Two years ago, its agreement named, everybody completes.
      history.apiRecord(world, 'CUR-2024-017', {
        startsOn: monthsAgo(24),
        days: 5,
        agreementId: '',
        capacity: 10,
      }),
    ];
    records[1]!.agreementId = agreementId;
  });

  it('writes COMPLETED cohorts with their historical dates, people and audit trail', async () => {
    const res = await importCohorts(records, source);
    expect(res.errors).toBeUndefined();
    const result = res.data!.importCohortHistory;
    expect(result).toMatchObject({
      source,
      importedCount: 2,
      skippedCount: 0,
      enrollmentCount: 12,
      skipped: [],
    });
    ids = result.imported.map((c: { id: string }) => c.id);
    expect(result.imported).toEqual([
      {
        id: ids[0],
        status: 'COMPLETED',
        startsOn: records[0]!.startsOn,
        endsOn: records[0]!.endsOn,
        scheduledAt: `${records[0]!.startsOn}T00:00:00.000Z`,
        // Seats held: who completed (drop-outs gave theirs back).
        enrolledCount: 4,
        capacity: 6,
        agreement: { id: agreementId },
        provenance: { folio: 'CUR-2022-001' },
      },
      {
        id: ids[1],
        status: 'COMPLETED',
        startsOn: records[1]!.startsOn,
        endsOn: records[1]!.endsOn,
        scheduledAt: `${records[1]!.startsOn}T00:00:00.000Z`,
        enrolledCount: 6,
        capacity: 10,
        agreement: { id: agreementId },
        provenance: { folio: 'CUR-2024-017' },
      },
    ]);

    const { cohort } = await client().ok(COHORT, { id: ids[0] }, admin);
    expect(cohort).toMatchObject({
      status: 'COMPLETED',
      venue: { id: world.venueId },
      // The indicators' rule: trained are those who did not drop out.
      indicators: { trained: 4, completed: 4, dropped: 2 },
      provenance: { source, folio: 'CUR-2022-001', importedBy: 'admin-1' },
    });

    const { enrollments } = await client().ok(
      ENROLLMENTS,
      { filter: { cohortId: ids[0] } },
      broker,
    );
    const dated = enrollments.nodes.map((e: any) => [
      e.person.id,
      e.status,
      e.enrolledAt,
      e.completedAt,
      e.droppedAt,
    ]);
    const start = `${records[0]!.startsOn}T00:00:00.000Z`;
    const end = `${records[0]!.endsOn}T00:00:00.000Z`;
    expect(dated).toEqual(
      expect.arrayContaining(
        world.personIds.map((personId, i) =>
          i < 4
            ? [personId, 'COMPLETED', start, end, null]
            : [personId, 'DROPPED', start, null, start],
        ),
      ),
    );
    expect(dated).toHaveLength(6);
  });

  it('shows the audit trail to admins and brokers only', async () => {
    const asBroker = await client().ok(COHORT, { id: ids[1] }, broker);
    expect(asBroker.cohort.provenance).toMatchObject({
      folio: 'CUR-2024-017',
    });
    const asPublic = await client().ok(COHORT, { id: ids[1] }, anonymous);
    expect(asPublic.cohort).toMatchObject({
      status: 'COMPLETED',
      provenance: null,
    });
  });

  it('publishes what a live cohort emits, with the historical dates and `imported`, once', async () => {
    const enrollmentIds = (
      await running.service.stores.enrollments.find({
        cohortId: { $in: ids },
      })
    ).map((e) => e.id);
    const subjects = new Set([...ids, ...enrollmentIds]);
    const mine = ({ event }: { event: any }) => subjects.has(event.subject);
    // 3 per cohort, 2 per participant.
    const expected = 2 * 3 + 12 * 2;
    const events = await readEvents({
      brokers: running.infra.kafkaBrokers,
      topic: topic(),
      until: mine,
      count: expected,
    });
    const mineOnly = events.filter((e) => subjects.has(e.event.subject));
    const start = `${records[0]!.startsOn}T00:00:00.000Z`;
    const end = `${records[0]!.endsOn}T00:00:00.000Z`;
    const imported = { source, reference: 'CUR-2022-001' };
    const first = mineOnly.filter((e) => e.key === ids[0]).map((e) => e.event);
    expect(first.map((e) => e.type)).toEqual([
      'training.CohortScheduled',
      'training.CohortStarted',
      'training.CohortCompleted',
    ]);
    expect(first[0]).toMatchObject({
      occurredAt: start,
      data: {
        agreementId,
        venueId: world.venueId,
        state: 'MX-JAL',
        standardId: world.standardId,
        startsOn: records[0]!.startsOn,
        endsOn: records[0]!.endsOn,
        scheduledAt: start,
        imported,
      },
    });
    expect(first[2]!.data.completedAt.slice(0, 10)).toBe(records[0]!.endsOn);

    const ofPerson = (personId: string) =>
      mineOnly
        .map((e) => e.event)
        .filter(
          (e) => e.data.personId === personId && e.data.cohortId === ids[0],
        );
    expect(ofPerson(world.personIds[0]!)).toMatchObject([
      {
        type: 'training.ParticipantEnrolled',
        occurredAt: start,
        data: { enrolledAt: start, standardId: world.standardId, imported },
      },
      {
        type: 'training.EnrollmentCompleted',
        occurredAt: end,
        data: { completedAt: end, imported },
      },
    ]);
    expect(ofPerson(world.personIds[5]!)).toMatchObject([
      { type: 'training.ParticipantEnrolled' },
      {
        type: 'training.EnrollmentDropped',
        data: { droppedAt: start, imported },
      },
    ]);

    // Nothing else was published for them.
    await expect(
      readEvents({
        brokers: running.infra.kafkaBrokers,
        topic: topic(),
        until: mine,
        count: expected + 1,
        timeoutMs: 4_000,
      }),
    ).rejects.toThrow(
      new RegExp(`${expected}/${expected + 1} matching events`),
    );
  });

  it('leaves nothing for the reconciler to repair', async () => {
    const report = await running.service.reconciler.runOnce();
    expect(report).toMatchObject({
      enrollmentsWritten: 0,
      seatsReleased: 0,
      seatsRecorded: 0,
      cohortsBackfilled: 0,
    });
  });

  it('is idempotent: a re-sent batch is answered as already imported, writing and publishing nothing', async () => {
    const again = await importCohorts(records, `  ${source} `);
    expect(again.errors).toBeUndefined();
    expect(again.data!.importCohortHistory).toMatchObject({
      source,
      importedCount: 0,
      skippedCount: 2,
      enrollmentCount: 0,
      imported: [],
      skipped: [
        { id: ids[0], provenance: { folio: 'CUR-2022-001' } },
        { id: ids[1], provenance: { folio: 'CUR-2024-017' } },
      ],
    });
    expect(await storedFor(source)).toEqual({
      cohorts: 2,
      folios: 2,
      enrollments: 12,
    });
  });

  it('finishes a batch that stopped after its enrollments, before its cohort', async () => {
    const folio = 'CUR-2023-040';
    const record = history.apiRecord(world, folio, {
      startsOn: monthsAgo(36),
      completing: 5,
    });
    const first = await importCohorts([record], source);
    const cohortId = first.data!.importCohortHistory.imported[0].id;
    // What a crash between the two writes leaves: the ledger and the
    // enrollments, no cohort.
    await running.service.stores.cohorts.model.deleteOne({ _id: cohortId });
    const rerun = await importCohorts([record], source);
    expect(rerun.data!.importCohortHistory).toMatchObject({
      importedCount: 1,
      skippedCount: 0,
      enrollmentCount: 0,
      imported: [{ id: cohortId, enrolledCount: 5 }],
    });
    expect(await storedFor(source)).toEqual({
      cohorts: 3,
      folios: 3,
      enrollments: 18,
    });
  });
});

describe('refusals', () => {
  const source = 'Registro de cursos con errores';

  it('refuses the whole batch for one bad participant, naming its field, writing nothing', async () => {
    const good = history.apiRecord(world, 'CUR-OK-1', {
      startsOn: monthsAgo(30),
    });
    const bad = history.apiRecord(world, 'CUR-BAD-2', {
      startsOn: monthsAgo(20),
    });
    // Completed two months after the cohort ended.
    bad.participants[2]!.outcomeOn = monthsAgo(18);
    const res = await importCohorts(
      [
        good,
        bad,
        history.apiRecord(world, 'CUR-OK-3', { startsOn: monthsAgo(10) }),
      ],
      source,
    );
    expect(res.data).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.records[1].participants[2].outcomeOn',
      reason: 'OUTCOME_OUTSIDE_COHORT',
    });
    expect(await storedFor(source)).toEqual({
      cohorts: 0,
      folios: 0,
      enrollments: 0,
    });
  });

  it('refuses a cohort that has not ended, an unknown person and a cohort no agreement covers, each by its field', async () => {
    const future = history.apiRecord(world, 'CUR-NOW', {
      startsOn: monthsAgo(1),
      days: 62,
    });
    const stranger = history.apiRecord(world, 'CUR-WHO', {
      startsOn: monthsAgo(12),
    });
    stranger.participants[0]!.personId = uuidv7();
    const beforeAgreement = history.apiRecord(world, 'CUR-OLD', {
      startsOn: monthsAgo(84),
    });
    const res = await importCohorts(
      [future, stranger, beforeAgreement],
      source,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.records[0].endsOn',
      reason: 'DATE_IN_FUTURE',
    });
    expect(
      res.errors?.[0]?.extensions?.fields.map((f: any) => f.field),
    ).toEqual(
      expect.arrayContaining([
        'input.records[1].participants[0].personId',
        'input.records[2].agreementId',
      ]),
    );
    expect(await storedFor(source)).toEqual({
      cohorts: 0,
      folios: 0,
      enrollments: 0,
    });
  });

  it.each([
    ['a broker', broker, 'ADMIN_ONLY'],
    ['the public', anonymous, 'ADMIN_ONLY'],
    [
      'an admin without a subject',
      { roles: ['admin'] },
      'IMPORTER_UNIDENTIFIED',
    ],
  ])('refuses %s, writing nothing', async (_who, as, reason) => {
    const res = await importCohorts(
      [history.apiRecord(world, 'CUR-ROLE', { startsOn: monthsAgo(14) })],
      source,
      as as typeof admin,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason,
    });
    expect(await storedFor(source)).toEqual({
      cohorts: 0,
      folios: 0,
      enrollments: 0,
    });
  });

  it(`refuses more than ${MAX_IMPORT_BATCH} cohorts in one call`, async () => {
    const res = await importCohorts(
      Array.from({ length: MAX_IMPORT_BATCH + 1 }, (_, i) =>
        history.apiRecord(world, `CUR-BIG-${i}`, { startsOn: monthsAgo(15) }),
      ),
      source,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.records',
      reason: 'BATCH_TOO_LARGE',
    });
  });
});

it('sends the same MongoDB commands for a batch of 20 cohorts and of 500', async () => {
  const batch = (size: number) =>
    Array.from({ length: size }, (_, i) =>
      history.apiRecord(world, `CUR-${i}`, {
        // Spread over five years, a cohort a few days long each.
        startsOn: monthsAgo(2 + (i % 60)),
        days: 3,
        completing: 4,
      }),
    );
  const measure = async (source: string, size: number) => {
    const before = await requestCommandsAt(running.operatorUrl);
    const started = Date.now();
    const res = await importCohorts(batch(size), source);
    const ms = Date.now() - started;
    expect(res.errors).toBeUndefined();
    expect(res.data!.importCohortHistory).toMatchObject({
      importedCount: size,
      enrollmentCount: size * 6,
    });
    return {
      commands: commandsBetween(
        before,
        await requestCommandsAt(running.operatorUrl),
      ),
      ms,
    };
  };
  const small = await measure('Registro de 20 cursos', 20);
  const full = await measure('Registro de 500 cursos', MAX_IMPORT_BATCH);
  process.stdout.write(
    `cohort import round trips: 20 → ${JSON.stringify(small.commands)} (${small.ms} ms); 500 → ${JSON.stringify(full.commands)} (${full.ms} ms)\n`,
  );
  expect(full.commands).toEqual(small.commands);
  // Lookups (organizations, standards, people, agreements), the ledger read
  // and insert, one insert of enrollments and one of cohorts.
  const total = Object.values(full.commands).reduce((a, b) => a + b, 0);
  expect(total).toBeLessThanOrEqual(10);
  expect(await storedFor('Registro de 500 cursos')).toEqual({
    cohorts: 500,
    folios: 500,
    enrollments: 3_000,
  });
}, 120_000);
