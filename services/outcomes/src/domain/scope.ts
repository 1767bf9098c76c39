import type { Dimensions, Metric } from './metrics';
import { periodOfMonth, type Granularity } from './periods';

/** What an analytics query narrows to, besides its span; absent = every value. */
export interface Scope {
  state?: string;
  standardId?: string;
  credentialId?: string;
  sectorId?: string;
}

export const SCOPE_KEYS = [
  'state',
  'standardId',
  'credentialId',
  'sectorId',
] as const satisfies ReadonlyArray<keyof Scope>;

/** A cohort as training scheduled it: where, and for what target. */
export interface CohortView {
  id: string;
  /** Null for a cohort scheduled without a state (online). */
  state: string | null;
  standardId: string | null;
  credentialId: string | null;
}

/** A certifying body's evaluation facilities from one of its events: the states, as of `changedAt`. */
export interface FacilitySnapshot {
  changedAt: Date;
  states: readonly string[];
}

/**
 * What the read side joins facts with, built from standards', training's and
 * certification's events: a standard's sector, the standard a vendor
 * credential is aligned with, a cohort's state and target, a certifying
 * body's facility states. Joined at read time, never at write time,
 * so the order in which topics are read (a rebuild reads them in parallel)
 * cannot change a result.
 */
export interface Catalog {
  /** Standard version id → its sector id. */
  standardSectors: ReadonlyMap<string, string | null>;
  /** Vendor credential id → the standard it is aligned with. */
  credentialStandards: ReadonlyMap<string, string | null>;
  cohorts: ReadonlyMap<string, CohortView>;
  /**
   * Certifying body id → its facility states over time (from certification's
   * body events), which give a certificate the state it was evaluated in.
   */
  bodies: ReadonlyMap<string, readonly FacilitySnapshot[]>;
}

export const EMPTY_CATALOG: Catalog = {
  standardSectors: new Map(),
  credentialStandards: new Map(),
  cohorts: new Map(),
  bodies: new Map(),
};

/** How one scope key is read from a bucket: a field of its key, or derived through the catalog. */
type Attribute =
  | { field: keyof Dimensions }
  | { derive: (dimensions: Dimensions, catalog: Catalog) => string | null };

/**
 * The sector of a target: the standard's, or for a vendor credential the
 * sector of the standard it is aligned with (none when it is not aligned).
 */
export function sectorOfTarget(
  standardId: string | null,
  credentialId: string | null,
  catalog: Catalog,
): string | null {
  const standard =
    standardId ??
    (credentialId
      ? (catalog.credentialStandards.get(credentialId) ?? null)
      : null);
  return standard ? (catalog.standardSectors.get(standard) ?? null) : null;
}

const cohortOf = (d: Dimensions, catalog: Catalog): CohortView | null =>
  d.cohortId ? (catalog.cohorts.get(d.cohortId) ?? null) : null;

const field = (name: keyof Dimensions): Attribute => ({ field: name });
const targetSector: Attribute = {
  derive: (d, catalog) => sectorOfTarget(d.standardId, d.credentialId, catalog),
};
const ofCohort = (
  name: 'state' | 'standardId' | 'credentialId',
): Attribute => ({
  derive: (d, catalog) => cohortOf(d, catalog)?.[name] ?? null,
});

/**
 * Which scope keys each metric can answer, and how. Demand requests carry
 * their state and target; enrollments their target and cohort (the cohort
 * gives the state); completions only their cohort (which gives state and
 * target); certificates their standard (and, through their evaluating body,
 * a state); placements their state and sector.
 * A key missing here makes the count NOT_RECORDED.
 */
export const ATTRIBUTES: Record<
  Metric,
  Partial<Record<keyof Scope, Attribute>>
> = {
  DEMAND_HEADCOUNT: {
    state: field('state'),
    standardId: field('standardId'),
    credentialId: field('credentialId'),
    sectorId: targetSector,
  },
  DEMAND_REQUESTS: {
    state: field('state'),
    standardId: field('standardId'),
    credentialId: field('credentialId'),
    sectorId: targetSector,
  },
  TRAINED: {
    state: ofCohort('state'),
    standardId: field('standardId'),
    credentialId: field('credentialId'),
    sectorId: targetSector,
  },
  COMPLETED: {
    state: ofCohort('state'),
    standardId: ofCohort('standardId'),
    credentialId: ofCohort('credentialId'),
    sectorId: {
      derive: (d, catalog) => {
        const cohort = cohortOf(d, catalog);
        return cohort
          ? sectorOfTarget(cohort.standardId, cohort.credentialId, catalog)
          : null;
      },
    },
  },
  // The state is the one the certificate was evaluated in, not a bucket key:
  // a state-filtered count reads the certificates, one row each
  // (`certifiedRows`), never the buckets (see `fromCertificates`).
  CERTIFIED: {
    state: field('state'),
    standardId: field('standardId'),
    sectorId: targetSector,
  },
  PLACED: { state: field('state'), sectorId: field('sectorId') },
};

/** How to select a metric's buckets for a scope. */
export interface BucketSelection {
  /** Equalities on bucket fields (the database filters on these). */
  equalities: Partial<Record<keyof Dimensions, string>>;
  /** Conditions through the catalog, checked in memory; none when empty. */
  derived: ReadonlyArray<{
    value: string;
    derive: (dimensions: Dimensions, catalog: Catalog) => string | null;
  }>;
}

