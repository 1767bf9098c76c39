import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import { assertBroker } from '../domain/permissions';
import {
  approveProject,
  approveProjectInput,
  projectCost,
  type TrainingProject,
} from '../domain/project';
import type { Context } from '../context';
import { agreementOf, loadFresh, metaOf, BROKER_DECISION } from './load';

/** The fund approved a SUBMITTED project with a fund share (at most the cap). */
export function approveTrainingProjectCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<TrainingProject> {
  assertBroker(ctx.identity);
  const input = parseInput(approveProjectInput, rawInput);
  return runCommand(
    input,
    {
      load: (i) =>
        loadFresh(ctx.stores.projects, i.id, 'input.id', 'TrainingProject'),
      authorize: authorizedBeforeLoad,
      decide: async (project, i) => {
        const agreement = await agreementOf(ctx, project);
        const now = new Date();
        const next = approveProject(project, i.approvedFundShareBps, now);
        const cost = projectCost(next, agreement);
        return {
          next,
          events: [ctx.events.projectApproved(next, cost, metaOf(ctx, now))],
        };
      },
      save: (project, { next, events }) =>
        ctx.stores.projects.save(project, next, events, { field: 'input.id' }),
    },
    BROKER_DECISION,
  );
}
