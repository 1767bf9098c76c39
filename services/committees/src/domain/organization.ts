import { z } from 'zod';
import { ORGANIZATION_KINDS } from '@conecta/events/contracts';
import { rfcSchema, stateCodeSchema, type StateCode } from '@conecta/mexico';
import { pageArgs } from '@conecta/service-kit/cursor';

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

/** What a caller must give to register an organization. */
export const registerOrganizationInput = z.object({
  name: z
    .string()
    .trim()
    .min(2, 'must have at least 2 characters')
    .max(200, 'must have at most 200 characters'),
  kind: z.enum(ORGANIZATION_KINDS),
  state: stateCodeSchema,
  taxId: rfcSchema,
});

export type RegisterOrganizationInput = z.output<
  typeof registerOrganizationInput
>;

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
  ...pageArgs,
});
