import { v7 as uuidv7 } from 'uuid';
import { NotFoundError, parseInput, requireRole } from '@conecta/service-kit';
import {
  registerCertifyingBody,
  registerCertifyingBodyInput,
  type CertifyingBody,
} from '../domain/certifying-body';
import { CAN_MANAGE_NETWORK } from '../domain/permissions';
import type { Context } from '../context';

/**
 * An admin registers a directory organization as a certifying body: a new
 * body with its event, in one insert (CONFLICT `CERTIFYING_BODY_EXISTS` for
 * a second one of the organization), so no `runCommand`.
 */
export async function registerCertifyingBodyCommand(
  { identity, stores, events, requestId }: Context,
  rawInput: unknown,
): Promise<CertifyingBody> {
  requireRole(identity, ...CAN_MANAGE_NETWORK);
  const input = parseInput(registerCertifyingBodyInput, rawInput);
  const organization = await stores.projections.findOrganization(
    input.organizationId,
  );
  if (!organization)
    throw new NotFoundError('Organization', input.organizationId);
  const body = registerCertifyingBody(input, {
    id: uuidv7(),
    name: organization.name,
    now: new Date(),
  });
  await stores.bodies.insert(body, [
    events.bodyRegistered(body, { traceId: requestId }),
  ]);
  return body;
}
