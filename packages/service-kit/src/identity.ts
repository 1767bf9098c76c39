import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { ForbiddenError, UnauthenticatedError } from './errors';

/** The roles of DESIGN.md §4. */
export const ROLES = [
  'public',
  'university',
  'partner',
  'committee_member',
  'certifier',
  'broker',
  'council',
  'admin',
] as const;

export type Role = (typeof ROLES)[number];

/** Who is calling, as verified by the gateway. */
export interface Identity {
  /** The person (JWT subject) or API client; absent for anonymous callers. */
  subject?: string;
  roles: Role[];
  /** The organization the caller acts for (partner apps, staff of a body). */
  organizationId?: string;
  /** When the gateway signed it, in epoch milliseconds. */
  issuedAt: number;
}

/** Carries the identity: base64url of its JSON. */
export const IDENTITY_HEADER = 'x-conecta-identity';
/** HMAC-SHA256 of the {@link IDENTITY_HEADER} value with the shared secret, base64url. */
export const IDENTITY_SIGNATURE_HEADER = 'x-conecta-identity-signature';

// A key shorter than this is guessable; loadConfig enforces the same floor.
const MIN_SECRET_LENGTH = 32;
// Gateway and subgraph clocks may differ a little; beyond this an identity
// "from the future" is a forgery or a broken clock.
const MAX_CLOCK_SKEW_MS = 30_000;
// SHA-256 digests are 32 bytes.
const SIGNATURE_BYTES = 32;

const identitySchema = z.strictObject({
  subject: z.string().min(1).optional(),
  roles: z.array(z.enum(ROLES)),
  organizationId: z.string().min(1).optional(),
  issuedAt: z.number().int().nonnegative(),
});

/** Headers as Node (`req.headers`) or fetch/Apollo (`headers.get`) expose them. */
export type HeaderSource =
  | Readonly<Record<string, string | string[] | undefined>>
  | { get(name: string): string | null | undefined };

export interface VerifyIdentityOptions {
  /** Replay window: an identity signed longer ago is refused; defaults to 5 minutes. */
  maxAgeMs?: number;
  /**
   * Dev flag: when BOTH headers are absent, the caller is anonymous
   * (`{ roles: ['public'] }`) instead of refused. A present but invalid
   * signature is refused regardless. Defaults to false.
   */
  allowUnsigned?: boolean;
  /** Clock, for tests; defaults to `Date.now`. */
  now?: () => number;
}

/**
 * Signs an identity for forwarding to subgraphs (the gateway uses it).
 *
 * @param identity `issuedAt` is normally `Date.now()` at signing time
 * @param secret   the shared HMAC key, at least 32 characters
 * @returns the two headers to add to the subgraph request
 */
export function signIdentity(
  identity: Identity,
  secret: string,
): Record<string, string> {
  assertSecret(secret);
  const value = Buffer.from(JSON.stringify(identity), 'utf8').toString(
    'base64url',
  );
  return {
    [IDENTITY_HEADER]: value,
    [IDENTITY_SIGNATURE_HEADER]: hmac(value, secret).toString('base64url'),
  };
}

/**
 * Verifies the signed identity headers (timing-safe) and returns the identity.
 *
 * @throws UnauthenticatedError when the headers are missing (unless
 *   `allowUnsigned`), the signature does not match, the payload is malformed,
 *   or it was signed more than `maxAgeMs` (default 5 minutes) ago
 */
export function verifyIdentity(
  headers: HeaderSource,
  secret: string,
  {
    maxAgeMs = 5 * 60_000,
    allowUnsigned = false,
    now = Date.now,
  }: VerifyIdentityOptions = {},
): Identity {
  assertSecret(secret);
  const value = readHeader(headers, IDENTITY_HEADER);
  const signature = readHeader(headers, IDENTITY_SIGNATURE_HEADER);

  if (value === undefined && signature === undefined) {
    if (allowUnsigned) return { roles: ['public'], issuedAt: now() };
    throw new UnauthenticatedError(
      'Missing identity: requests must come through the gateway',
      'IDENTITY_MISSING',
    );
  }
  if (!value || !signature) {
    throw new UnauthenticatedError(
      'Incomplete identity headers',
      'IDENTITY_INVALID',
    );
  }

  const expected = hmac(value, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== SIGNATURE_BYTES || !timingSafeEqual(given, expected)) {
    throw new UnauthenticatedError(
      'Invalid identity signature',
      'IDENTITY_INVALID',
    );
  }

  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    payload = undefined;
  }
  const parsed = identitySchema.safeParse(payload);
  if (!parsed.success) {
    throw new UnauthenticatedError('Malformed identity', 'IDENTITY_INVALID');
  }

  const age = now() - parsed.data.issuedAt;
  if (age > maxAgeMs || age < -MAX_CLOCK_SKEW_MS) {
    throw new UnauthenticatedError('Identity expired', 'IDENTITY_EXPIRED');
  }
  return parsed.data;
}

/**
 * True when the identity has at least one of `roles`. No role implies another:
 * `admin` is granted only where it is listed.
 */
export function hasRole(identity: Identity, ...roles: Role[]): boolean {
  return identity.roles.some((role) => roles.includes(role));
}

/**
 * Asserts that the identity has at least one of `roles`.
 *
 * @throws UnauthenticatedError for an anonymous caller (no subject and no
 *   organization), who should sign in first
 * @throws ForbiddenError for a known caller without any of the roles
 */
export function requireRole(identity: Identity, ...roles: Role[]): void {
  if (hasRole(identity, ...roles)) return;
  if (identity.subject === undefined && identity.organizationId === undefined) {
    throw new UnauthenticatedError('Sign in to do this');
  }
  throw new ForbiddenError(`Requires one of the roles: ${roles.join(', ')}`);
}

function hmac(value: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(value, 'utf8').digest();
}

function assertSecret(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new Error(
      `The identity secret must be at least ${MIN_SECRET_LENGTH} characters`,
    );
  }
}

function readHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof headers.get === 'function') {
    return (
      (headers.get as (n: string) => string | null | undefined)(name) ??
      undefined
    );
  }
  const value = (headers as Record<string, string | string[] | undefined>)[
    name
  ];
  // Two copies of a signed header are ambiguous: refuse rather than pick one.
  if (Array.isArray(value)) return value.length === 1 ? value[0] : '';
  return value;
}
