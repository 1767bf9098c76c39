import type { Context } from '../context';
import type { ReturnsFilter } from '../__generated__/resolvers-types';
import {
  inWindow,
  projectReturn,
  returnsWindow,
  tallyProject,
  type ProgramReturn,
  type ProjectReturn,
  type ProjectReturnParts,
} from '../domain/roi';
import type { Catalog } from '../domain/scope';

/**
 * Every funded project of the filter with its returns as the caller sees
 * them. Reads only what the answer is made of: the projects approved in the
 * span (of the fund, by the `approvedAt` index), the people enrolled in their
 * cohorts (`cohortIds` index), the placements that placed them and the
 * credentials their cohorts target — never a collection whole.
 */
export async function returnsOf(
  { stores, disclosure }: Context,
  filter: ReturnsFilter,
  withinMonths: number,
): Promise<ProjectReturnParts[]> {
  const window = returnsWindow(filter);
  const projects = (await stores.projects.approvedBetween(window)).filter((p) =>
    inWindow(p, window),
  );
  const cohorts = projects.flatMap((p) => p.cohorts);
  const people = await stores.people.inCohorts(cohorts.map((c) => c.id));
  const credentialIds = [
    ...new Set(
      cohorts.flatMap((c) => (c.credentialId ? [c.credentialId] : [])),
    ),
  ];
  const credentials =
    credentialIds.length > 0
      ? await stores.credentials.byIds(credentialIds)
      : [];
  const catalog: Catalog = {
    standardSectors: new Map(),
    credentialStandards: new Map(credentials.map((c) => [c.id, c.standardId])),
    cohorts: new Map(cohorts.map((c) => [c.id, c])),
    bodies: new Map(),
  };
  const tallies = projects.map((p) =>
    tallyProject(p, people, catalog, withinMonths),
  );
  const placementIds = tallies.flatMap((t) => t.placementIds);
  const placements =
    placementIds.length > 0 ? await stores.placements.byIds(placementIds) : [];
  return projects.map((p, i) =>
    projectReturn(p, tallies[i]!, placements, disclosure, withinMonths),
  );
}

/** A project's or program's returns in the schema's shape (the salary change flattened). */
export function shaped<T extends ProjectReturn | ProgramReturn>({
  salaryChange,
  ...rest
}: T) {
  return {
    ...rest,
    medianSalaryChange: salaryChange.median,
    meanSalaryChange: salaryChange.mean,
    realMedianSalaryChange: salaryChange.realMedian,
    realMeanSalaryChange: salaryChange.realMean,
    salaryPricesOf: salaryChange.pricesOf,
    salaryDeflatedWith: salaryChange.deflatedWith,
  };
}
