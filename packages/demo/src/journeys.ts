import { Faker, base, en, es, es_MX } from '@faker-js/faker';
import {
  enrolCandidate,
  evaluateAndCertify,
  type AccreditedStandard,
  type DemoCertifyingBody,
  type LivePerson,
} from './certification';
import { whenProjected, type Actor, type GraphClient } from './graph-client';
import { inBatches } from './in-batches';
import { SECTOR_JOBS, centavos } from './outcomes';

const BROKER: Actor = { sub: 'demo-broker', roles: ['broker'] };
const DAY_MS = 86_400_000;
/** A calendar date `days` from today (UTC), YYYY-MM-DD. */
const date = (days: number) =>
  new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);
/** Pesos to centavos (money is integer centavos). */
const pesos = (mxn: number) => mxn * 100;

// One cohort for every other published standard: 4 at scale 1, and as many
// more as the scale adds published standards.
const COHORT_EVERY = 2;
// People per cohort; the agreement's minimum and the room's capacity.
const PARTICIPANTS = { min: 10, max: 14 };
const MIN_COHORT_SIZE = 8;
const CAPACITY = 20;
// Each share is of the stage before, as a funded short course converts: most
// finish (the rest drop out), most of those sit the evaluation, which finds
// most competent (the live candidates' rate), and over half of the certified
// are hired within weeks.
const COMPLETION_SHARE = 0.8;
const EVALUATED_SHARE = 0.8;
const COMPETENT_SHARE = 0.85;
const PLACED_SHARE = 0.6;
// Trainees were out of work more often than the placement history's quarter.
const UNEMPLOYED_SHARE = 0.4;
// A job starts on the day of the certificate or within four weeks of it.
const START_WITHIN_DAYS = 28;
const DROP_REASONS = [
  'Consiguió empleo y no pudo continuar',
  'Cambio de turno en su trabajo',
  'Motivos familiares',
  'No pudo trasladarse a la sede',
] as const;
/**
 * The city of each certifying body that hosts cohorts at its own facility
 * (universities, the vocational school, unions, chambers; the employers
 * certify their own workforce and host none).
 */
export const VENUE_CITIES: Record<string, string> = {
  unam: 'Ciudad de México',
  udg: 'Guadalajara',
  uanl: 'San Nicolás de los Garza',
  uabc: 'Tijuana',
  uaq: 'Querétaro',
  conalep: 'Metepec',
  ctm: 'Ciudad de México',
  'sindicato-automotriz': 'Puebla',
  canieti: 'Ciudad de México',
  'coparmex-jal': 'Guadalajara',
};

/** One person's way from enrollment to a job, drawn before anything is sent. */
interface Journey {
  cohort: number;
  person: LivePerson;
  completes: boolean;
  dropReason: string;
  evaluated: boolean;
  competent: boolean;
  job?: {
    employerId: string;
    jobTitle: string;
    startInDays: number;
    salaryBefore: number;
    salaryAfter: number;
  };
}

interface CohortPlan {
  standard: AccreditedStandard;
  host: DemoCertifyingBody;
  providerId: string;
  discountBps: number;
  extraTrainingHours: number;
  marketPrice: number;
}

/**
 * People who go the whole way, so the funnel of outcomes (a cohort of people:
 * enrolled → completed → certified on the cohort's standard → placed within
 * months) has something at every stage: for every other published standard,
 * an agreement with a training provider for the standard, a cohort at a body
 * accredited for it, people enrolled, most of them completing (the rest
 * dropping out), most of those evaluated and certified by that body
 * (candidacy → evaluation → certificate, after the enrollment) and a share of
 * the certified hired within weeks of the certificate.
 *
 * All of it happens today: training refuses a cohort that starts today or
 * earlier (DATE_IN_PAST) — past cohorts come only through the admin's
 * import (`./cohort-history`) — while starting and completing a cohort has
 * no date rule. So each cohort is
 * scheduled as a one-day course tomorrow, the earliest day allowed, then run
 * and completed at once, as the national scenario does; enrollments,
 * completions and certificates are dated now, and jobs start today or in the
 * next four weeks. The funnel has its numbers in the current month (year,
 * quarter) only.
 *
 * The people are the registry's live candidates who are in no cohort yet,
 * evaluated (most certified) on another standard months ago, now training
 * for a second one: already known to training, so enrolling them waits for
 * nothing. New people would wait for training's projection of certification's
 * registry to get through the ~1,800 registrations of the legacy import first
 * (about 30 s of the load measured in the start-system test).
 *
 * Deterministic from the seed (its own generator, so it shifts nothing else);
 * the number of cohorts follows the published standards, which grow with the
 * scale. Concurrent through {@link inBatches}; each person's mutations stay in
 * order.
 */
