import type { Identity } from '@conecta/service-kit';
import {
  ForbiddenError,
  InvalidInputError,
  UnauthenticatedError,
} from '@conecta/service-kit/errors';

/**
 * Whose subscriptions a caller manages: every organization's (`all`, admins)
 * or one organization's (a partner app or staff acting for it: an identity
 * with that organizationId and a role beyond `public`).
 *
 * @throws UnauthenticatedError for an anonymous caller
 * @throws ForbiddenError `NOT_ACTING_FOR_ORGANIZATION` for a signed-in caller acting for no organization
 */
export function webhookScope(
  identity: Identity,
): 'all' | { organizationId: string } {
  if (identity.roles.includes('admin')) return 'all';
  const signedIn = identity.roles.some((role) => role !== 'public');
  if (identity.organizationId && signedIn)
    return { organizationId: identity.organizationId };
  if (identity.subject === undefined && identity.organizationId === undefined)
    throw new UnauthenticatedError('Sign in to manage webhook subscriptions');
  throw new ForbiddenError(
    'Webhook subscriptions belong to an organization: act for one (an API key or a token with its organization)',
    'NOT_ACTING_FOR_ORGANIZATION',
  );
}

/** Whether the caller manages the subscriptions of `organizationId`. */
export function managesWebhooksOf(
  identity: Identity,
  organizationId: string,
): boolean {
  try {
    const scope = webhookScope(identity);
    return scope === 'all' || scope.organizationId === organizationId;
  } catch {
    return false;
  }
}

/**
 * The organization a new subscription is for: the one an admin names
 * (`input.organizationId`, required of admins), or the caller's own.
 *
 * @throws InvalidInputError `ORGANIZATION_REQUIRED` for an admin naming none
 * @throws ForbiddenError `NOT_ACTING_FOR_ORGANIZATION` for another organization than the caller's
 */
export function subscriptionOwner(
  scope: ReturnType<typeof webhookScope>,
  requested: string | null | undefined,
): string {
  if (scope === 'all') {
    if (!requested)
      throw new InvalidInputError(
        'input.organizationId',
        'an admin names the organization the subscription is for',
        'ORGANIZATION_REQUIRED',
      );
    return requested;
  }
  if (requested && requested !== scope.organizationId)
    throw new ForbiddenError(
      'You subscribe for your own organization only',
      'NOT_ACTING_FOR_ORGANIZATION',
    );
  return scope.organizationId;
}

/**
 * Whether a subscription created by this caller receives every demand
 * request: brokers and admins see all demand in the graph (training's
 * access rules); others receive their own organization's only.
 */
export function seesAllDemand(identity: Identity): boolean {
  return identity.roles.some((role) => role === 'admin' || role === 'broker');
}
