import { z } from 'zod';
import {
  authorizedBeforeLoad,
  parseInput,
  runCommand,
} from '@conecta/service-kit';
import { assertBroker } from '../domain/permissions';
import { submitProject, type TrainingProject } from '../domain/project';
import type { Context } from '../context';
import { loadFresh, metaOf, BROKER_DECISION } from './load';

const idArgs = z.object({ id: z.uuid() });

/** The broker submits a DRAFT project to its fund. */
export function submitTrainingProjectCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<TrainingProject> {
  assertBroker(ctx.identity);
  const args = parseInput(idArgs, rawArgs, '');
  return runCommand(
    args,
    {
      load: ({ id }) =>
        loadFresh(ctx.stores.projects, id, 'id', 'TrainingProject'),
      authorize: authorizedBeforeLoad,
      decide: (project) => {
        const now = new Date();
        const next = submitProject(project, now);
        return {
          next,
          events: [ctx.events.projectSubmitted(next, metaOf(ctx, now))],
        };
      },
      save: (project, { next, events }) =>
        ctx.stores.projects.save(project, next, events, { field: 'id' }),
    },
    BROKER_DECISION,
  );
}
