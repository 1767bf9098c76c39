import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import { defineEvent } from '../contract';
import { entityId, isoDateTime, mexicanStateCode, rfc } from './common';

/** Kinds of participant in the directory of organizations. */
export const ORGANIZATION_KINDS = [
  'COMPANY',
  'TRADE_UNION',
  'CHAMBER',
  'UNIVERSITY',
  'VOCATIONAL_SCHOOL',
  'TRAINING_PROVIDER',
  'GOVERNMENT_BODY',
  'INDUSTRY_CLUSTER',
  'SOCIAL_ORGANIZATION',
] as const;

/** Kinds of economic sector: social and public sectors are allowed. */
export const SECTOR_KINDS = ['PRODUCTIVE', 'SOCIAL', 'PUBLIC'] as const;

/** An organization joined the directory of participants. */
export const OrganizationRegisteredV1 = defineEvent({
  type: 'committees.OrganizationRegistered',
  version: 1,
  description:
    'An organization (company, union, chamber, university...) joined the directory of participants.',
  data: z.object({
    id: entityId,
    name: z.string().trim().min(1),
    kind: z.enum(ORGANIZATION_KINDS),
    state: mexicanStateCode,
    taxId: rfc,
  }),
});

/** A sector was added to the economic sector catalog. */
export const SectorRegisteredV1 = defineEvent({
  type: 'committees.SectorRegistered',
  version: 1,
  description:
    'An economic sector (SCIAN-style code and name) was added to the catalog.',
  data: z.object({
    id: entityId,
    /** SCIAN-style code, e.g. "5415" or "31-33". */
    code: z.string().trim().min(1).max(20),
    name: z.string().trim().min(1),
    kind: z.enum(SECTOR_KINDS),
  }),
});

/** Sides a committee member represents. */
export const MEMBER_SIDES = [
  'EMPLOYER',
  'LABOR',
  'EDUCATION',
  'GOVERNMENT',
  'SOCIAL',
] as const;

/** Scope of a committee: the whole country, or a list of states. */
export const COMMITTEE_SCOPES = ['NATIONAL', 'REGIONAL'] as const;

/** A competence management committee was proposed for a sector. */
export const CommitteeProposedV1 = defineEvent({
  type: 'committees.CommitteeProposed',
  version: 1,
  description:
    'A competence management committee was proposed for a sector (status PROPOSED).',
  data: z.object({
    id: entityId,
    name: z.string().trim().min(1),
    sectorId: entityId,
    scope: z.enum(COMMITTEE_SCOPES),
    /** States of a REGIONAL committee; empty for NATIONAL. */
    states: z.array(mexicanStateCode),
  }),
});

/** A committee was installed: it may now own standards and nominate certifiers. */
export const CommitteeInstalledV1 = defineEvent({
  type: 'committees.CommitteeInstalled',
  version: 1,
  description:
    'A committee was installed (chair, an EMPLOYER member, every member attested): it may own standards.',
  data: z.object({
    id: entityId,
    name: z.string().trim().min(1),
    sectorId: entityId,
    /** Organizations of its members, for "members of the owning committee" visibility rules. */
    memberOrganizationIds: z.array(entityId),
    installedAt: isoDateTime,
  }),
});

/** A committee was dissolved: it owns no new drafts and nominates no more. */
export const CommitteeDissolvedV1 = defineEvent({
  type: 'committees.CommitteeDissolved',
  version: 1,
  description: 'A committee was dissolved.',
  data: z.object({
    id: entityId,
    reason: z.string().trim().min(1),
    dissolvedAt: isoDateTime,
  }),
});

/** A committee nominated a certifying organization for one of its published standards. */
export const CertifierNominatedV1 = defineEvent({
  type: 'committees.CertifierNominated',
  version: 1,
  description:
    'A committee nominated a certifying organization for one of its PUBLISHED standards. Keyed by the standard id.',
  data: z.object({
    nominationId: entityId,
    committeeId: entityId,
    standardId: entityId,
    organizationId: entityId,
    /** Nominations of this standard after this one, all committees (3 needed before accreditation). */
    nominationCount: z.number().int().min(1),
    nominatedAt: isoDateTime,
  }),
});

/**
 * Who a member's representative is in their organization: committee members must
 * be high-level decision makers (DESIGN §2).
 */
export const DECISION_MAKER_ROLES = [
  'CHIEF_EXECUTIVE',
  'BOARD_PRESIDENT',
  'UNION_GENERAL_SECRETARY',
  'RECTOR',
  'SCHOOL_DIRECTOR',
  'CHAMBER_PRESIDENT',
  'GOVERNMENT_SECRETARY',
  'AGENCY_HEAD',
  'EXECUTIVE_DIRECTOR',
] as const;

/** What a human-capital agenda item names: a work function or an occupation. */
export const AGENDA_ITEM_KINDS = ['FUNCTION', 'OCCUPATION'] as const;

