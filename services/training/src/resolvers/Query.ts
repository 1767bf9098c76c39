import { z } from 'zod';
import { stateCodeSchema } from '@conecta/mexico';
import { parseInput } from '@conecta/service-kit';
import { ForbiddenError } from '@conecta/service-kit/errors';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import {
  assertBroker,
  assertManagesDemand,
  canSeeDemand,
  canSeeEnrollment,
  isBroker,
} from '../domain/permissions';
import { loadFresh, matchFor, scopeOf } from './commands';

const demandFilter = z
  .object({
    status: z.enum(['OPEN', 'AGGREGATED', 'FULFILLED', 'CANCELLED']).nullish(),
    state: stateCodeSchema.nullish(),
    requesterId: z.uuid().nullish(),
  })
  .nullish();

const cohortFilter = z
  .object({
    status: z
      .enum(['SCHEDULED', 'RUNNING', 'COMPLETED', 'CANCELLED'])
      .nullish(),
    state: stateCodeSchema.nullish(),
    agreementId: z.uuid().nullish(),
    providerId: z.uuid().nullish(),
  })
  .nullish();

export const Query: QueryResolvers = {
  vendorCredentials: (_p, _a, { stores }) =>
    stores.credentials.find({}, { vendor: 1, code: 1 }),

  vendorCredential: (_p, { id }, { loaders }) => loaders.credential.load(id),

  demandRequests: async (_p, args, { stores, identity }) => {
    const filter = parseInput(demandFilter, args.filter, 'filter') ?? {};
    const query: Record<string, unknown> = {};
    if (filter.status) query.status = filter.status;
    if (filter.state) query.state = filter.state;
    if (isBroker(identity)) {
      if (filter.requesterId) query.requesterId = filter.requesterId;
    } else {
      // Organizations see their own demand only; everyone else sees none.
      if (!identity.organizationId) return [];
      query.requesterId = identity.organizationId;
    }
    const demands = await stores.demands.find(query);
    return demands.filter((d) => canSeeDemand(identity, d));
  },

  demandRequest: async (_p, { id }, { loaders, identity }) => {
    const demand = await loaders.demand.load(id);
    return demand && canSeeDemand(identity, demand) ? demand : null;
  },

  agreements: async (_p, { activeOnly }, { stores }) => {
    const all = await stores.agreements.find({}, { _id: -1 });
    if (!activeOnly) return all;
    const now = Date.now();
    return all.filter(
      (a) => a.validFrom.getTime() <= now && a.validUntil.getTime() >= now,
    );
  },

  agreement: (_p, { id }, { loaders }) => loaders.agreement.load(id),

  trainingProjects: (_p, { status }, { stores, identity }) => {
    assertBroker(identity);
    return stores.projects.find(status ? { status } : {});
  },

  trainingProject: (_p, { id }, { loaders, identity }) => {
    assertBroker(identity);
    return loaders.project.load(id);
  },

  cohorts: async (_p, args, { stores }) => {
    const filter = parseInput(cohortFilter, args.filter, 'filter') ?? {};
    const query: Record<string, unknown> = {};
    if (filter.status) query.status = filter.status;
    if (filter.state) query.state = filter.state;
    if (filter.agreementId) query.agreementId = filter.agreementId;
    if (filter.providerId) {
      const agreements = await stores.agreements.find({
        providerId: filter.providerId,
      });
      query.agreementId = filter.agreementId
        ? filter.agreementId
        : { $in: agreements.map((a) => a.id) };
      if (
        filter.agreementId &&
        !agreements.some((a) => a.id === filter.agreementId)
      )
        return [];
    }
    return stores.cohorts.find(query, { startsOn: 1 });
  },

  cohort: (_p, { id }, { loaders }) => loaders.cohort.load(id),

  enrollment: async (_p, { id }, ctx) => {
    const enrollment = await ctx.loaders.enrollment.load(id);
    if (!enrollment) return null;
    return canSeeEnrollment(ctx.identity, await scopeOf(ctx, enrollment))
      ? enrollment
      : null;
  },

  matchDemand: async (_p, { demandRequestId }, ctx) => {
    const demand = await loadFresh(
      ctx.stores.demands,
      'DemandRequest',
      demandRequestId,
    );
    assertManagesDemand(ctx.identity, demand);
    return matchFor(ctx, demand);
  },

  unservedDemand: async (_p, args, ctx) => {
    if (!isBroker(ctx.identity))
      throw new ForbiddenError(
        'Only the broker reviews unserved demand',
        'BROKER_ONLY',
      );
    const state = parseInput(stateCodeSchema.nullish(), args.state, 'state');
    const open = await ctx.stores.demands.find({
      status: 'OPEN',
      ...(state && { state }),
    });
    const results = await Promise.all(open.map((d) => matchFor(ctx, d)));
    return results.filter((r) => !r.servable);
  },
};
