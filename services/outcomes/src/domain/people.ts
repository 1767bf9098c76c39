import { periodOf, type Granularity } from './periods';
import {
  sectorOfTarget,
  type Catalog,
  type FacilitySnapshot,
  type Scope,
  type TargetKey,
} from './scope';

/**
 * The per-person read model (issue 14, item 1): what the events say about one
 * person, keyed by the person's id as every event carries it —
 * `training.ParticipantEnrolled` / `EnrollmentCompleted` / `EnrollmentDropped`,
 * `certification.CertificateIssued` / `CertificateRevoked` and
 * `outcomes.PlacementRecorded` all name certification's Person id in
 * `personId`, so no link table is needed. Each fact is kept under its own id
 * with absolute fields, so events may arrive in any order and any number of
 * times; a fact whose defining event has not arrived yet (a completion before
 * its enrollment) has that date null and counts nowhere until it does.
 */
export interface PersonRecord {
  id: string;
  enrollments: EnrollmentFact[];
  certificates: CertificateFact[];
  placements: PlacementFact[];
}

/** One enrollment of the person in a cohort. */
export interface EnrollmentFact {
  id: string;
  cohortId: string | null;
  /** The enrollment's target (from `ParticipantEnrolled`; else the cohort's). */
  standardId: string | null;
  credentialId: string | null;
  enrolledAt: Date | null;
  completedAt: Date | null;
  droppedAt: Date | null;
}

/** One certificate issued to the person. */
export interface CertificateFact {
  id: string;
  standardId: string | null;
  /** The body whose evaluation it certifies (certification issues for the evaluating body). */
  certifyingBodyId: string | null;
  issuedAt: Date | null;
  revokedAt: Date | null;
  /** Imported from a legacy registry (`CertificateIssued.imported`). */
  imported: boolean;
}

/** One placement (job) of the person. */
export interface PlacementFact {
  id: string;
  /** UTC midnight of the first day of work. */
  startDate: Date | null;
}

/**
 * The state where a certificate was evaluated. Certification's events do
 * not say which facility an evaluation took place at, only the body
 * (`CertificateIssued.certifyingBodyId` is the evaluating body) and, from
 * `CertifyingBodyRegistered` / `CertifyingBodyChanged`, the states of its
 * facilities over time. A body with facilities in exactly one state at the
 * issue date (its latest snapshot on or before it; the earliest when the
 * certificate predates every snapshot, as imported ones do) evaluated there;
 * a body in several states, or one never described, gives no state: the
 * certificate counts in no state (like an online cohort's enrollments).
 */
export function evaluationStateOf(
  certificate: Pick<CertificateFact, 'certifyingBodyId' | 'issuedAt'>,
  bodies: ReadonlyMap<string, readonly FacilitySnapshot[]>,
): string | null {
  const snapshots = certificate.certifyingBodyId
    ? bodies.get(certificate.certifyingBodyId)
    : undefined;
  if (!snapshots || snapshots.length === 0 || !certificate.issuedAt)
    return null;
  const at = certificate.issuedAt.getTime();
  // One pass, no copy: called once per certificate of a state's count.
  let current: FacilitySnapshot | undefined;
  let earliest = snapshots[0]!;
  for (const snapshot of snapshots) {
    const changed = snapshot.changedAt.getTime();
    if (changed < earliest.changedAt.getTime()) earliest = snapshot;
    if (changed <= at && (!current || changed >= current.changedAt.getTime()))
      current = snapshot;
  }
  const states = new Set((current ?? earliest).states);
  return states.size === 1 ? [...states][0]! : null;
}

/** The person's targets and dates, joined with the catalog: what scopes and funnels read. */
interface ScopedEnrollment extends EnrollmentFact {
  enrolledAt: Date;
  target: TargetKey | null;
  /** The standard a certificate must be on to follow this enrollment (a credential's aligned one). */
  targetStandardId: string | null;
}

const catalogTarget = (
  enrollment: EnrollmentFact,
  catalog: Catalog,
): { standardId: string | null; credentialId: string | null } => {
  if (enrollment.standardId || enrollment.credentialId)
    return {
      standardId: enrollment.standardId,
      credentialId: enrollment.credentialId,
    };
  const cohort = enrollment.cohortId
    ? catalog.cohorts.get(enrollment.cohortId)
    : undefined;
  return {
    standardId: cohort?.standardId ?? null,
    credentialId: cohort?.credentialId ?? null,
  };
};

