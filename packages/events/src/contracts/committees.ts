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

/** Every committees contract, every version. */
export const committeesContracts = [
  OrganizationRegisteredV1,
  SectorRegisteredV1,
  CommitteeProposedV1,
  CommitteeInstalledV1,
  CommitteeDissolvedV1,
  CertifierNominatedV1,
] as const;
