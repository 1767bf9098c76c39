import { Faker, base } from '@faker-js/faker';
import type { AccreditedStandard, LegacyCertificate } from './certification';
import { whenProjected, type Actor, type GraphClient } from './graph-client';
import { VENUE_CITIES } from './journeys';

const ADMIN: Actor = { sub: 'demo-admin', roles: ['admin'] };
const BROKER: Actor = { sub: 'demo-broker', roles: ['broker'] };
const DAY_MS = 86_400_000;
// importCohortHistory takes at most 500 cohorts per call.
const IMPORT_BATCH = 500;
// Cohorts per year of the legacy registry: a handful of standards each year,
// in turn, so every year of the funnel has a few cohorts.
const COHORTS_PER_YEAR = 4;
// Per cohort: people certified on its standard after it (the legacy
// registry's), people who completed and were not certified, drop-outs.
const CERTIFIED_PER_COHORT = 6;
const COMPLETED_UNCERTIFIED = 2;
const DROPPED = 2;
// A share of the certified hired, from the certificate's day to four months
// after it (inside the funnel's default six months).
const PLACED_SHARE = 0.6;
const PLACED_WITHIN_DAYS = 120;
const DROP_REASONS = [
  'Consiguió empleo y no pudo continuar',
  'Cambio de turno en su trabajo',
  'Motivos familiares',
] as const;

/** `YYYY-MM-DD` of `day` plus `days`. */
const shift = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS)
    .toISOString()
    .slice(0, 10);

/** A record of importCohortHistory (HistoricalCohortRecordInput). */
interface CohortRecord {
  folio: string;
  providerId: string;
  target: { standardId: string };
  venueId: string;
  state: string;
  city: string;
  startsOn: string;
  endsOn: string;
  participants: {
    personId: string;
    outcome: 'COMPLETED' | 'DROPPED';
    outcomeOn: string;
    dropReason?: string;
  }[];
}

/** What the broker's legacy register of courses holds, and the jobs that followed. */
export interface CohortHistoryPlan {
  records: CohortRecord[];
  /** One agreement per provider and standard, valid from its first cohort. */
  agreements: { providerId: string; standardId: string; validFrom: string }[];
  /** People certified after a past cohort, hired within months of the certificate. */
  placements: { personId: string; startDate: string }[];
}

/**
 * The broker's register of past courses, drawn from the legacy registry's
 * certificates (issue 14): each year, a cohort for a few standards in turn,
 * at a body accredited for the standard, ending two to six weeks before six
 * of its people were certified on that standard (the registry's
 * certificates of that year), with two who completed and were never
 * certified on it and two drop-outs (both people of the registry certified on
 * other standards); 60 % of the certified hired within four months of the
 * certificate. Each person takes part once. Pure and deterministic from the
 * seed (its own generator): nothing is sent.
 */
export function planCohortHistory({
  legacy,
  standards,
  organizationIds,
  seed,
  today = new Date(),
}: {
  legacy: readonly LegacyCertificate[];
  standards: readonly AccreditedStandard[];
  organizationIds: ReadonlyMap<string, string>;
  seed: number;
  today?: Date;
}): CohortHistoryPlan {
  const random = new Faker({ locale: [base] });
  // Seeded apart from every other generator of the demo.
  random.seed([seed, 15]);
  const todayIso = today.toISOString().slice(0, 10);
  const providers = [...organizationIds.entries()].filter(([key]) =>
    key.startsWith('provider:'),
  );
  const used = new Set<string>();
  const standardsOf = new Map<string, Set<string>>();
  for (const c of legacy)
    standardsOf.set(
      c.personId,
      (standardsOf.get(c.personId) ?? new Set()).add(c.standardId),
    );
  const hosted = standards.filter((s) =>
    s.bodies.some((b) => b.key in VENUE_CITIES),
  );
  const years = [
    ...new Set(legacy.map((c) => Number(c.issuedOn.slice(0, 4)))),
  ].sort();

  const records: CohortRecord[] = [];
  const placements: CohortHistoryPlan['placements'] = [];
  const firstCohort = new Map<
    string,
    { providerId: string; standardId: string; validFrom: string }
  >();
  for (const [y, year] of years.entries()) {
    for (let k = 0; k < COHORTS_PER_YEAR && hosted.length > 0; k += 1) {
      const standard = hosted[(y * COHORTS_PER_YEAR + k) % hosted.length]!;
      const host = standard.bodies.find((b) => b.key in VENUE_CITIES)!;
      const providerId = (providers.find(([key]) =>
        key.startsWith(`provider:${standard.sector}:`),
      ) ?? providers[0])?.[1];
      if (!providerId) continue;
      // Certified on this standard that year, far enough into it for the
      // course to end before, never in a cohort yet.
      const certified = legacy
        .filter(
          (c) =>
            c.standardId === standard.id &&
            c.issuedOn.startsWith(String(year)) &&
            c.issuedOn.slice(5) >= '03-01' &&
            !used.has(c.personId),
        )
        .sort((a, b) => a.issuedOn.localeCompare(b.issuedOn));
      if (certified.length < CERTIFIED_PER_COHORT) continue;
      const offset = random.number.int({
        min: 0,
        max: certified.length - CERTIFIED_PER_COHORT,
      });
      const chosen = certified.slice(offset, offset + CERTIFIED_PER_COHORT);
      // Never on this standard: completed without its certificate, or dropped.
      const others = random.helpers
        .shuffle(
          [...standardsOf.keys()].filter(
            (personId) =>
              !used.has(personId) &&
              !standardsOf.get(personId)!.has(standard.id),
          ),
        )
        .slice(0, COMPLETED_UNCERTIFIED + DROPPED);
      if (others.length < COMPLETED_UNCERTIFIED + DROPPED) continue;
      const endsOn = shift(
        chosen[0]!.issuedOn,
        -random.number.int({ min: 14, max: 42 }),
      );
      const startsOn = shift(endsOn, -random.number.int({ min: 5, max: 25 }));
      if (endsOn >= todayIso) continue;
      const participants: CohortRecord['participants'] = [
        ...[
          ...chosen.map((c) => c.personId),
          ...others.slice(0, COMPLETED_UNCERTIFIED),
        ].map((personId) => ({
          personId,
          outcome: 'COMPLETED' as const,
          outcomeOn: endsOn,
        })),
        ...others.slice(COMPLETED_UNCERTIFIED).map((personId) => ({
          personId,
          outcome: 'DROPPED' as const,
          outcomeOn: shift(startsOn, random.number.int({ min: 0, max: 3 })),
          dropReason: random.helpers.arrayElement(DROP_REASONS),
        })),
      ];
      for (const p of participants) used.add(p.personId);
      for (const c of chosen) {
        const hired = random.number.float() < PLACED_SHARE;
        const startDate = shift(
          c.issuedOn,
          random.number.int({ min: 0, max: PLACED_WITHIN_DAYS }),
        );
        if (hired && startDate < todayIso)
          placements.push({ personId: c.personId, startDate });
      }
      const key = `${providerId}|${standard.id}`;
      const known = firstCohort.get(key);
      if (!known || startsOn < known.validFrom)
        firstCohort.set(key, {
          providerId,
          standardId: standard.id,
          validFrom: startsOn,
        });
      records.push({
        folio: `CUR-${year}-${String(records.length + 1).padStart(4, '0')}`,
        providerId,
        target: { standardId: standard.id },
        venueId: host.organizationId,
        state: host.state,
        city: VENUE_CITIES[host.key]!,
        startsOn,
        endsOn,
        participants,
      });
    }
  }
  return { records, agreements: [...firstCohort.values()], placements };
}

