import { z } from 'zod';
import { stateCodeSchema } from '@conecta/mexico';
import { targetInput, targetKey } from '../domain/common';
import { suggestPools } from '../domain/pooling';
import { emptyConnection, pageArgs, parseInput } from '@conecta/service-kit';
import { ForbiddenError } from '@conecta/service-kit/errors';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import {
  assertBroker,
  assertManagesDemand,
  canListEnrollments,
  demandListScope,
  isBroker,
} from '../domain/permissions';
import type { Identity } from '@conecta/service-kit';
import type { Context } from '../context';
import type { Stores } from '../store';
import { loadFresh } from '../commands/load';
import { matchFor } from './queries';
import { readDemand, readEnrollment, readProject } from './readers';
import { paginate } from './page';

// Every list ends with `_id` (UUID v7: creation order), so the order is total.
const OLDEST_FIRST = [['_id', 1]] as const;
const NEWEST_FIRST = [['_id', -1]] as const;
const EARLIEST_START_FIRST = [
  ['startsOn', 1],
  ['_id', 1],
] as const;

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

const enrollmentFilter = z
  .object({
    cohortId: z.uuid().nullish(),
    personId: z.uuid().nullish(),
    status: z.enum(['ENROLLED', 'COMPLETED', 'DROPPED']).nullish(),
  })
  .nullish();

const demandListArgs = z.object({ filter: demandFilter, ...pageArgs });
const poolArgs = z.object({
  target: targetInput.nullish(),
  state: stateCodeSchema.nullish(),
});
const agreementListArgs = z.object({
  activeOnly: z.boolean().nullish(),
  ...pageArgs,
});
const projectListArgs = z.object({
  status: z
    .enum(['DRAFT', 'SUBMITTED', 'APPROVED', 'REJECTED', 'CLOSED'])
    .nullish(),
  ...pageArgs,
});
const cohortListArgs = z.object({ filter: cohortFilter, ...pageArgs });
const enrollmentListArgs = z.object({ filter: enrollmentFilter, ...pageArgs });

/** Where a cohort is delivered (its agreement's provider, its venue), for {@link canListEnrollments}. */
async function cohortScope(
  ctx: Context,
  cohortId: string,
): Promise<{ providerId: string; venueId: string } | null> {
  const cohort = await ctx.loaders.cohort.load(cohortId);
  if (!cohort) return null;
  const agreement = await ctx.loaders.agreement.load(cohort.agreementId);
  return agreement
    ? { providerId: agreement.providerId, venueId: cohort.venueId }
    : null;
}

/** The demand a caller may list under `filter`; null when none ({@link demandListScope}). */
function demandQuery(
  identity: Identity,
  filter: z.output<typeof demandFilter>,
): Record<string, unknown> | null {
  const scope = demandListScope(identity, filter?.requesterId);
  if (!scope) return null;
  const query: Record<string, unknown> = { ...scope };
  if (filter?.status) query.status = filter.status;
  if (filter?.state) query.state = filter.state;
  return query;
}

/** Agreements valid today when `activeOnly`, else all. */
function agreementQuery(activeOnly: boolean | null | undefined) {
  const now = new Date();
  return activeOnly
    ? { validFrom: { $lte: now }, validUntil: { $gte: now } }
    : {};
}

/** The cohorts `filter` selects; null when it selects none (an agreement of another provider). */
async function cohortQuery(
  stores: Stores,
  filter: z.output<typeof cohortFilter>,
): Promise<Record<string, unknown> | null> {
  const query: Record<string, unknown> = {};
  if (filter?.status) query.status = filter.status;
  if (filter?.state) query.state = filter.state;
  if (filter?.agreementId) query.agreementId = filter.agreementId;
  if (filter?.providerId) {
    const agreements = await stores.agreements.find({
      providerId: filter.providerId,
    });
    if (
      filter.agreementId &&
      !agreements.some((a) => a.id === filter.agreementId)
    )
      return null;
    query.agreementId = filter.agreementId
      ? filter.agreementId
      : { $in: agreements.map((a) => a.id) };
  }
  return query;
}

