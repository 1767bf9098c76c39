import { v7 as uuidv7 } from 'uuid';
import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import { InvalidInputError } from '@conecta/service-kit/errors';
import { assertBroker } from '../domain/permissions';
import {
  draftProject,
  draftProjectInput,
  projectCost,
  type TrainingProject,
} from '../domain/project';
import type { Context } from '../context';
import { metaOf, requireAgreement } from './load';
import { draftWithClaims } from './project-saga';

/**
 * The broker packages OPEN demand for one agreement's target into a project
 * (DRAFT). The save is a saga (project-saga): the project marked claiming,
 * each request claimed, then `ProjectDrafted`; a request taken meanwhile
 * undoes it (the project deleted, its claims given back), a crash leaves
 * what the reconciler undoes. A claim lost to another writer
 * (`DEMAND_CHANGED_CONCURRENTLY`) runs the whole command again through
 * `runCommand` from a fresh read of the requests (README: Concurrency): a
 * request another draft took is then refused by the domain's own rule
 * (only OPEN demand is aggregated), one that draft gave back is claimed. Not
 * a broker decision (`BROKER_DECISION`): a draft is a proposal the broker
 * reads before submitting it, and the re-run answers the project as it was
 * drafted.
 */
export async function draftTrainingProjectCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<TrainingProject> {
  // Fixed roles, checked before any read (FORBIDDEN whatever the ids).
  assertBroker(ctx.identity);
  const input = parseInput(draftProjectInput, rawInput);
  return runCommand(input, {
    load: async ({ agreementId, demandRequestIds }) => ({
      agreement: await requireAgreement(ctx, agreementId),
      demands: await requireDemands(ctx, demandRequestIds),
    }),
    authorize: authorizedBeforeLoad,
    decide: ({ agreement, demands }, draft) => {
      const now = new Date();
      const project = draftProject(draft, agreement, demands, {
        id: uuidv7(),
        now,
        brokerMarkupBps: ctx.pricing.brokerMarkupBps,
      });
      return { project, now };
    },
    save: async ({ agreement, demands }, { project, now }) => {
      await draftWithClaims(
        ctx.stores,
        ctx.events,
        project,
        demands,
        projectCost(project, agreement),
        metaOf(ctx, now),
        ctx.logger,
      );
      return project;
    },
  });
}

/**
 * The requests a draft names, read fresh, in the input's order.
 *
 * @throws InvalidInputError `DEMAND_NOT_FOUND` naming `input.demandRequestIds[i]`
 */
async function requireDemands(
  { stores }: Pick<Context, 'stores'>,
  ids: readonly string[],
) {
  const found = new Map(
    (await stores.demands.findByIds(ids)).map((d) => [d.id, d]),
  );
  return ids.map((id, i) => {
    const demand = found.get(id);
    if (!demand)
      throw new InvalidInputError(
        `input.demandRequestIds[${i}]`,
        'is not a demand request',
        'DEMAND_NOT_FOUND',
      );
    return demand;
  });
}
