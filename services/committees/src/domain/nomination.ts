import { z } from 'zod';
import { entityId } from '@conecta/events/contracts';
import { ConflictError } from '@conecta/service-kit/errors';
import { assertInstalled, type Committee } from './committee';

/** Where a standard is in its life, as far as nominations care. */
export type StandardStatus = 'PUBLISHED' | 'WITHDRAWN' | 'SUPERSEDED';

/**
 * What committees knows about a competency standard: a local projection of the
 * standards service's events (never a call to it).
 */
export interface StandardView {
  id: string;
  code: string;
  version: number;
  committeeId: string;
  sectorId: string;
  status: StandardStatus;
}

/** A committee's nomination of a certifying organization for one of its published standards. */
export interface Nomination {
  id: string;
  committeeId: string;
  standardId: string;
  organizationId: string;
  /** Position among this standard's nominations (1, 2, …): the count after this one. */
  sequence: number;
  nominatedAt: Date;
}

export const nominateCertifierInput = z.object({
  committeeId: entityId,
  standardId: entityId,
  organizationId: entityId,
});
export type NominateCertifierInput = z.output<typeof nominateCertifierInput>;

/**
 * Checks that `committee` may nominate for `standard` — the committee is
 * INSTALLED, and the standard is one of ITS OWN and PUBLISHED (a standard never
 * seen in the projection counts as not published) — and builds the nomination.
 * Duplicates (same standard and organization) are refused by the store.
 */
export function nominateCertifier(
  committee: Committee,
  standard: StandardView | null,
  input: NominateCertifierInput,
  { id, now, sequence }: { id: string; now: Date; sequence: number },
): Nomination {
  assertInstalled(committee);
  if (standard && standard.committeeId !== committee.id) {
    throw new ConflictError(
      'STANDARD_OF_ANOTHER_COMMITTEE',
      `Standard ${standard.code} belongs to another committee: only its own committee nominates its certifiers`,
      'input.standardId',
    );
  }
  if (!standard || standard.status !== 'PUBLISHED') {
    throw new ConflictError(
      'STANDARD_NOT_PUBLISHED',
      standard
        ? `Standard ${standard.code} is ${standard.status}: certifiers are nominated only for published standards`
        : `Standard ${input.standardId} is not published (no publication seen)`,
      'input.standardId',
    );
  }
  return {
    id,
    committeeId: committee.id,
    standardId: standard.id,
    organizationId: input.organizationId,
    sequence,
    nominatedAt: now,
  };
}

/** A reference to a standard owned by the standards subgraph: committees adds fields to it. */
export interface StandardRef {
  id: string;
}
