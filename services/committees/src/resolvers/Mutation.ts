import { v7 as uuidv7 } from 'uuid';
import { parseInput, requireRole } from '@conecta/service-kit';
import { InvalidInputError } from '@conecta/service-kit/errors';
import {
  addExpert,
  addExpertInput,
  addMember,
  addMemberInput,
  appointChair,
  attestDecisionMaker,
  attestDecisionMakerInput,
  committeeIdArgs,
  dissolveCommittee,
  dissolveCommitteeInput,
  installCommittee,
  memberRefInput,
  proposeCommittee,
  proposeCommitteeInput,
  publishAgenda,
  publishAgendaInput,
  removeMember,
} from '../domain/committee';
import {
  nominateCertifier,
  nominateCertifierInput,
} from '../domain/nomination';
import {
  registerOrganization,
  registerOrganizationInput,
} from '../domain/organization';
import { registerSector, registerSectorInput } from '../domain/sector';
import {
  CAN_INSTALL_OR_DISSOLVE,
  CAN_MANAGE_COMMITTEE,
  CAN_NOMINATE,
  CAN_REGISTER_ORGANIZATION,
  CAN_REGISTER_SECTOR,
  assertActsForCommittee,
  assertMayAttestFor,
  assertMayNominate,
  proposerOf,
} from '../domain/permissions';
import {
  commit,
  loadCommittee,
  present,
  requireOrganization,
} from './commands';
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
    return sector;
  },

  proposeCommittee: async (_parent, args, context) => {
    const { identity, loaders, stores, events, requestId } = context;
    requireRole(identity, ...CAN_MANAGE_COMMITTEE);
    const input = parseInput(proposeCommitteeInput, args.input);
    const proposer = proposerOf(identity);
    if (proposer) {
      await requireOrganization(context, proposer, 'identity.organizationId');
    }
    if (!(await loaders.sector.load(input.sectorId))) {
      throw new InvalidInputError(
        'input.sectorId',
        'is not a sector of the catalog',
        'SECTOR_NOT_FOUND',
      );
    }
    const { committee, changes } = proposeCommittee(input, {
      id: uuidv7(),
      now: new Date(),
      proposedByOrganizationId: proposer,
    });
    await stores.committees.insert(
      committee,
      events.committeeChanged(committee, changes, { traceId: requestId }),
    );
    return committee;
  },

  addCommitteeMember: async (_parent, args, context) => {
    requireRole(context.identity, ...CAN_MANAGE_COMMITTEE);
    const input = parseInput(addMemberInput, args.input);
    const committee = await loadCommittee(context, input.committeeId);
    assertActsForCommittee(context.identity, committee);
    if (input.decisionMakerRole) {
      assertMayAttestFor(context.identity, input.organizationId);
    }
    const organization = await requireOrganization(
      context,
      input.organizationId,
      'input.organizationId',
    );
    return commit(
      context,
      committee,
      addMember(committee, input, {
        now: new Date(),
        organizationKind: organization.kind,
      }),
    );
  },

  attestDecisionMaker: async (_parent, args, context) => {
    requireRole(context.identity, ...CAN_MANAGE_COMMITTEE);
    const input = parseInput(attestDecisionMakerInput, args.input);
    const committee = await loadCommittee(context, input.committeeId);
    assertMayAttestFor(context.identity, input.organizationId);
    return commit(
      context,
      committee,
      attestDecisionMaker(committee, input, { now: new Date() }),
    );
  },

  removeCommitteeMember: async (_parent, args, context) => {
    requireRole(context.identity, ...CAN_MANAGE_COMMITTEE);
    const input = parseInput(memberRefInput, args.input);
    const committee = await loadCommittee(context, input.committeeId);
    assertActsForCommittee(context.identity, committee);
    return commit(
      context,
      committee,
      removeMember(committee, input, { now: new Date() }),
    );
  },

  appointCommitteeChair: async (_parent, args, context) => {
    requireRole(context.identity, ...CAN_MANAGE_COMMITTEE);
    const input = parseInput(memberRefInput, args.input);
    const committee = await loadCommittee(context, input.committeeId);
    assertActsForCommittee(context.identity, committee);
    return commit(
      context,
      committee,
      appointChair(committee, input, { now: new Date() }),
    );
  },

  addWorkingGroupExpert: async (_parent, args, context) => {
    requireRole(context.identity, ...CAN_MANAGE_COMMITTEE);
    const input = parseInput(addExpertInput, args.input);
    const committee = await loadCommittee(context, input.committeeId);
    assertActsForCommittee(context.identity, committee);
    if (input.organizationId) {
      await requireOrganization(
        context,
        input.organizationId,
        'input.organizationId',
      );
    }
    return commit(
      context,
      committee,
      addExpert(committee, input, { id: uuidv7(), now: new Date() }),
    );
  },

  publishHumanCapitalAgenda: async (_parent, args, context) => {
    requireRole(context.identity, ...CAN_MANAGE_COMMITTEE);
    const input = parseInput(publishAgendaInput, args.input);
    const committee = await loadCommittee(context, input.committeeId);
    assertActsForCommittee(context.identity, committee);
    const saved = await commit(
      context,
      committee,
      publishAgenda(committee, input, {
        now: new Date(),
        newId: () => uuidv7(),
      }),
    );
    return present(saved.agendas.at(-1) ?? null, 'published agenda');
  },

  installCommittee: async (_parent, args, context) => {
    requireRole(context.identity, ...CAN_INSTALL_OR_DISSOLVE);
    const { id } = parseInput(committeeIdArgs, args, '');
    const committee = await loadCommittee(context, id);
    return commit(
      context,
      committee,
      installCommittee(committee, { now: new Date() }),
    );
  },

  dissolveCommittee: async (_parent, args, context) => {
    requireRole(context.identity, ...CAN_INSTALL_OR_DISSOLVE);
    const input = parseInput(dissolveCommitteeInput, args.input);
    const committee = await loadCommittee(context, input.committeeId);
    return commit(
      context,
      committee,
      dissolveCommittee(committee, input, { now: new Date() }),
    );
  },

  nominateCertifier: async (_parent, args, context) => {
    const { identity, stores, events, requestId } = context;
    requireRole(identity, ...CAN_NOMINATE);
    const input = parseInput(nominateCertifierInput, args.input);
    const committee = await loadCommittee(context, input.committeeId);
    assertMayNominate(identity, committee);
    await requireOrganization(
      context,
      input.organizationId,
      'input.organizationId',
    );
    const standard = await stores.standards.findById(input.standardId);
    const id = uuidv7();
    const now = new Date();
    const nomination = await stores.nominations.insertNext(
      input.standardId,
      input.organizationId,
      (sequence) => {
        const candidate = nominateCertifier(committee, standard, input, {
          id,
          now,
          sequence,
        });
        return {
          nomination: candidate,
          events: [
            events.certifierNominated(candidate, { traceId: requestId }),
          ],
        };
      },
    );
    return nomination;
  },
};
