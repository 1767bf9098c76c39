import { v7 as uuidv7 } from 'uuid';
import { parseInput, requireRole } from '@conecta/service-kit';
import { canSeeRegisteredPerson } from '../domain/access';
import { CAN_REGISTER_PERSON } from '../domain/permissions';
import {
  registerPerson,
  registerPersonInput,
  type PersonRegistration,
} from '../domain/person';
import type { Context } from '../context';

/**
 * Registers a person, or finds the one holding the CURP (never a duplicate,
 * and a known record is not changed), and answers the same shape either way:
 * a fresh reference bound to the caller's organization, and the person only
 * for admins. So the answer never tells a caller whether a CURP was known
 * (issue 12, finding 4; README: Decisions).
 */
export async function registerPersonCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<PersonRegistration> {
  const { identity, stores, events, requestId } = ctx;
  requireRole(identity, ...CAN_REGISTER_PERSON);
  const input = parseInput(registerPersonInput, rawInput);
  const now = new Date();
  const candidate = registerPerson(input, { id: uuidv7(), now });
  const { person } = await stores.people.insertOrGetExisting(candidate, [
    events.personRegistered(candidate, { traceId: requestId }),
  ]);
  const reference = {
    id: uuidv7(),
    personId: person.id,
    organizationId: identity.organizationId ?? null,
    issuedTo: identity.subject ?? '(no subject)',
    issuedAt: now,
  };
  await stores.personReferences.insert(reference);
  return {
    reference: reference.id,
    person: canSeeRegisteredPerson(identity) ? person : null,
  };
}
