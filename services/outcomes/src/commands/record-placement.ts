import { v7 as uuidv7 } from 'uuid';
import { requireRole } from '@conecta/service-kit';
import {
  CAN_ACT_FOR_ANY_EMPLOYER,
  actsForEmployer,
} from '../domain/permissions';
import {
  newPlacement,
  type Placement,
  type PlacementInput,
} from '../domain/placement';
import type { Context } from '../context';

/**
 * The employer, a broker or an admin records a placement: a new record with
 * its `PlacementRecorded`, in one insert (CONFLICT `PLACEMENT_EXISTS` for a
 * second record of the same person, employer and start day), so no
 * `runCommand`.
 */
export async function recordPlacementCommand(
  { identity, stores }: Context,
  input: PlacementInput,
): Promise<Placement> {
  // Anyone else is refused as requireRole refuses: UNAUTHENTICATED when
  // anonymous, FORBIDDEN otherwise.
  if (!actsForEmployer(identity, input.employerId))
    requireRole(identity, ...CAN_ACT_FOR_ANY_EMPLOYER);
  const placement = newPlacement(uuidv7(), input, new Date());
  await stores.placements.record(placement);
  return placement;
}
