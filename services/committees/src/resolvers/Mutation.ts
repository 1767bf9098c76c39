import { v7 as uuidv7 } from 'uuid';
import { parseInput, requireRole } from '@conecta/service-kit';
import {
  registerOrganization,
  registerOrganizationInput,
} from '../domain/organization';
import { registerSector, registerSectorInput } from '../domain/sector';
import {
  CAN_REGISTER_ORGANIZATION,
  CAN_REGISTER_SECTOR,
} from '../domain/permissions';
import type { MutationResolvers } from '../__generated__/resolvers-types';

export const Mutation: MutationResolvers = {
  registerOrganization: async (
    _parent,
    args,
    { identity, stores, events, requestId },
  ) => {
    requireRole(identity, ...CAN_REGISTER_ORGANIZATION);
    const input = parseInput(registerOrganizationInput, args.input);
    const organization = registerOrganization(input, {
      id: uuidv7(),
      now: new Date(),
    });
    await stores.organizations.insert(organization, [
      events.organizationRegistered(organization, { traceId: requestId }),
    ]);
    events.written();
    return organization;
  },

  registerSector: async (
    _parent,
    args,
    { identity, stores, events, requestId },
  ) => {
    requireRole(identity, ...CAN_REGISTER_SECTOR);
    const input = parseInput(registerSectorInput, args.input);
    const sector = registerSector(input, { id: uuidv7(), now: new Date() });
    await stores.sectors.insert(sector, [
      events.sectorRegistered(sector, { traceId: requestId }),
    ]);
    events.written();
    return sector;
  },
};
