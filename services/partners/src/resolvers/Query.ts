import { parseInput } from '@conecta/service-kit';
import { entityId } from '@conecta/events/contracts';
import { z } from 'zod';
import { NotFoundError } from '@conecta/service-kit/errors';
import { webhookScope } from '../domain/permissions';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import { loadSubscription } from '../commands/load';

export const Query: QueryResolvers = {
  webhookSubscriptions: async (_parent, args, { identity, stores }) => {
    const scope = webhookScope(identity);
    const { organizationId } = parseInput(
      z.object({ organizationId: entityId.nullish() }),
      args,
      '',
    );
    if (scope === 'all')
      return stores.subscriptions.list(organizationId ?? undefined);
    // Another organization's subscriptions: none the caller may see.
    if (organizationId && organizationId !== scope.organizationId) return [];
    return stores.subscriptions.list(scope.organizationId);
  },

  webhookSubscription: async (_parent, args, context) => {
    const { id } = parseInput(z.object({ id: entityId }), args, '');
    try {
      return await loadSubscription(context, id);
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
  },
};
