import { z } from 'zod';
import validateRfc from 'validate-rfc';
import { STATE_CODES, type StateCode } from './mexico';

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

export type OrganizationKind = (typeof ORGANIZATION_KINDS)[number];

/** A participant of the skills system, as the directory holds it. */
export interface Organization {
  id: string;
  name: string;
  kind: OrganizationKind;
  state: StateCode;
  /** RFC, upper case. */
  taxId: string;
  registeredAt: Date;
}

/**
 * RFC (Mexican tax id): 12 characters for a legal entity, 13 for a person, with a
 * valid date and verification digit (checked by the maintained `validate-rfc`, which
 * also normalises case and strips separators). The generic RFCs for the general
 * public and for foreigners are shared by many taxpayers, so they cannot identify
 * an organization and are refused.
 */
export const rfcSchema = z.string().transform((value, ctx) => {
  const result = validateRfc(value);
  if (!result.isValid || !result.rfc) {
    ctx.addIssue({
      code: 'custom',
      message: 'is not a valid RFC (12 or 13 characters with a valid date and verification digit)',
    });
    return z.NEVER;
  }
  if (result.type === 'generic' || result.type === 'foreign') {
    ctx.addIssue({ code: 'custom', message: 'is a generic RFC shared by many taxpayers; give the organization\'s own RFC' });
    return z.NEVER;
  }
  return result.rfc;
});

export const stateCodeSchema = z.enum(STATE_CODES, {
  error: 'must be an ISO 3166-2:MX state code such as MX-JAL',
});

/** What a caller must give to register an organization. */
export const registerOrganizationInput = z.object({
  name: z.string().trim().min(2, 'must have at least 2 characters').max(200, 'must have at most 200 characters'),
  kind: z.enum(ORGANIZATION_KINDS),
  state: stateCodeSchema,
  taxId: rfcSchema,
});

export type RegisterOrganizationInput = z.output<typeof registerOrganizationInput>;

/** Builds a new organization from validated input; id and clock come from outside. */
export function registerOrganization(
  input: RegisterOrganizationInput,
  { id, now }: { id: string; now: Date },
): Organization {
  return { id, ...input, registeredAt: now };
}

/** Arguments of the directory listing: `first` 1–100 (default 20). */
export const listOrganizationsArgs = z.object({
  filter: z
    .object({
      kind: z.enum(ORGANIZATION_KINDS).nullish(),
      state: stateCodeSchema.nullish(),
      search: z.string().trim().min(1).max(100).nullish(),
    })
    .nullish(),
  first: z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(20),
  after: z.string().nullish(),
});