/** The enrollments of `person` that `scope` selects (target, its sector, the cohort's state), dated. */
export function enrollmentsIn(
  person: PersonRecord,
  scope: Scope,
  catalog: Catalog,
): ScopedEnrollment[] {
  const found: ScopedEnrollment[] = [];
  for (const enrollment of person.enrollments) {
    if (!enrollment.enrolledAt) continue;
    const { standardId, credentialId } = catalogTarget(enrollment, catalog);
    if (scope.standardId && standardId !== scope.standardId) continue;
    if (scope.credentialId && credentialId !== scope.credentialId) continue;
    if (
      scope.sectorId &&
      sectorOfTarget(standardId, credentialId, catalog) !== scope.sectorId
    )
      continue;
    if (scope.state) {
      const cohort = enrollment.cohortId
        ? catalog.cohorts.get(enrollment.cohortId)
        : undefined;
      if (cohort?.state !== scope.state) continue;
    }
    found.push({
      ...enrollment,
      enrolledAt: enrollment.enrolledAt,
      standardId,
      credentialId,
      target: standardId
        ? `STANDARD:${standardId}`
        : credentialId
          ? `CREDENTIAL:${credentialId}`
          : null,
      targetStandardId:
        standardId ??
        (credentialId
          ? (catalog.credentialStandards.get(credentialId) ?? null)
          : null),
    });
  }
  return found;
}

/** A certificate that counts: issued, and not revoked. */
const standing = (
  c: CertificateFact,
): c is CertificateFact & { issuedAt: Date; standardId: string } =>
  c.issuedAt !== null && c.revokedAt === null && c.standardId !== null;

/**
 * The certificates of `person` that `scope` selects: issued and not revoked,
 * on the standard (or of the sector), evaluated in the state. None under a
 * credential filter: certificates are issued against standards only.
 */
export function certificatesIn(
  person: PersonRecord,
  scope: Scope,
  catalog: Catalog,
): Array<CertificateFact & { issuedAt: Date; standardId: string }> {
  if (scope.credentialId) return [];
  return person.certificates
    .filter(standing)
    .filter(
      (c) =>
        (!scope.standardId || c.standardId === scope.standardId) &&
        (!scope.sectorId ||
          catalog.standardSectors.get(c.standardId) === scope.sectorId) &&
        (!scope.state || evaluationStateOf(c, catalog.bodies) === scope.state),
    );
}

/** Per period label, how many. */
export type PeriodCounts = Map<string, number>;

const bump = (counts: PeriodCounts, label: string) =>
  counts.set(label, (counts.get(label) ?? 0) + 1);

/** Distinct people entering supply, per period label: in total and per target. */
export interface SupplyEntries {
  /** Each person once, in the period of their first fact in the scope. */
  people: PeriodCounts;
  /** Each person once per target, in the period of their first fact for it. */
  perTarget: Map<TargetKey, PeriodCounts>;
}

/**
 * Supply as distinct people (issue 14, item 2). A person is supply of a
 * target from their first training enrollment for it or their first
 * certificate on it (not revoked), whichever came first, and counts once,
 * in that period, never again: someone trained in March and certified in
 * May is one person of March. Summed over a span this is the number of
 * distinct people who became supply in it, and the periods add up (so the
 * suppression rules for totals hold as for every other count). `people`
 * does the same over the whole scope (a person of two targets is one person).
 * Pure.
 */
export function supplyEntries(
  people: readonly PersonRecord[],
  scope: Scope,
  catalog: Catalog,
  granularity: Granularity,
): SupplyEntries {
  const entries: SupplyEntries = { people: new Map(), perTarget: new Map() };
  for (const person of people) {
    const firsts = new Map<TargetKey, Date>();
    const earliest = (target: TargetKey, at: Date) => {
      const known = firsts.get(target);
      if (!known || at < known) firsts.set(target, at);
    };
    for (const e of enrollmentsIn(person, scope, catalog))
      if (e.target) earliest(e.target, e.enrolledAt);
    for (const c of certificatesIn(person, scope, catalog))
      earliest(`STANDARD:${c.standardId}`, c.issuedAt);
    if (firsts.size === 0) continue;
    for (const [target, at] of firsts) {
      const counts = entries.perTarget.get(target) ?? new Map();
      bump(counts, periodOf(at, granularity).label);
      entries.perTarget.set(target, counts);
    }
    const first = [...firsts.values()].reduce((a, b) => (b < a ? b : a));
    bump(entries.people, periodOf(first, granularity).label);
  }
  return entries;
}

/** The funnel's stages, in order; each is a subset of the one before. */
export const FUNNEL_STAGES = [
  'ENROLLED',
  'COMPLETED',
  'CERTIFIED',
  'PLACED',
] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

/** The people of each stage per cohort period (the period of their first enrollment in the scope). */
export type FunnelCounts = Record<FunnelStage, PeriodCounts>;

/** How long after certification a job still counts as a placement of the funnel, by default. */
export const DEFAULT_PLACEMENT_WITHIN_MONTHS = 6;
/** Five years: beyond that a job is not an outcome of the training. */
export const MAX_PLACEMENT_WITHIN_MONTHS = 60;

/** `at` plus `months` calendar months (UTC; the 31st of a shorter month becomes its last day). */
export function addMonths(at: Date, months: number): Date {
  const target = new Date(
    Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1),
  );
  const lastDay = new Date(
    Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
  ).getUTCDate();
  target.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  return target;
}

/** UTC midnight of `at`'s day. */
const dayOf = (at: Date): Date =>
  new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));

