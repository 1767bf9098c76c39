import { Faker, base } from '@faker-js/faker';
import type { Actor, GraphClient } from './graph-client';
import { inBatches } from './in-batches';

const BROKER: Actor = { sub: 'demo-broker', roles: ['broker'] };
const COUNCIL: Actor = { sub: 'demo-council-1', roles: ['council'] };
const DAY_MS = 86_400_000;
// Years of placement history behind today: long enough for trends by year.
const HISTORY_YEARS = 6;
// At scale 1: a few seconds through the gateway.
const PLACEMENTS_PER_SCALE = 200;
const SURVEYS_PER_SCALE = 100;
// Monthly salaries rise with wage inflation (≈ 5 % a year), back-dated from today.
const WAGE_GROWTH = 0.05;
const SURVEY_FACTORS = [
  'TECHNICAL_SKILL',
  'PRODUCTIVITY',
  'TEAMWORK',
  'ENGLISH',
  'PROBLEM_SOLVING',
  'COMMUNICATION',
] as const;

/** Where each sector hires, what for, and what it pays (monthly MXN today). */
export const SECTOR_JOBS: Record<
  string,
  {
    weight: number;
    states: readonly string[];
    titles: readonly string[];
    before: readonly [number, number];
    uplift: readonly [number, number];
  }
> = {
  '5415': {
    weight: 40,
    states: ['MX-JAL', 'MX-NLE', 'MX-CMX', 'MX-QUE', 'MX-YUC'],
    titles: [
      'Desarrollador de software junior',
      'Ingeniero de soporte en la nube',
      'Analista de ciberseguridad',
      'Administrador de redes',
      'Analista de pruebas de software',
    ],
    before: [11_000, 20_000],
    uplift: [0.15, 0.6],
  },
  '3361': {
    weight: 20,
    states: ['MX-PUE', 'MX-GUA', 'MX-NLE', 'MX-COA', 'MX-AGU'],
    titles: [
      'Técnico de mantenimiento industrial',
      'Operador de línea de ensamble',
      'Inspector de calidad automotriz',
    ],
    before: [9_000, 15_000],
    uplift: [0.1, 0.35],
  },
  '3344': {
    weight: 12,
    states: ['MX-JAL', 'MX-BCN', 'MX-CHH', 'MX-SON'],
    titles: ['Técnico en electrónica', 'Operador de montaje superficial (SMT)'],
    before: [8_500, 14_000],
    uplift: [0.1, 0.3],
  },
  '3364': {
    weight: 10,
    states: ['MX-QUE', 'MX-BCN', 'MX-CHH', 'MX-SON'],
    titles: [
      'Técnico en estructuras aeronáuticas',
      'Inspector de ensayos no destructivos',
    ],
    before: [12_000, 19_000],
    uplift: [0.15, 0.45],
  },
  '7211': {
    weight: 10,
    states: ['MX-ROO', 'MX-JAL', 'MX-GRO', 'MX-BCS'],
    titles: ['Recepcionista bilingüe', 'Supervisor de ama de llaves'],
    before: [7_500, 11_000],
    uplift: [0.05, 0.25],
  },
  '6241': {
    weight: 4,
    states: ['MX-CMX', 'MX-MEX', 'MX-OAX'],
    titles: ['Orientador laboral', 'Promotor comunitario'],
    before: [7_000, 10_000],
    uplift: [0.05, 0.2],
  },
  '9312': {
    weight: 4,
    states: ['MX-CMX', 'MX-MEX', 'MX-VER'],
    titles: ['Analista de atención ciudadana', 'Auxiliar administrativo'],
    before: [8_000, 12_000],
    uplift: [0.05, 0.2],
  },
};

/** Rounded to 100 pesos, in centavos (money is integer centavos). */
export const centavos = (pesos: number) => Math.round(pesos / 100) * 100 * 100;
const isoDay = (at: Date) => at.toISOString().slice(0, 10);

/**
 * The outcomes part of the demo: placements of the people certified earlier,
 * starting over the last six years (more each year, as the program grows), in
 * each sector's states and jobs with realistic monthly salaries before and
 * after (a quarter were unemployed before); employer surveys about training
 * providers and standards; and four program goals (national certifications
 * and enrollments, placements in Jalisco, certifications in IT services).
 * Deterministic from the seed (its own generator, so it does not shift the
 * rest of the demo); sizes scale with `scale`.
 */
