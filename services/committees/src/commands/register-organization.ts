import { v7 as uuidv7 } from 'uuid';
import { parseInput, requireRole } from '@conecta/service-kit';
import {
  registerOrganization,
  registerOrganizationInput,
  type Organization,
} from '../domain/organization';
import { CAN_REGISTER_ORGANIZATION } from '../domain/permissions';
import type { Context } from '../context';

/**
 * Adds an organization to the directory, with its event, in one insert
 * (CONFLICT `ORGANIZATION_TAX_ID_TAKEN` for a second one with the RFC).
 */
export async function registerOrganizationCommand(
  { identity, stores, events, requestId }: Context,
  rawInput: unknown,
): Promise<Organization> {
  requireRole(identity, ...CAN_REGISTER_ORGANIZATION);
  const input = parseInput(registerOrganizationInput, rawInput);
  const organization = registerOrganization(input, {
    id: uuidv7(),
    now: new Date(),
  });
  await stores.organizations.insert(organization, [
    events.organizationRegistered(organization, { traceId: requestId }),
  ]);
  return organization;
}
