import { connectionById, decodeCursor, parseInput } from '@conecta/service-kit';
import { NotFoundError } from '@conecta/service-kit/errors';
import { compareStandards } from '../domain/compare';
import { QUALIFICATION_LEVELS } from '../domain/qualifications';
import { STAFF_ROLES, assertRole } from '../domain/permissions';
import { dueForReview, dueForReviewArgs } from '../domain/periodic-review';
import { listStandardsArgs } from '../domain/standard';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import { loadVisible, visibilityOf, visibleOnly } from './access';

export const Query: QueryResolvers = {
  standard: (_parent, { id }, ctx) => loadVisible(ctx, id),

  standardByCode: async (_parent, { code, version }, ctx) => {
    const versions = await visibleOnly(
      ctx,
      await ctx.stores.standards.findVersions(code.trim().toUpperCase()),
    );
    if (version == null) return versions.at(-1) ?? null;
    return versions.find((s) => s.version === version) ?? null;
  },

  standards: async (_parent, args, ctx) => {
    const { filter, first, after } = parseInput(listStandardsArgs, args, '');
    return connectionById(
      await ctx.stores.standards.list(
        filter ?? {},
        await visibilityOf(ctx),
        first,
        after ? decodeCursor(after, 'after') : undefined,
      ),
    );
  },

  compareStandards: async (_parent, { a, b }, ctx) => {
    const [first, second] = await Promise.all([
      loadVisible(ctx, a),
      loadVisible(ctx, b),
    ]);
    if (!first) throw new NotFoundError('CompetencyStandard', a);
    if (!second) throw new NotFoundError('CompetencyStandard', b);
    return compareStandards(first, second);
  },

  standardsDueForReview: async (_parent, args, ctx) => {
    const { committeeId } = parseInput(dueForReviewArgs, args, '');
    const published = await ctx.stores.standards.findPublished(
      committeeId ?? undefined,
    );
    // Published standards are public; the filter keeps the rule in one place.
    return visibleOnly(ctx, dueForReview(published, new Date()));
  },

  qualificationLevels: () => [...QUALIFICATION_LEVELS],

  councilSeats: (_parent, _args, ctx) => {
    assertRole(ctx.identity, STAFF_ROLES);
    return ctx.stores.councilSeats.roster();
  },

  councilComposition: (_parent, _args, ctx) => ctx.council,
};
