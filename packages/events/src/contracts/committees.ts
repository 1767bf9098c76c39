import { z } from 'zod';
import { defineEvent } from '../contract';
import { entityId, mexicanStateCode, rfc } from './common';

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

/** Every committees contract, every version. */
export const committeesContracts = [
  OrganizationRegisteredV1,
  SectorRegisteredV1,
] as const;