/**
 * Imports the plan's register of past courses through the gateway, as a
 * real migration would: the broker signs each provider's agreement for the
 * standard (valid from its first past cohort: the deal they were delivered
 * under), then the admin imports the cohorts (`importCohortHistory`, at most
 * 500 a call; one call at scale 1). Waits (`whenProjected`) while training
 * has not yet projected the legacy registry's people.
 */
export async function importCohortHistory(
  graph: GraphClient,
  plan: CohortHistoryPlan,
  log: (line: string) => void,
): Promise<{ cohorts: number; enrollments: number }> {
  if (plan.records.length === 0) {
    log('cohort history: no legacy certificates to link; skipped');
    return { cohorts: 0, enrollments: 0 };
  }
  const startedAt = Date.now();
  const validUntil = new Date(Date.now() + 365 * DAY_MS)
    .toISOString()
    .slice(0, 10);
  for (const agreement of plan.agreements)
    await whenProjected(
      () =>
        graph(
          BROKER,
          `mutation ($i: SignAgreementInput!) { signAgreement(input: $i) { id } }`,
          {
            i: {
              providerId: agreement.providerId,
              target: { standardId: agreement.standardId },
              discountBps: 6_000,
              extraTrainingHours: 12,
              examVouchersPerParticipant: 0,
              marketPrice: 900_000,
              validFrom: agreement.validFrom,
              validUntil,
              minCohortSize: 8,
              states: [
                ...new Set(
                  plan.records
                    .filter(
                      (r) =>
                        r.providerId === agreement.providerId &&
                        r.target.standardId === agreement.standardId,
                    )
                    .map((r) => r.state),
                ),
              ],
              online: false,
            },
          },
        ),
      ['ORGANIZATION_NOT_FOUND', 'STANDARD_NOT_FOUND'],
    );
  const source = `Registro de cursos ${plan.records[0]!.startsOn.slice(0, 4)}–${plan.records.at(-1)!.endsOn.slice(0, 4)} (migración)`;
  let cohorts = 0;
  let enrollments = 0;
  for (let b = 0; b * IMPORT_BATCH < plan.records.length; b += 1) {
    const batch = plan.records.slice(b * IMPORT_BATCH, (b + 1) * IMPORT_BATCH);
    const { importCohortHistory: result } = await whenProjected(
      () =>
        graph(
          ADMIN,
          `mutation ($i: ImportCohortHistoryInput!) { importCohortHistory(input: $i) { importedCount skippedCount enrollmentCount } }`,
          { i: { source, records: batch } },
        ),
      ['PERSON_NOT_FOUND', 'ORGANIZATION_NOT_FOUND', 'STANDARD_NOT_FOUND'],
      // Training learns of the registry's ~1,800 legacy people through Kafka.
      120_000,
    );
    cohorts += result.importedCount + result.skippedCount;
    enrollments += result.enrollmentCount;
  }
  log(
    `cohort history: ${cohorts} past cohorts (${plan.records.reduce((n, r) => n + r.participants.length, 0)} people) imported, linked to the legacy certificates, ${plan.placements.length} of their people placed (${Math.round((Date.now() - startedAt) / 100) / 10} s)`,
  );
  return { cohorts, enrollments };
}
