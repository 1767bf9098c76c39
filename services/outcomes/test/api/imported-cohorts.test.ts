import { v7 as uuidv7 } from 'uuid';
import {
  CohortScheduledV1,
  EnrollmentCompletedV1,
  EnrollmentDroppedV1,
  ParticipantEnrolledV1,
  newEvent,
} from '@conecta/events';
import { eventMother as events, placementMother } from '../fixtures/mothers';
import {
  admin,
  startOutcomes,
  type RunningOutcomes,
} from '../fixtures/service';

// Past cohorts imported into training (`importCohortHistory`) years after
// they ran: their events reach outcomes today, dated back then and marked
// `imported`, as training publishes them. The funnel must count them in
// their own years — by enrolledAt / completedAt, the certificate's issuedAt
// and the job's start — not in the year the events arrived.
let running: RunningOutcomes;
const client = () => running.client;

const standard = events.standardPublished('EC0301', '2018-04-01T12:00:00Z');
const STANDARD = standard.data.id;
const source = 'Registro de cursos 2019–2024';

/**
 * A past cohort as training's import publishes it: scheduled on its first
 * day, each participant enrolled that day and completed on its last day
 * (the first `completing`) or dropped out on the first.
 */
function importedCohort(
  folio: string,
  startsOn: string,
  endsOn: string,
  people: readonly string[],
  completing: number,
) {
  const id = uuidv7();
  const importedAt = new Date().toISOString();
  const imported = { source, reference: folio, importedAt };
  const start = `${startsOn}T00:00:00.000Z`;
  const end = `${endsOn}T00:00:00.000Z`;
  const agreementId = uuidv7();
  const scheduled = newEvent(CohortScheduledV1, {
    subject: id,
    occurredAt: new Date(start),
    data: {
      id,
      agreementId,
      venueId: uuidv7(),
      state: 'MX-NLE',
      city: 'Monterrey',
      mode: 'IN_PERSON',
      targetKind: 'STANDARD',
      standardId: STANDARD,
      startsOn,
      endsOn,
      capacity: people.length,
      scheduledAt: start,
      imported,
    },
  });
  const lives = people.flatMap((personId, i) => {
    const enrollment = uuidv7();
    const ref = { id: enrollment, cohortId: id, personId };
    return [
      newEvent(ParticipantEnrolledV1, {
        subject: enrollment,
        occurredAt: new Date(start),
        data: {
          ...ref,
          agreementId,
          targetKind: 'STANDARD',
          standardId: STANDARD,
          enrolledAt: start,
          imported,
        },
      }),
      i < completing
        ? newEvent(EnrollmentCompletedV1, {
            subject: enrollment,
            occurredAt: new Date(end),
            data: { ...ref, completedAt: end, imported },
          })
        : newEvent(EnrollmentDroppedV1, {
            subject: enrollment,
            occurredAt: new Date(start),
            data: {
              ...ref,
              reason: `Recorded as dropped in ${source}`,
              droppedAt: start,
              imported,
            },
          }),
    ];
  });
  return [scheduled, ...lives];
}

const people2021 = Array.from({ length: 10 }, () => uuidv7());
const people2023 = Array.from({ length: 6 }, () => uuidv7());

beforeAll(async () => {
  running = await startOutcomes('outcomes-imported-cohorts');
  await running.publish(
    standard,
    // 2021: 10 enrolled in March, 8 completed; 6 certified in June, on the
    // standard, after the course (the legacy registry's certificates).
    ...importedCohort(
      'CUR-2021-004',
      '2021-03-01',
      '2021-03-26',
      people2021,
      8,
    ),
    ...people2021.slice(0, 6).map((personId) =>
      events.certificateIssued(STANDARD, '2021-06-15T12:00:00Z', personId, {
        imported: true,
      }),
    ),
    // 2023: 6 enrolled in September, all completed, 5 certified in November.
    ...importedCohort(
      'CUR-2023-019',
      '2023-09-04',
      '2023-09-29',
      people2023,
      6,
    ),
    ...people2023.slice(0, 5).map((personId) =>
      events.certificateIssued(STANDARD, '2023-11-20T12:00:00Z', personId, {
        imported: true,
      }),
    ),
  );
  // The historical placements: within six months of the certificate.
  for (const personId of people2021.slice(0, 5))
    await client().ok(
      `mutation ($input: RecordPlacementInput!) { recordPlacement(input: $input) { id } }`,
      {
        input: placementMother.developer({ personId, startDate: '2021-09-01' }),
      },
      admin,
    );
  for (const personId of people2023.slice(0, 3))
    await client().ok(
      `mutation ($input: RecordPlacementInput!) { recordPlacement(input: $input) { id } }`,
      {
        input: placementMother.developer({ personId, startDate: '2024-02-01' }),
      },
      admin,
    );
  await running.caughtUp();
}, 120_000);

afterAll(() => running?.stop());

const FUNNEL = /* GraphQL */ `
  query ($filter: OutcomeFilter!) {
    funnel(filter: $filter) {
      periods: stages {
        stage
        count {
          value
        }
        rate
      }
    }
  }
`;

const funnelOf = async (year: number) => {
  const { funnel } = await client().ok(
    FUNNEL,
    {
      filter: {
        from: `${year}-01-01`,
        to: `${year}-12-31`,
        granularity: 'YEAR',
        standardId: STANDARD,
      },
    },
    admin,
  );
  return funnel.periods.map((s: any) => [s.stage, s.count.value, s.rate]);
};

describe("imported cohorts' events count in their historical periods", () => {
  it('2021: 10 enrolled → 8 completed → 6 certified → 5 placed within six months', async () => {
    expect(await funnelOf(2021)).toEqual([
      ['ENROLLED', 10, null],
      ['COMPLETED', 8, 0.8],
      ['CERTIFIED', 6, 0.75],
      ['PLACED', 5, 5 / 6],
    ]);
  });

  it('2023: 6 → 6 → 5 → 3, the jobs of 2024 credited to the cohort of 2023', async () => {
    expect(await funnelOf(2023)).toEqual([
      ['ENROLLED', 6, null],
      ['COMPLETED', 6, 1],
      ['CERTIFIED', 5, 5 / 6],
      ['PLACED', 3, 0.6],
    ]);
  });

  it('nothing in the years between, nor in the year the events arrived', async () => {
    const empty = [
      ['ENROLLED', 0, null],
      ['COMPLETED', 0, null],
      ['CERTIFIED', 0, null],
      ['PLACED', 0, null],
    ];
    expect(await funnelOf(2022)).toEqual(empty);
    expect(await funnelOf(new Date().getUTCFullYear())).toEqual(empty);
  });
});
