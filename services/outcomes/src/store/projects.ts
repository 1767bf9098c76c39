import type { Connection } from 'mongoose';
import type { FundedProject } from '../domain/roi';
import type { CohortView } from '../domain/scope';
import type { ViewSet } from '../events/plan';
import { readModel, setViews, type ReadDoc } from './collections';

const text = (value: unknown): string | null =>
  typeof value === 'string' ? value : null;
const count = (value: unknown): number | null =>
  typeof value === 'number' && Number.isInteger(value) ? value : null;

/** A funded project and its cohorts as training scheduled them (state and target). */
export interface ProjectRecord extends FundedProject {
  cohorts: CohortView[];
}

/** What a query selects projects by. */
export interface ProjectSelection {
  /** Approved on or after. */
  from: Date;
  /** Approved before. */
  until: Date;
  fundName?: string;
}

function toProject(doc: ReadDoc): ProjectRecord | null {
  const name = text(doc.name);
  const fundName = text(doc.fundName);
  const contribution = count(doc.fundContributionCentavos);
  // Not drafted or not approved as far as the events read so far say.
  if (!name || !fundName || contribution === null || !doc.approvedAt)
    return null;
  const settlement = doc.settlement as Record<string, unknown> | null;
  const owed = count(settlement?.owedCentavos);
  const certified = count(settlement?.certified);
  const cohorts = Object.entries(
    (doc.cohorts ?? {}) as Record<string, Record<string, unknown>>,
  ).map(([id, c]): CohortView => ({
    id,
    state: text(c.state),
    standardId: text(c.standardId),
    credentialId: text(c.credentialId),
  }));
  return {
    id: doc._id,
    name,
    fundName,
    approvedAt: new Date(doc.approvedAt as Date),
    closedAt: doc.closedAt ? new Date(doc.closedAt as Date) : null,
    contributionCentavos: contribution,
    settlement:
      owed !== null && certified !== null
        ? { owedCentavos: owed, certified }
        : null,
    cohortIds: cohorts.map((c) => c.id),
    cohorts,
  };
}

/**
 * Training's funded projects (`projects`, one document per project): name
 * and fund from `training.ProjectDrafted`, the approved contribution from
 * `ProjectApproved`, the close and its settlement from `ProjectClosed`, and
 * its cohorts (`cohorts.<id>`: state and target) from every
 * `CohortScheduled` that names it. Absolute `$set`s: idempotent, order-free
 * (a cohort scheduled before its project's draft is read lands on the same
 * document). Indexed by approval date, which return-on-investment queries
 * select by.
 */
export function createProjectViews(connection: Connection, suffix = '') {
  const { model, collection } = readModel(
    connection,
    'ProjectView',
    'projects',
    suffix,
    [{ approvedAt: 1 }],
  );
  return {
    model,
    setMany: (views: readonly ViewSet[]) => setViews(collection, views),
    /** The projects approved in [from, until) (of one fund if asked), oldest approval first. */
    async approvedBetween({
      from,
      until,
      fundName,
    }: ProjectSelection): Promise<ProjectRecord[]> {
      const docs = await model
        .find({
          approvedAt: { $gte: from, $lt: until },
          ...(fundName ? { fundName } : {}),
        })
        .lean<ReadDoc[]>();
      return docs
        .map(toProject)
        .filter((p): p is ProjectRecord => p !== null)
        .sort(
          (a, b) =>
            a.approvedAt.getTime() - b.approvedAt.getTime() ||
            a.id.localeCompare(b.id),
        );
    },
  };
}

export type ProjectViews = ReturnType<typeof createProjectViews>;
