import { orInvalidReference, orNotFound } from '@conecta/service-kit';
import type { Committee, CommitteeOutcome } from '../domain/committee';
import type { Organization } from '../domain/organization';
import type { Sector } from '../domain/sector';
import type { Context } from '../context';

// What the commands share: fresh loads, the reference checks of their inputs,
// and the one write of a committee's change with its events.

/** The committee a command is about, read fresh (not from the request cache), or NOT_FOUND. */
export function loadCommittee(
  { stores }: Pick<Context, 'stores'>,
  id: string,
): Promise<Committee> {
  return orNotFound(stores.committees.findById(id), 'Committee', id);
}

/** A registered organization named by an input field, or BAD_USER_INPUT `ORGANIZATION_NOT_FOUND`. */
export function requireOrganization(
  { loaders }: Pick<Context, 'loaders'>,
  id: string,
  field: string,
): Promise<Organization> {
  return orInvalidReference(
    loaders.organization.load(id),
    field,
    'a registered organization',
    'ORGANIZATION_NOT_FOUND',
  );
}

/** A sector of the catalog named by `input.sectorId`, or BAD_USER_INPUT `SECTOR_NOT_FOUND`. */
export function requireSector(
  { loaders }: Pick<Context, 'loaders'>,
  id: string,
): Promise<Sector> {
  return orInvalidReference(
    loaders.sector.load(id),
    'input.sectorId',
    'a sector of the catalog',
    'SECTOR_NOT_FOUND',
  );
}

/**
 * The `save` step of every command on a committee: the outcome and its events
 * as the revision after `before`, in one document write (outbox); CONFLICT
 * `COMMITTEE_CHANGED_CONCURRENTLY` when another change took that revision
 * (`runCommand` then runs the command again on the committee that won).
 */
export function saveOutcome(
  {
    stores,
    events,
    requestId,
  }: Pick<Context, 'stores' | 'events' | 'requestId'>,
  before: Committee,
  outcome: CommitteeOutcome,
): Promise<Committee> {
  return stores.committees.update(
    before,
    outcome.committee,
    events.committeeChanged(outcome.committee, outcome.changes, {
      traceId: requestId,
    }),
  );
}

/** A reference that must exist (data integrity), or an INTERNAL error naming it. */
export function present<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`${what} is missing`);
  return value;
}
