import type { Context } from '../context';
import type { ProgramGoal } from '../domain/goal';
import { periodsBetween } from '../domain/periods';
import { selectionFor, sumByPeriod, type Scope } from '../domain/scope';
import { catalogFor } from './analytics';

const DAY_MS = 86_400_000;

/**
 * What a goal has achieved from `startsOn` to the earlier of `asOf` and the
 * deadline. Placements come from outcomes' own records (exact days, state and
 * sector); certificates (not revoked) and enrollments from the MONTH buckets,
 * by calendar month, with a sector scope joined through the catalog like the
 * analytics' sector filter (a standard's sector; a credential's through its
 * aligned standard).
 */
export async function achievedOf(
  { stores, loaders }: Context,
  goal: ProgramGoal,
  asOf: Date,
): Promise<number> {
  const end = new Date(
    Math.min(asOf.getTime(), goal.deadline.getTime() + DAY_MS),
  );
  if (end.getTime() <= goal.startsOn.getTime()) return 0;
  if (goal.metric === 'PLACEMENTS') {
    const placements = await stores.placements.starting(goal.startsOn, end, {
      state: goal.state ?? undefined,
      sectorId: goal.sectorId ?? undefined,
    });
    return placements.length;
  }
  const metric = goal.metric === 'CERTIFICATIONS' ? 'CERTIFIED' : 'TRAINED';
  const months = periodsBetween(
    goal.startsOn,
    new Date(end.getTime() - 1),
    'MONTH',
  ).map((p) => p.label);
  const scope: Scope = goal.sectorId ? { sectorId: goal.sectorId } : {};
  // Both metrics record a sector (through the catalog): never null.
  const selection = selectionFor(metric, scope)!;
  const [rows, catalog] = await Promise.all([
    stores.buckets.rows(metric, 'MONTH', months, selection.equalities),
    catalogFor(loaders, selection),
  ]);
  let total = 0;
  for (const n of sumByPeriod(rows, selection, catalog).values()) total += n;
  return total;
}