/** An organization joined a committee as a member (not yet attested, unless `decisionMakerRole`). */
export const CommitteeMemberAddedV1 = defineEvent({
  type: 'committees.CommitteeMemberAdded',
  version: 1,
  description:
    'An organization joined a committee as a member, with its side and position title (attested or not).',
  data: z.object({
    /** The committee. */
    id: entityId,
    organizationId: entityId,
    side: z.enum(MEMBER_SIDES),
    positionTitle: z.string().trim().min(1),
    /** Present when the member was attested as a decision maker on joining. */
    decisionMakerRole: z.enum(DECISION_MAKER_ROLES).optional(),
    addedAt: isoDateTime,
  }),
});

/** A member organization left a committee. */
export const CommitteeMemberRemovedV1 = defineEvent({
  type: 'committees.CommitteeMemberRemoved',
  version: 1,
  description: 'A member organization left a committee.',
  data: z.object({
    id: entityId,
    organizationId: entityId,
    removedAt: isoDateTime,
  }),
});

/** A member's representative was attested as a high-level decision maker. */
export const DecisionMakerAttestedV1 = defineEvent({
  type: 'committees.DecisionMakerAttested',
  version: 1,
  description:
    'A member organization attested that its representative on the committee is a high-level decision maker.',
  data: z.object({
    id: entityId,
    organizationId: entityId,
    role: z.enum(DECISION_MAKER_ROLES),
    attestedAt: isoDateTime,
  }),
});

/**
 * The membership of an INSTALLED committee changed: the full list after the
 * change (not a delta), so a consumer simply replaces what it holds.
 */
export const CommitteeMembersChangedV1 = defineEvent({
  type: 'committees.CommitteeMembersChanged',
  version: 1,
  description:
    'The membership of an INSTALLED committee changed; carries every member organization after the change.',
  data: z.object({
    id: entityId,
    memberOrganizationIds: z.array(entityId),
  }),
});

/** A member organization was appointed to chair the committee. */
export const ChairAppointedV1 = defineEvent({
  type: 'committees.ChairAppointed',
  version: 1,
  description: 'A member organization was appointed to chair the committee.',
  data: z.object({
    id: entityId,
    organizationId: entityId,
    appointedAt: isoDateTime,
  }),
});

/** An expert joined a committee's technical working group (no personal data in the event). */
export const WorkingGroupExpertAddedV1 = defineEvent({
  type: 'committees.WorkingGroupExpertAdded',
  version: 1,
  description:
    "An expert joined the committee's technical working group (drafts standards; not a decision maker). The expert's name is personal data and stays in the committees service.",
  data: z.object({
    id: entityId,
    expertId: entityId,
    specialty: z.string().trim().min(1),
    organizationId: entityId.optional(),
    addedAt: isoDateTime,
  }),
});

/** A committee published a version of its sector's human-capital agenda. */
export const HumanCapitalAgendaPublishedV1 = defineEvent({
  type: 'committees.HumanCapitalAgendaPublished',
  version: 1,
  description:
    "A committee published a numbered version (1, 2, ...) of its sector's human-capital agenda: prioritized functions/occupations with target years.",
  data: z.object({
    id: entityId,
    sectorId: entityId,
    version: z.number().int().min(1),
    items: z
      .array(
        z.object({
          /**
           * The item's stable id: kept by every later version that carries the
           * item over, so a standard can name the item it covers. Added after
           * the first events were published: events written before it carry
           * none (consumers use {@link legacyAgendaItemId}).
           */
          id: entityId.optional(),
          /** 1 is the highest priority. */
          priority: z.number().int().min(1),
          kind: z.enum(AGENDA_ITEM_KINDS),
          title: z.string().trim().min(1),
          targetYear: z.number().int(),
        }),
      )
      .min(1),
    publishedAt: isoDateTime,
  }),
});

/**
 * The id of an agenda item published before items had ids: derived (UUID v5)
 * from the committee, the item's kind and its title (trimmed, lower case), so
 * the committees service (its stored versions) and every consumer (the old
 * events) name the item alike, and an item repeated by the next old version
 * keeps its id. Items published since carry their own `id`.
 */
export function legacyAgendaItemId(
  committeeId: string,
  item: { kind: (typeof AGENDA_ITEM_KINDS)[number]; title: string },
): string {
  return uuidv5(
    `${item.kind}:${item.title.trim().toLocaleLowerCase('es-MX')}`,
    committeeId,
  );
}

/** Every committees contract, every version. */
export const committeesContracts = [
  OrganizationRegisteredV1,
  SectorRegisteredV1,
  CommitteeProposedV1,
  CommitteeInstalledV1,
  CommitteeDissolvedV1,
  CertifierNominatedV1,
  CommitteeMemberAddedV1,
  CommitteeMemberRemovedV1,
  DecisionMakerAttestedV1,
  CommitteeMembersChangedV1,
  ChairAppointedV1,
  WorkingGroupExpertAddedV1,
  HumanCapitalAgendaPublishedV1,
] as const;
