import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import { assertBroker } from '../domain/permissions';
import {
  rejectProject,
  rejectProjectInput,
  type TrainingProject,
} from '../domain/project';
import type { Context } from '../context';
import { loadFresh, metaOf, BROKER_DECISION } from './load';
import { moveProjectDemands } from './project-saga';

/**
 * The fund rejected a SUBMITTED project: the project's decision (one
 * write), then its demand requests released to OPEN (project-saga), each
 * its own write; what a crash leaves the reconciler moves.
 */
export async function rejectTrainingProjectCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<TrainingProject> {
  assertBroker(ctx.identity);
  const input = parseInput(rejectProjectInput, rawInput);
  const { project, meta } = await runCommand(
    input,
    {
      load: (i) =>
        loadFresh(ctx.stores.projects, i.id, 'input.id', 'TrainingProject'),
      authorize: authorizedBeforeLoad,
      decide: (before, i) => {
        const meta = metaOf(ctx, new Date());
        const next = rejectProject(before, i.reason, meta.now);
        return { next, meta, events: [ctx.events.projectRejected(next, meta)] };
      },
      save: (before, { next, events }) =>
        ctx.stores.projects.save(before, next, events, { field: 'input.id' }),
      answer: (_saved, { next, meta }) => ({ project: next, meta }),
    },
    BROKER_DECISION,
  );
  await moveProjectDemands(ctx, project, 'release', meta);
  return project;
}