export async function loadJourneys(
  graph: GraphClient,
  {
    standards,
    people,
    organizationIds,
    sectorIds,
    seed,
    log,
  }: {
    standards: readonly AccreditedStandard[];
    /** Registered people in no cohort, who may enroll. */
    people: readonly LivePerson[];
    organizationIds: ReadonlyMap<string, string>;
    /** committees' Sector id by SCIAN code. */
    sectorIds: ReadonlyMap<string, string>;
    seed: number;
    log: (line: string) => void;
  },
): Promise<{
  cohorts: number;
  enrolled: number;
  completed: number;
  certificates: number;
  placements: number;
}> {
  const startedAt = Date.now();
  const random = new Faker({ locale: [es_MX, es, en, base] });
  // Seeded apart from outcomes' generator (which uses the bare seed).
  random.seed([seed, 14]);
  const orgsStartingWith = (prefix: string) =>
    [...organizationIds.entries()]
      .filter(([key]) => key.startsWith(prefix))
      .map(([, id]) => id);
  const anyProvider = orgsStartingWith('provider:');

  const cohorts: CohortPlan[] = [];
  const journeys: Journey[] = [];
  const pool = random.helpers.shuffle([...people]);
  for (const [s, standard] of standards.entries()) {
    if (s % COHORT_EVERY !== 0) continue;
    const host = standard.bodies.find((b) => b.key in VENUE_CITIES);
    const providers = orgsStartingWith(`provider:${standard.sector}:`);
    const providerId = providers[0] ?? anyProvider[0];
    if (!host || !providerId) continue;
    const jobs = SECTOR_JOBS[standard.sector];
    const employers = orgsStartingWith(`company:${standard.sector}:`);
    const terms = {
      // At most 70 %, the vendor discount cap training applies by default.
      discountBps: random.number.int({ min: 50, max: 70 }) * 100,
      extraTrainingHours: random.number.int({ min: 8, max: 24 }),
      marketPrice: pesos(random.number.int({ min: 6, max: 18 }) * 1_000),
    };
    // People not evaluated on this standard yet.
    const size = random.number.int(PARTICIPANTS);
    const enrolled = pool
      .filter((p) => p.standardId !== standard.id)
      .slice(0, size);
    for (const person of enrolled) pool.splice(pool.indexOf(person), 1);
    if (enrolled.length < MIN_COHORT_SIZE) break;
    const cohort = cohorts.length;
    cohorts.push({ standard, host, providerId, ...terms });
    for (const person of enrolled) {
      // Every draw is made for everyone, so one share never shifts another.
      const completes = random.number.float() < COMPLETION_SHARE;
      const dropReason = random.helpers.arrayElement(DROP_REASONS);
      const sitsEvaluation = random.number.float() < EVALUATED_SHARE;
      const competent = random.number.float() < COMPETENT_SHARE;
      const hired = random.number.float() < PLACED_SHARE;
      const before = jobs
        ? random.number.float({ min: jobs.before[0], max: jobs.before[1] })
        : 0;
      const uplift = jobs
        ? random.number.float({ min: jobs.uplift[0], max: jobs.uplift[1] })
        : 0;
      const unemployed = random.number.float() < UNEMPLOYED_SHARE;
      const startInDays = random.number.int({
        min: 0,
        max: START_WITHIN_DAYS,
      });
      const jobTitle = jobs ? random.helpers.arrayElement(jobs.titles) : '';
      const employerId =
        employers.length > 0 ? random.helpers.arrayElement(employers) : '';
      journeys.push({
        cohort,
        person,
        completes,
        dropReason,
        evaluated: completes && sitsEvaluation,
        competent,
        ...(hired &&
          jobs &&
          employers.length > 0 && {
            job: {
              employerId,
              jobTitle,
              startInDays,
              salaryBefore: unemployed ? 0 : centavos(before),
              salaryAfter: centavos(before * (1 + uplift)),
            },
          }),
      });
    }
  }
  if (cohorts.length === 0) {
    log('journeys: no published standard with a venue; skipped');
    return {
      cohorts: 0,
      enrolled: 0,
      completed: 0,
      certificates: 0,
      placements: 0,
    };
  }

  // 1. An agreement for each standard, and its cohort at the host body.
  const cohortIds = await inBatches(cohorts, async (cohort) => {
    const { signAgreement } = await whenProjected(
      () =>
        graph(
          BROKER,
          `mutation ($i: SignAgreementInput!) { signAgreement(input: $i) { id } }`,
          {
            i: {
              providerId: cohort.providerId,
              target: { standardId: cohort.standard.id },
              discountBps: cohort.discountBps,
              extraTrainingHours: cohort.extraTrainingHours,
              // The evaluation is the certifying body's, not a vendor exam.
              examVouchersPerParticipant: 0,
              marketPrice: cohort.marketPrice,
              validFrom: date(0),
              validUntil: date(180),
              minCohortSize: MIN_COHORT_SIZE,
              states: [cohort.host.state],
              online: false,
            },
          },
        ),
      ['ORGANIZATION_NOT_FOUND', 'STANDARD_NOT_FOUND'],
    );
    // A cohort may not start today or earlier: tomorrow, one day.
    const { scheduleCohort } = await graph(
      BROKER,
      `mutation ($i: ScheduleCohortInput!) { scheduleCohort(input: $i) { id } }`,
      {
        i: {
          agreementId: signAgreement.id,
          venueId: cohort.host.organizationId,
          state: cohort.host.state,
          city: VENUE_CITIES[cohort.host.key],
          mode: 'IN_PERSON',
          startsOn: date(1),
          endsOn: date(1),
          capacity: CAPACITY,
        },
      },
    );
    return scheduleCohort.id as string;
  });

  // 2. The people enroll (registered long before: training knows them).
  const enrollmentIds = await inBatches(
    journeys,
    async (journey) => {
      const { enroll } = await whenProjected(
        () =>
          graph(
            BROKER,
            `mutation ($i: EnrollInput!) { enroll(input: $i) { id } }`,
            {
              i: {
                cohortId: cohortIds[journey.cohort],
                personId: journey.person.id,
              },
            },
          ),
        ['PERSON_NOT_FOUND'],
      );
      return enroll.id as string;
    },
    { log, label: 'journeys: people enrolled' },
  );

  // 3. The cohorts run: each person completes or drops out, then the
  // cohort is completed. (Attendance is not recorded: completion does not
  // require it, and it would cost a training mutation per person.)
  await inBatches(cohortIds, (id) =>
    graph(BROKER, `mutation ($id: ID!) { startCohort(id: $id) { id } }`, {
      id,
    }),
  );
  await inBatches(
    journeys.map((journey, n) => ({ journey, enrollmentId: enrollmentIds[n] })),
    ({ journey, enrollmentId }) =>
      journey.completes
        ? graph(
            BROKER,
            `mutation ($id: ID!) { completeEnrollment(enrollmentId: $id) { id } }`,
            { id: enrollmentId },
          )
        : graph(
            BROKER,
            `mutation ($i: DropEnrollmentInput!) { dropEnrollment(input: $i) { id } }`,
            { i: { enrollmentId, reason: journey.dropReason } },
          ),
  );
  await inBatches(cohortIds, (id) =>
    graph(BROKER, `mutation ($id: ID!) { completeCohort(id: $id) { id } }`, {
      id,
    }),
  );
  const completed = journeys.filter((j) => j.completes).length;
  log(
    `journeys: ${cohorts.length} cohorts run (one day each), ${journeys.length} people enrolled, ${completed} completed, ${journeys.length - completed} dropped out`,
  );

  // 4. Those who sit the evaluation: the host body proposes the candidacy,
  // the person accepts, one of its staff evaluates and another certifies.
  const evaluated = journeys
    .filter((journey) => journey.evaluated)
    .map((journey) => ({ journey, personId: journey.person.id }));
  const certified = await inBatches(
    evaluated,
    async ({ journey, personId }) => {
      const { standard, host } = cohorts[journey.cohort]!;
      await enrolCandidate(graph, host, {
        personId,
        person: journey.person.person,
        standardId: standard.id,
      });
      return evaluateAndCertify(graph, host, {
        personId,
        standardId: standard.id,
        competent: journey.competent,
        // Now: after the enrollment and the completion.
        evaluatedAt: new Date().toISOString(),
        observed:
          'Desempeño observado al término del curso; productos completos conforme a los criterios',
      });
    },
    { log, label: 'journeys: people evaluated' },
  );
  const certificates = certified.filter(Boolean).length;

  // 5. A share of the certified are hired in the cohort's state, in the
  // standard's sector, from the day of the certificate on.
  const hired = evaluated.filter(
    ({ journey }, n) => certified[n] && journey.job,
  );
  await inBatches(hired, ({ journey, personId }) => {
    const { standard, host } = cohorts[journey.cohort]!;
    const job = journey.job!;
    return graph(
      BROKER,
      `mutation ($i: RecordPlacementInput!) { recordPlacement(input: $i) { id } }`,
      {
        i: {
          personId,
          employerId: job.employerId,
          jobTitle: job.jobTitle,
          sectorId: sectorIds.get(standard.sector),
          state: host.state,
          startDate: date(job.startInDays),
          salaryBefore: job.salaryBefore,
          salaryAfter: job.salaryAfter,
        },
      },
    );
  });
  log(
    `journeys: ${evaluated.length} evaluated, ${certificates} certified on their cohort's standard, ${hired.length} placed (${Math.round((Date.now() - startedAt) / 100) / 10} s)`,
  );
  return {
    cohorts: cohorts.length,
    enrolled: journeys.length,
    completed,
    certificates,
    placements: hired.length,
  };
}
