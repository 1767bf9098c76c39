import { z } from 'zod';
import {
  CERTIFYING_BODY_KINDS,
  STAFF_ROLES,
  entityId,
} from '@conecta/events/contracts';
import { stateCodeSchema, type StateCode } from '@conecta/mexico';

export type CertifyingBodyKind = (typeof CERTIFYING_BODY_KINDS)[number];
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface Facility {
  state: StateCode;
  city: string;
}

export interface StaffMember {
  /** The identity subject they sign in with. */
  subject: string;
  name: string;
  roles: StaffRole[];
}

export interface Fee {
  standardId: string;
  /** Integer centavos (MXN). */
  amountCentavos: number;
}

/** An organization acting as certifier. */
export interface CertifyingBody {
  id: string;
  organizationId: string;
  name: string;
  kind: CertifyingBodyKind;
  facilities: Facility[];
  fees: Fee[];
  staff: StaffMember[];
  registeredAt: Date;
  /** Optimistic-concurrency counter: every change is conditional on it. */
  revision: number;
}

export const facilityInput = z.object({
  state: stateCodeSchema,
  city: z
    .string()
    .trim()
    .min(2, 'must have at least 2 characters')
    .max(100, 'must have at most 100 characters'),
});

// A body with hundreds of facilities is a data-entry error, not a certifier.
const MAX_FACILITIES = 100;
const facilitiesInput = z
  .array(facilityInput)
  .min(1, 'must list at least one evaluation facility')
  .max(MAX_FACILITIES, `must list at most ${MAX_FACILITIES} facilities`);

export const registerCertifyingBodyInput = z.object({
  organizationId: entityId,
  kind: z.enum(CERTIFYING_BODY_KINDS),
  facilities: facilitiesInput,
});
export type RegisterCertifyingBodyInput = z.output<
  typeof registerCertifyingBodyInput
>;

export const setFacilitiesInput = z.object({ facilities: facilitiesInput });

export const staffMemberInput = z.object({
  subject: z.string().trim().min(1).max(200),
  name: z
    .string()
    .trim()
    .min(2, 'must have at least 2 characters')
    .max(200, 'must have at most 200 characters'),
  roles: z
    .array(z.enum(STAFF_ROLES))
    .min(1, 'must give at least one role')
    .transform((roles) => [...new Set(roles)].sort()),
});

export const setFeeInput = z.object({
  standardId: entityId,
  // 10 million pesos: far above any evaluation fee, far below Int overflow.
  amountCentavos: z
    .number()
    .int('must be whole centavos')
    .min(0, 'must not be negative')
    .max(1_000_000_000, 'must be at most 1,000,000,000 centavos'),
});

/** A new certifying body for a directory organization. */
export function registerCertifyingBody(
  input: RegisterCertifyingBodyInput,
  { id, name, now }: { id: string; name: string; now: Date },
): CertifyingBody {
  return {
    id,
    organizationId: input.organizationId,
    name,
    kind: input.kind,
    facilities: input.facilities,
    fees: [],
    staff: [],
    registeredAt: now,
    revision: 0,
  };
}

/** The body with `member` added, or replacing the member with the same subject. */
export function withStaffMember(
  body: CertifyingBody,
  member: StaffMember,
): CertifyingBody {
  return {
    ...body,
    staff: [...body.staff.filter((m) => m.subject !== member.subject), member],
  };
}

/** The body without the member `subject` (unchanged if absent). */
export function withoutStaffMember(
  body: CertifyingBody,
  subject: string,
): CertifyingBody {
  return { ...body, staff: body.staff.filter((m) => m.subject !== subject) };
}

/** The body with its fee for a standard set (replacing any previous one). */
export function withFee(body: CertifyingBody, fee: Fee): CertifyingBody {
  return {
    ...body,
    fees: [...body.fees.filter((f) => f.standardId !== fee.standardId), fee],
  };
}

/** The body with new facilities. */
export function withFacilities(
  body: CertifyingBody,
  facilities: Facility[],
): CertifyingBody {
  return { ...body, facilities };
}

/** Whether `subject` is on the body's staff with `role`. */
export function hasStaffRole(
  body: CertifyingBody,
  subject: string | undefined,
  role: StaffRole,
): boolean {
  return (
    subject !== undefined &&
    body.staff.some((m) => m.subject === subject && m.roles.includes(role))
  );
}

/** The distinct states where the body has facilities, sorted. */
export function facilityStates(body: CertifyingBody): StateCode[] {
  return [...new Set(body.facilities.map((f) => f.state))].sort();
}

/** The body's fee for a standard, or null when it has published none. */
export function feeFor(
  body: CertifyingBody,
  standardId: string,
): number | null {
  return (
    body.fees.find((f) => f.standardId === standardId)?.amountCentavos ?? null
  );
}