export async function loadOutcomes(
  graph: GraphClient,
  {
    personIds,
    organizationIds,
    sectorIds,
    standardIds,
    linked = [],
    seed,
    scale,
    log,
  }: {
    personIds: readonly string[];
    /**
     * Jobs of people certified after a past cohort (the cohort history's
     * plan): the first placements go to them on these days, in place of a
     * drawn person and day (everything else is drawn as before).
     */
    linked?: readonly { personId: string; startDate: string }[];
    organizationIds: ReadonlyMap<string, string>;
    /** committees' Sector id by SCIAN code. */
    sectorIds: ReadonlyMap<string, string>;
    /** Published standards, for surveys about them. */
    standardIds: readonly string[];
    seed: number;
    scale: number;
    log: (line: string) => void;
  },
): Promise<{ placements: number; surveys: number; goals: number }> {
  const faker = new Faker({ locale: [base], seed });
  const employersOf = (code: string) =>
    [...organizationIds.entries()]
      .filter(([key]) => key.startsWith(`company:${code}:`))
      .map(([, id]) => id);
  const sectors = Object.entries(SECTOR_JOBS)
    .filter(([code]) => sectorIds.has(code) && employersOf(code).length > 0)
    .map(([code, jobs]) => ({
      code,
      jobs,
      sectorId: sectorIds.get(code)!,
      employers: employersOf(code),
    }));
  const providers = [...organizationIds.entries()]
    .filter(([key]) => key.startsWith('provider:'))
    .map(([, id]) => id);
  if (personIds.length === 0 || sectors.length === 0) {
    log('outcomes: no people or employers to place; skipped');
    return { placements: 0, surveys: 0, goals: 0 };
  }

  const today = new Date();
  const placements = Array.from(
    { length: PLACEMENTS_PER_SCALE * scale },
    (_, i) => {
      const { jobs, sectorId, employers } = faker.helpers.weightedArrayElement(
        sectors.map((sector) => ({
          weight: sector.jobs.weight,
          value: sector,
        })),
      );
      // A third spread evenly, the rest with a density falling linearly into
      // the past: yearly placements grow as the program does.
      const spread =
        faker.number.float() < 1 / 3
          ? faker.number.float()
          : 1 - Math.sqrt(faker.number.float());
      const daysAgo = Math.floor(HISTORY_YEARS * 365 * spread);
      const startDate = new Date(today.getTime() - (daysAgo + 1) * DAY_MS);
      const deflator = (1 + WAGE_GROWTH) ** -(daysAgo / 365);
      const before = faker.number.float({
        min: jobs.before[0],
        max: jobs.before[1],
      });
      const uplift = faker.number.float({
        min: jobs.uplift[0],
        max: jobs.uplift[1],
      });
      const unemployed = faker.number.float() < 0.25;
      const job = linked[i];
      return {
        personId: job?.personId ?? personIds[i % personIds.length]!,
        employerId: faker.helpers.arrayElement(employers),
        jobTitle: faker.helpers.arrayElement(jobs.titles),
        sectorId,
        state: faker.helpers.arrayElement(jobs.states),
        startDate: job?.startDate ?? isoDay(startDate),
        salaryBefore: unemployed ? 0 : centavos(before * deflator),
        salaryAfter: centavos(before * (1 + uplift) * deflator),
      };
    },
  );
  // A placement is one person starting with one employer on one day (outcomes
  // refuses a second record of it): a draw that repeats one moves a day back.
  const placed = new Set<string>();
  for (const placement of placements) {
    const keyOf = () =>
      `${placement.personId}|${placement.employerId}|${placement.startDate}`;
    while (placed.has(keyOf()))
      placement.startDate = isoDay(
        new Date(Date.parse(placement.startDate) - DAY_MS),
      );
    placed.add(keyOf());
  }
  const firstYear = placements.reduce(
    (first, p) => Math.min(first, Number(p.startDate.slice(0, 4))),
    today.getUTCFullYear(),
  );
  await inBatches(
    placements,
    (input) =>
      graph(
        BROKER,
        `mutation ($i: RecordPlacementInput!) { recordPlacement(input: $i) { id } }`,
        { i: input },
      ),
    { log, label: 'outcomes: placements' },
  );

  const surveys = Array.from({ length: SURVEYS_PER_SCALE * scale }, () => {
    const { employers } = faker.helpers.arrayElement(sectors);
    const factors = faker.helpers.arrayElements(SURVEY_FACTORS, {
      min: 3,
      max: SURVEY_FACTORS.length,
    });
    return {
      employerId: faker.helpers.arrayElement(employers),
      ...(providers.length > 0 && faker.number.float() < 0.7
        ? { providerId: faker.helpers.arrayElement(providers) }
        : {}),
      ...(standardIds.length > 0 && faker.number.float() < 0.6
        ? { standardId: faker.helpers.arrayElement(standardIds) }
        : {}),
      // Mostly good, rarely poor: 3–5 with some 2s.
      ratings: factors.map((factor) => ({
        factor,
        score: faker.helpers.weightedArrayElement([
          { weight: 1, value: 2 },
          { weight: 4, value: 3 },
          { weight: 6, value: 4 },
          { weight: 3, value: 5 },
        ]),
      })),
    };
  });
  await inBatches(surveys, (input) =>
    graph(
      BROKER,
      `mutation ($i: SubmitEmployerSurveyInput!) { submitEmployerSurvey(input: $i) { id } }`,
      { i: input },
    ),
  );

  const year = today.getUTCFullYear();
  const goals = [
    {
      name: `Meta nacional de certificación ${year}`,
      metric: 'CERTIFICATIONS',
      target: 250 * scale,
      startsOn: `${year}-01-01`,
      deadline: `${year}-12-31`,
    },
    {
      name: `Personas capacitadas en certificaciones de la industria ${year}–${year + 1}`,
      metric: 'TRAINED',
      target: 120 * scale,
      startsOn: `${year}-01-01`,
      deadline: `${year + 1}-12-31`,
    },
    {
      name: `Colocación en Jalisco ${year - 2}–${year}`,
      metric: 'PLACEMENTS',
      target: 40 * scale,
      startsOn: `${year - 2}-01-01`,
      deadline: `${year}-12-31`,
      state: 'MX-JAL',
    },
    ...(sectorIds.has('5415')
      ? [
          {
            name: `Certificación en servicios de TI ${year}`,
            metric: 'CERTIFICATIONS',
            target: 100 * scale,
            startsOn: `${year}-01-01`,
            deadline: `${year}-12-31`,
            sectorId: sectorIds.get('5415'),
          },
        ]
      : []),
  ];
  for (const goal of goals)
    await graph(
      COUNCIL,
      `mutation ($i: SetProgramGoalInput!) { setProgramGoal(input: $i) { id } }`,
      { i: goal },
    );
  log(
    `outcomes: ${placements.length} placements (${firstYear}–${year}), ${surveys.length} employer surveys, ${goals.length} program goals`,
  );
  return {
    placements: placements.length,
    surveys: surveys.length,
    goals: goals.length,
  };
}