/**
 * The buckets of `metric` that `scope` selects, or null when `metric`'s events
 * do not record (even through the catalog) a key the scope asks for: the
 * count is then NOT_RECORDED rather than a misleading total.
 */
export function selectionFor(
  metric: Metric,
  scope: Scope,
): BucketSelection | null {
  const selection: {
    equalities: BucketSelection['equalities'];
    derived: Array<BucketSelection['derived'][number]>;
  } = { equalities: {}, derived: [] };
  for (const key of SCOPE_KEYS) {
    const value = scope[key];
    if (value === undefined) continue;
    const attribute = ATTRIBUTES[metric][key];
    if (!attribute) return null;
    if ('field' in attribute) selection.equalities[attribute.field] = value;
    else selection.derived.push({ value, derive: attribute.derive });
  }
  return selection;
}

/** True when a bucket with `dimensions` belongs to `selection` (its equalities already applied). */
export function matchesDerived(
  selection: BucketSelection,
  dimensions: Dimensions,
  catalog: Catalog,
): boolean {
  return selection.derived.every(
    ({ value, derive }) => derive(dimensions, catalog) === value,
  );
}

/** A bucket as read: its period, value and dimensions. */
export interface BucketRow {
  period: string;
  value: number;
  dimensions: Dimensions;
}

/**
 * MONTH bucket rows as the rows of `granularity`: each relabelled to the
 * quarter or year its month is in, and rows of the same period and dimensions
 * merged by adding their values — what QUARTER and YEAR buckets held when they
 * were written, since every fact went to its month, quarter and year alike.
 * Months stay as they are (one row each already).
 */
export function rollUpMonths(
  months: readonly BucketRow[],
  granularity: Granularity,
): BucketRow[] {
  if (granularity === 'MONTH') return [...months];
  const merged = new Map<string, BucketRow>();
  for (const row of months) {
    const period = periodOfMonth(row.period, granularity);
    const { state, standardId, credentialId, sectorId, cohortId } =
      row.dimensions;
    const key = JSON.stringify([
      period,
      state,
      standardId,
      credentialId,
      sectorId,
      cohortId,
    ]);
    const found = merged.get(key);
    if (found) found.value += row.value;
    else
      merged.set(key, { period, value: row.value, dimensions: row.dimensions });
  }
  return [...merged.values()];
}

/** The sum per period label of the rows `selection` keeps. */
export function sumByPeriod(
  rows: readonly BucketRow[],
  selection: BucketSelection,
  catalog: Catalog,
): Map<string, number> {
  const sums = new Map<string, number>();
  for (const row of rows)
    if (matchesDerived(selection, row.dimensions, catalog))
      sums.set(row.period, (sums.get(row.period) ?? 0) + row.value);
  return sums;
}

/** A target of demand and supply: a competency standard or a vendor credential. */
export type TargetKey = `STANDARD:${string}` | `CREDENTIAL:${string}`;

/** The target a bucket counts for, if it records one. */
export function targetOf(dimensions: Dimensions): TargetKey | null {
  if (dimensions.standardId) return `STANDARD:${dimensions.standardId}`;
  if (dimensions.credentialId) return `CREDENTIAL:${dimensions.credentialId}`;
  return null;
}

/** The sum per target of the rows `selection` keeps (rows without a target are left out). */
export function sumByTarget(
  rows: readonly BucketRow[],
  selection: BucketSelection,
  catalog: Catalog,
): Map<TargetKey, number> {
  const sums = new Map<TargetKey, number>();
  for (const row of rows) {
    const target = targetOf(row.dimensions);
    if (target && matchesDerived(selection, row.dimensions, catalog))
      sums.set(target, (sums.get(target) ?? 0) + row.value);
  }
  return sums;
}

/** The sum per target and period label of the rows `selection` keeps (rows without a target are left out). */
export function sumByTargetAndPeriod(
  rows: readonly BucketRow[],
  selection: BucketSelection,
  catalog: Catalog,
): Map<TargetKey, Map<string, number>> {
  const sums = new Map<TargetKey, Map<string, number>>();
  for (const row of rows) {
    const target = targetOf(row.dimensions);
    if (!target || !matchesDerived(selection, row.dimensions, catalog))
      continue;
    const periods = sums.get(target) ?? new Map<string, number>();
    periods.set(row.period, (periods.get(row.period) ?? 0) + row.value);
    sums.set(target, periods);
  }
  return sums;
}

/**
 * Whether `metric` under `scope` is counted from the certificates rather
 * than the buckets: CERTIFIED with a state (the buckets carry none).
 */
export const fromCertificates = (metric: Metric, scope: Scope): boolean =>
  metric === 'CERTIFIED' && scope.state !== undefined;

/** The rows whose fields equal `equalities` (what the database does for bucket rows). */
export function withEqualities(
  rows: readonly BucketRow[],
  equalities: BucketSelection['equalities'],
): BucketRow[] {
  const pairs = Object.entries(equalities) as Array<[keyof Dimensions, string]>;
  return rows.filter((row) =>
    pairs.every(([key, value]) => row.dimensions[key] === value),
  );
}