export const Query: QueryResolvers = {
  vendorCredentials: (_p, _a, { stores }) =>
    stores.credentials.find({}, { vendor: 1, code: 1 }),

  vendorCredential: (_p, { id }, { loaders }) => loaders.credential.load(id),

  demandRequests: async (_p, args, { stores, identity }) => {
    const { filter } = parseInput(demandListArgs, args, '');
    const query = demandQuery(identity, filter);
    return query ? stores.demands.find(query) : [];
  },

  demandRequestPage: async (_p, args, { stores, identity }) => {
    const { filter, ...page } = parseInput(demandListArgs, args, '');
    const query = demandQuery(identity, filter);
    return query
      ? paginate(stores.demands, query, OLDEST_FIRST, page)
      : emptyConnection();
  },

  demandRequest: (_p, { id }, ctx) => readDemand(ctx, id),

  agreements: (_p, args, { stores }) => {
    const { activeOnly } = parseInput(agreementListArgs, args, '');
    return stores.agreements.find(agreementQuery(activeOnly), { _id: -1 });
  },

  agreementPage: (_p, args, { stores }) => {
    const { activeOnly, ...page } = parseInput(agreementListArgs, args, '');
    return paginate(
      stores.agreements,
      agreementQuery(activeOnly),
      NEWEST_FIRST,
      page,
    );
  },

  agreement: (_p, { id }, { loaders }) => loaders.agreement.load(id),

  trainingProjects: (_p, args, { stores, identity }) => {
    assertBroker(identity);
    const { status } = parseInput(projectListArgs, args, '');
    return stores.projects.find(status ? { status } : {});
  },

  trainingProjectPage: (_p, args, { stores, identity }) => {
    assertBroker(identity);
    const { status, ...page } = parseInput(projectListArgs, args, '');
    return paginate(
      stores.projects,
      status ? { status } : {},
      OLDEST_FIRST,
      page,
    );
  },

  trainingProject: (_p, { id }, ctx) => {
    // A refusal, not null, at the root (the caller asked for the project);
    // readProject applies the same rule on every other path.
    assertBroker(ctx.identity);
    return readProject(ctx, id);
  },

  cohorts: async (_p, args, { stores }) => {
    const { filter } = parseInput(cohortListArgs, args, '');
    const query = await cohortQuery(stores, filter);
    return query ? stores.cohorts.find(query, { startsOn: 1 }) : [];
  },

  cohortPage: async (_p, args, { stores }) => {
    const { filter, ...page } = parseInput(cohortListArgs, args, '');
    const query = await cohortQuery(stores, filter);
    return query
      ? paginate(stores.cohorts, query, EARLIEST_START_FIRST, page)
      : emptyConnection();
  },

  enrollments: async (_p, args, ctx) => {
    const { filter, ...page } = parseInput(enrollmentListArgs, args, '');
    const query: Record<string, unknown> = {};
    if (filter?.status) query.status = filter.status;
    if (filter?.personId) query.personId = filter.personId;
    if (filter?.cohortId) query.cohortId = filter.cohortId;
    const allowed = await canListEnrollments(ctx.identity, filter ?? {}, (id) =>
      cohortScope(ctx, id),
    );
    if (!allowed) return emptyConnection();
    return paginate(ctx.stores.enrollments, query, OLDEST_FIRST, page);
  },

  cohort: (_p, { id }, { loaders }) => loaders.cohort.load(id),

  enrollment: (_p, { id }, ctx) => readEnrollment(ctx, id),

  matchDemand: async (_p, { demandRequestId }, ctx) => {
    const demand = await loadFresh(
      ctx.stores.demands,
      demandRequestId,
      'demandRequestId',
      'DemandRequest',
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

  suggestedPools: async (_p, args, { stores, identity, pricing }) => {
    if (!isBroker(identity))
      throw new ForbiddenError(
        'Only the broker pools demand into projects',
        'BROKER_ONLY',
      );
    const { target, state } = parseInput(poolArgs, args, '');
    const open = await stores.demands.find({
      status: 'OPEN',
      ...(target && { 'target.kind': target.kind, 'target.id': target.id }),
    });
    const targets = [
      ...new Map(open.map((d) => [targetKey(d.target), d.target])).values(),
    ];
    if (targets.length < 1) return [];
    const agreements = await stores.agreements.findByTargetKeys(
      targets.map(targetKey),
    );
    const cohorts =
      agreements.length === 0
        ? []
        : await stores.cohorts.find({
            agreementId: { $in: agreements.map((a) => a.id) },
            status: 'SCHEDULED',
          });
    const pools = suggestPools(open, agreements, cohorts, {
      now: new Date(),
      brokerMarkupBps: pricing.brokerMarkupBps,
      fundShareBps: pricing.matchingFundShareBps,
    });
    return state ? pools.filter((p) => p.states.includes(state)) : pools;
  },
};