/** How far one person of the funnel went, and the job that placed them. */
export interface FunnelPosition {
  /** When their first enrollment in the scope began (the cohort's period). */
  cohortStart: Date;
  reached: FunnelStage;
  /** The earliest job that counts as their placement (PLACED only). */
  placementId: string | null;
}

/**
 * How far one person went, following their own events (issue 14, item 3):
 * - ENROLLED: an enrollment in the scope (they belong to the cohort of their first);
 * - COMPLETED: one of those enrollments was completed;
 * - CERTIFIED: a certificate (not revoked) on the target standard of a
 *   completed one (a vendor credential's: the standard it is aligned with),
 *   issued on or after that enrollment began;
 * - PLACED: a job starting on or after the day of such a certificate and at
 *   most `withinMonths` calendar months after it.
 * Null when the person has no enrollment in the scope. Certificates and jobs
 * are followed wherever they happened (the scope chooses the cohort, not
 * where its people went next). Pure.
 */
export function funnelStageOf(
  person: PersonRecord,
  scope: Scope,
  catalog: Catalog,
  withinMonths: number,
): FunnelPosition | null {
  const enrollments = enrollmentsIn(person, scope, catalog);
  if (enrollments.length === 0) return null;
  const cohortStart = enrollments
    .map((e) => e.enrolledAt)
    .reduce((a, b) => (b < a ? b : a));
  const completed = enrollments.filter((e) => e.completedAt !== null);
  if (completed.length === 0)
    return { cohortStart, reached: 'ENROLLED', placementId: null };
  const certificates = person.certificates
    .filter(standing)
    .filter((c) =>
      completed.some(
        (e) =>
          e.targetStandardId === c.standardId && c.issuedAt >= e.enrolledAt,
      ),
    );
  if (certificates.length === 0)
    return { cohortStart, reached: 'COMPLETED', placementId: null };
  const placements = person.placements.filter(
    ({ startDate }) =>
      startDate !== null &&
      certificates.some((c) => {
        const from = dayOf(c.issuedAt);
        return startDate >= from && startDate <= addMonths(from, withinMonths);
      }),
  );
  const placement = placements.reduce<PlacementFact | null>(
    (first, p) => (!first || p.startDate! < first.startDate! ? p : first),
    null,
  );
  return {
    cohortStart,
    reached: placement ? 'PLACED' : 'CERTIFIED',
    placementId: placement?.id ?? null,
  };
}

/**
 * The funnel's people per cohort period: each person of the scope counts in
 * the period of their first enrollment in it, in every stage up to the one
 * they reached — so each stage's count is at most the one before, in every
 * period. Pure.
 */
export function funnelCounts(
  people: readonly PersonRecord[],
  scope: Scope,
  catalog: Catalog,
  granularity: Granularity,
  withinMonths: number,
): FunnelCounts {
  const counts: FunnelCounts = {
    ENROLLED: new Map(),
    COMPLETED: new Map(),
    CERTIFIED: new Map(),
    PLACED: new Map(),
  };
  for (const person of people) {
    const stage = funnelStageOf(person, scope, catalog, withinMonths);
    if (!stage) continue;
    const label = periodOf(stage.cohortStart, granularity).label;
    const last = FUNNEL_STAGES.indexOf(stage.reached);
    FUNNEL_STAGES.slice(0, last + 1).forEach((s) => bump(counts[s], label));
  }
  return counts;
}

/** What preceded a placement: the person's latest completed enrollment and certificate before it. */
export interface PlacementLink {
  /** The latest enrollment completed on or before the start day. */
  enrollment: (EnrollmentFact & { completedAt: Date }) | null;
  /** The latest certificate issued on or before the start day and not revoked by then. */
  certificate: (CertificateFact & { issuedAt: Date }) | null;
}

/**
 * Links a placement to the person's latest completed cohort and latest
 * certificate when there is one (issue 14, item 5), each on or before the
 * placement's start day. Computed from the per-person read model when read,
 * so an enrollment or certificate whose event arrives after the placement's
 * is linked all the same. Pure.
 */
export function placementLinkOf(
  person: PersonRecord | null,
  startDate: Date,
): PlacementLink {
  if (!person) return { enrollment: null, certificate: null };
  const endOfStart = startDate.getTime() + 86_400_000;
  const latest = <T>(items: T[], at: (item: T) => Date): T | null =>
    items.reduce<T | null>(
      (best, item) => (!best || at(item) > at(best) ? item : best),
      null,
    );
  const enrollment = latest(
    person.enrollments.filter(
      (e): e is EnrollmentFact & { completedAt: Date } =>
        e.completedAt !== null && e.completedAt.getTime() < endOfStart,
    ),
    (e) => e.completedAt,
  );
  const certificate = latest(
    person.certificates.filter(
      (c): c is CertificateFact & { issuedAt: Date } =>
        c.issuedAt !== null &&
        c.issuedAt.getTime() < endOfStart &&
        (c.revokedAt === null || c.revokedAt.getTime() >= endOfStart),
    ),
    (c) => c.issuedAt,
  );
  return { enrollment, certificate };
}
