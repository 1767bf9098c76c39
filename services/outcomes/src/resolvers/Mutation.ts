import { v7 as uuidv7 } from 'uuid';
import { ForbiddenError, hasRole, requireRole } from '@conecta/service-kit';
import type { MutationResolvers } from '../__generated__/resolvers-types';
import { newGoal } from '../domain/goal';
import { newPlacement } from '../domain/placement';
import { newSurvey } from '../domain/survey';
import { consumerStatus } from './analytics';

export const Mutation: MutationResolvers = {
  async recordPlacement(_, { input }, { identity, stores }) {
    const employer = identity.organizationId === input.employerId;
    if (!employer && !hasRole(identity, 'admin', 'broker')) {
      requireRole(identity, 'admin', 'broker');
      throw new ForbiddenError(
        'Only the employer, brokers and admins record placements',
      );
    }
    const placement = newPlacement(uuidv7(), input, new Date());
    await stores.placements.record(placement);
    return placement;
  },

  async setProgramGoal(_, { input }, { identity, stores }) {
    requireRole(identity, 'admin', 'council');
    const goal = newGoal(uuidv7(), input, new Date());
    await stores.goals.insert(goal);
    return goal;
  },

  async submitEmployerSurvey(_, { input }, context) {
    const { identity, stores } = context;
    if (
      identity.organizationId !== input.employerId &&
      !hasRole(identity, 'admin', 'broker')
    ) {
      requireRole(identity, 'admin', 'broker');
      throw new ForbiddenError(
        'Only the employer, brokers and admins submit surveys',
      );
    }
    const survey = newSurvey(
      uuidv7(),
      {
        employerId: input.employerId,
        cohortId: input.cohortId ?? null,
        providerId: input.providerId ?? null,
        standardId: input.standardId ?? null,
        credentialId: input.credentialId ?? null,
        ratings: input.ratings,
      },
      new Date(),
    );
    await stores.surveys.insert(survey);
    if (survey.providerId)
      // The provider's released score, for training's ranking (issue 17).
      // The survey is recorded either way: a refresh that fails here is
      // redone by the next survey of the provider or at the next start
      // (README: Decisions, the provider survey score event).
      await stores.providerScores
        .refresh(survey.providerId, {
          weights: context.surveyWeights,
          threshold: context.disclosure.threshold,
        })
        .catch((err: unknown) =>
          context.logger.warn(
            { err, providerId: survey.providerId },
            'provider survey score not published; retried at the next start',
          ),
        );
    return survey;
  },

  async rebuildReadModels(_, __, { identity, feed }) {
    requireRole(identity, 'admin');
    await feed.rebuild();
    return consumerStatus(feed);
  },
};
