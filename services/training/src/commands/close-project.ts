import { z } from 'zod';
import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import { assertBroker } from '../domain/permissions';
import {
  closeProject,
  projectCost,
  settlesFunding,
  type TrainingProject,
} from '../domain/project';
import type { Context } from '../context';
import {
  agreementOf,
  certifiedTraineesOf,
  loadFresh,
  metaOf,
  BROKER_DECISION,
} from './load';
import { moveProjectDemands } from './project-saga';

const idArgs = z.object({ id: z.uuid() });

/**
 * The broker closes a decided project: its decision (one write), then, after
 * an approval, its demand requests FULFILLED (project-saga), each its own
 * write; what a crash leaves the reconciler moves.
 */
export async function closeTrainingProjectCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<TrainingProject> {
  assertBroker(ctx.identity);
  const args = parseInput(idArgs, rawArgs, '');
  const { project, meta, fulfills } = await runCommand(
    args,
    {
      load: ({ id }) =>
        loadFresh(ctx.stores.projects, id, 'id', 'TrainingProject'),
      authorize: authorizedBeforeLoad,
      decide: async (before) => {
        // Prosoft's rule: an approved project with a funding split settles what
        // the fund owes from the certificates issued by now (a certificate that
        // arrives later does not reopen it). Saved, with its event, only while
        // the project is at the version read.
        const facts = settlesFunding(before)
          ? {
              cost: projectCost(before, await agreementOf(ctx, before)),
              certified: await certifiedTraineesOf(ctx, before),
            }
          : undefined;
        const meta = metaOf(ctx, new Date());
        const next = closeProject(before, meta.now, facts);
        return {
          next,
          meta,
          events: [ctx.events.projectClosed(next, meta)],
          fulfills: before.status === 'APPROVED',
        };
      },
      save: (before, { next, events }) =>
        ctx.stores.projects.save(before, next, events, { field: 'id' }),
      answer: (_saved, { next, meta, fulfills }) => ({
        project: next,
        meta,
        fulfills,
      }),
    },
    BROKER_DECISION,
  );
  if (fulfills) await moveProjectDemands(ctx, project, 'fulfill', meta);
  return project;
}
