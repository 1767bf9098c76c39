import { standardAgendaItem } from '../domain/agenda-coverage';
import { decidedByCastingVote } from '../domain/council';
import { periodicReviewStatus, reviewDueAt } from '../domain/periodic-review';
import { qualificationLevel } from '../domain/qualifications';
import { runAutomatedChecks } from '../domain/review';
import type { CompetencyStandardResolvers } from '../__generated__/resolvers-types';
import { loadVisible, visibleOnly } from './access';

export const CompetencyStandard: CompetencyStandardResolvers = {
  // Batched (one query per N references) and visibility-checked like every read.
  __resolveReference: (ref, ctx) => loadVisible(ctx, ref.id),

  sector: (standard) => ({ id: standard.sectorId }),
  committee: (standard) => ({ id: standard.committeeId }),
  agendaItem: async (standard, _args, { loaders }) =>
    standard.agendaItem
      ? standardAgendaItem(
          standard,
          (await loaders.committee.load(standard.committeeId))?.agenda ?? null,
        )
      : null,
  qualificationLevel: (standard) => qualificationLevel(standard.level),

  reviewDueAt: (standard) => reviewDueAt(standard),
  periodicReview: (standard) => periodicReviewStatus(standard, new Date()),

  councilTally: (standard) =>
    standard.councilTally
      ? {
          ...standard.councilTally,
          decidedByCastingVote: decidedByCastingVote(standard.councilVotes),
        }
      : null,

  reviewChecks: async (standard, _args, { loaders }) =>
    runAutomatedChecks(
      standard,
      await loaders.committee.load(standard.committeeId),
    ),

  previousVersion: (standard, _args, ctx) =>
    standard.revisionOf ? loadVisible(ctx, standard.revisionOf) : null,

  supersededBy: (standard, _args, ctx) =>
    standard.supersededBy ? loadVisible(ctx, standard.supersededBy) : null,

  competingStandards: async (standard, _args, ctx) => {
    const sameSectorAndLevel = await ctx.loaders.standardsOfSectorLevel.load({
      sectorId: standard.sectorId,
      level: standard.level,
    });
    return visibleOnly(
      ctx,
      sameSectorAndLevel.filter(
        (other) =>
          other.committeeId !== standard.committeeId &&
          other.status !== 'SUPERSEDED',
      ),
    );
  },
};
