import { InvalidInputError, NotFoundError } from '@conecta/service-kit/errors';
import { type Committee, type CommitteeOutcome } from '../domain/committee';
import type { Organization } from '../domain/organization';
import type { Context } from '../context';

/** The committee a command is about, read fresh (not from the request cache). */
export async function loadCommittee(
  { stores }: Context,
  id: string,
): Promise<Committee> {
  const committee = await stores.committees.findById(id);
  if (!committee) throw new NotFoundError('Committee', id);
  return committee;
}

/** A registered organization named by an input field, or BAD_USER_INPUT `ORGANIZATION_NOT_FOUND`. */
export async function requireOrganization(
  { loaders }: Context,
  id: string,
  field: string,
): Promise<Organization> {
  const organization = await loaders.organization.load(id);
  if (!organization) {
    throw new InvalidInputError(
      field,
      'is not a registered organization',
      'ORGANIZATION_NOT_FOUND',
    );
  }
  return organization;
}

/**
 * Writes a command's outcome and its events in one conditional document update
 * (outbox), then wakes the relay.
 */
export async function commit(
  { stores, events, requestId }: Context,
  before: Committee,
  outcome: CommitteeOutcome,
): Promise<Committee> {
  const saved = await stores.committees.update(
    before,
    outcome.committee,
    events.committeeChanged(outcome.committee, outcome.changes, {
      traceId: requestId,
    }),
  );
  return saved;
}

/** A reference that must exist (data integrity), or an INTERNAL error naming it. */
export function present<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} is missing`);
  return value;
}
