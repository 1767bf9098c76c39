import { v7 as uuidv7 } from 'uuid';
import { assertActsForEmployer } from '../domain/permissions';
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
  // Anyone else: UNAUTHENTICATED when anonymous, FORBIDDEN saying who may.
  assertActsForEmployer(identity, input.employerId, 'recordPlacement');
  const placement = newPlacement(uuidv7(), input, new Date());
  await stores.placements.record(placement);
  return placement;
}
