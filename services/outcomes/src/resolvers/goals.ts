import type { Context } from '../context';
import type { ProgramGoal } from '../domain/goal';
import { periodsBetween } from '../domain/periods';

const DAY_MS = 86_400_000;

/**
 * What a goal has achieved from `startsOn` to the earlier of `asOf` and the
 * deadline. Placements come from outcomes' own records (exact days, state and
 * sector); certificates and enrollments from the MONTH buckets, by calendar
 * month, joined to the standards' sectors when scoped to a sector.
 */
export async function achievedOf(
  { stores }: Context,
  goal: ProgramGoal,
  asOf: Date,
): Promise<number> {
  const end = new Date(
    Math.min(asOf.getTime(), goal.deadline.getTime() + DAY_MS),
  );
  if (end.getTime() <= goal.startsOn.getTime()) return 0;
  if (goal.metric === 'PLACEMENTS') {
    const placements = await stores.placements.starting(
      goal.startsOn,
      end,
      goal.state ?? undefined,
    );
    return placements.filter(
      (p) => !goal.sectorId || p.sectorId === goal.sectorId,
    ).length;
  }
  const metric = goal.metric === 'CERTIFICATIONS' ? 'CERTIFIED' : 'TRAINED';
  const months = periodsBetween(
    goal.startsOn,
    new Date(end.getTime() - 1),
    'MONTH',
  ).map((p) => p.label);
  if (!goal.sectorId) {
    const sums = await stores.buckets.sums(metric, 'MONTH', months);
    return [...sums.values()].reduce((total, n) => total + n, 0);
  }
  const [perStandard, standards] = await Promise.all([
    stores.buckets.perStandard(metric, months),
    stores.standards.all(),
  ]);
  const inSector = new Set(
    standards.filter((s) => s.sectorId === goal.sectorId).map((s) => s.id),
  );
  let total = 0;
  for (const [standardId, n] of perStandard)
    if (inSector.has(standardId)) total += n;
  return total;
}
