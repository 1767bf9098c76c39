import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
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
 * (DRAFT). A saga (project-saga): the project marked claiming, each request
 * claimed, then `ProjectDrafted`; a request taken meanwhile undoes it (the
 * project deleted, its claims given back), a crash leaves what the
 * reconciler undoes. Not `runCommand`: it writes several documents, and a
 * claim lost to another writer undoes the draft and answers that CONFLICT
 * (`DEMAND_CHANGED_CONCURRENTLY` naming the request).
 */
export async function draftTrainingProjectCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<TrainingProject> {
  assertBroker(ctx.identity);
  const input = parseInput(draftProjectInput, rawInput);
  const agreement = await requireAgreement(ctx, input.agreementId);
  const found = new Map(
    (await ctx.stores.demands.findByIds(input.demandRequestIds)).map((d) => [
      d.id,
      d,
    ]),
  );
  const demands = input.demandRequestIds.map((id, i) => {
    const demand = found.get(id);
    if (!demand)
      throw new InvalidInputError(
        `input.demandRequestIds[${i}]`,
        'is not a demand request',
        'DEMAND_NOT_FOUND',
      );
    return demand;
  });
  const now = new Date();
  const project = draftProject(input, agreement, demands, {
    id: uuidv7(),
    now,
    brokerMarkupBps: ctx.pricing.brokerMarkupBps,
  });
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
}
