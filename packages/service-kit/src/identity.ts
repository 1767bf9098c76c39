import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
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

/** Carries the signed claims: base64url of their JSON (see {@link SignedClaims}). */
export const IDENTITY_HEADER = 'x-conecta-identity';
/** HMAC-SHA256 of the {@link IDENTITY_HEADER} value with the shared secret, base64url. */
export const IDENTITY_SIGNATURE_HEADER = 'x-conecta-identity-signature';

/**
 * Longest an identity signature lives, and the default lifetime the gateway
 * gives it: long enough for a slow subgraph request to arrive, short enough
 * that a captured pair is useless almost at once (it is also bound to one body
 * and one subgraph).
 */
export const MAX_IDENTITY_LIFETIME_MS = 30_000;

// Gateway and subgraph clocks may differ a little; beyond this an identity
// "from the future" is a forgery or a broken clock.
const MAX_CLOCK_SKEW_MS = 5_000;
// A key shorter than this is guessable; loadConfig enforces the same floor.
const MIN_SECRET_LENGTH = 32;
// SHA-256 digests are 32 bytes.
const SIGNATURE_BYTES = 32;

/**
 * What the gateway signs: the identity, plus what binds it to one request —
 * the subgraph it is for (`aud`), when it stops being valid (`exp`, epoch ms)
 * and the SHA-256 of the exact body sent (`bodySha256`, base64url).
 */
export interface SignedClaims extends Identity {
  aud: string;
  exp: number;
  bodySha256: string;
}

const claimsSchema = z.strictObject({
  subject: z.string().min(1).optional(),
  roles: z.array(z.enum(ROLES)),
  organizationId: z.string().min(1).optional(),
  issuedAt: z.number().int().nonnegative(),
  aud: z.string().min(1),
  exp: z.number().int().nonnegative(),
  bodySha256: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

/** The request an identity is signed for: which subgraph, and its exact body. */
export interface RequestBinding {
  /** The subgraph's name (`committees`…): a pair for one subgraph fails on another. */
  audience: string;
  /** The raw request body as sent (a GET has an empty one). */
  body: string | Uint8Array;
}

/** Headers as Node (`req.headers`) or fetch/Apollo (`headers.get`) expose them. */
export type HeaderSource =
  | Readonly<Record<string, string | string[] | undefined>>
  | { get(name: string): string | null | undefined };

export interface SignIdentityOptions {
  /** How long the signature is valid; defaults to (and at most) 30 s. */
  lifetimeMs?: number;
}

export interface VerifyIdentityOptions {
  /** Longest lifetime accepted (`exp − issuedAt`); defaults to 30 s. */
  maxLifetimeMs?: number;
  /**
   * Dev flag: when BOTH headers are absent, the caller is anonymous
   * (`{ roles: ['public'] }`) instead of refused. A present but invalid
   * signature is refused regardless. Defaults to false.
   */
  allowUnsigned?: boolean;
  /** Clock, for tests; defaults to `Date.now`. */
  now?: () => number;
}

/** SHA-256 of a request body, base64url: what binds a signature to it. */
export function bodyDigest(body: string | Uint8Array): string {
  return createHash('sha256').update(body).digest('base64url');
}

/**
 * Signs an identity for one subgraph request (the gateway uses it).
 *
 * @param identity `issuedAt` is normally `Date.now()` at signing time
 * @param secret   the shared HMAC key, at least 32 characters
 * @param binding  the subgraph's name and the exact body that will be sent
 * @param options  `lifetimeMs` defaults to 30 s (the most a subgraph accepts)
 * @returns the two headers to add to that request
 */
export function signIdentity(
  identity: Identity,
  secret: string,
  binding: RequestBinding,
  { lifetimeMs = MAX_IDENTITY_LIFETIME_MS }: SignIdentityOptions = {},
): Record<string, string> {
  assertSecret(secret);
  const claims: SignedClaims = {
    ...identity,
    aud: binding.audience,
    exp: identity.issuedAt + lifetimeMs,
    bodySha256: bodyDigest(binding.body),
  };
  const value = Buffer.from(JSON.stringify(claims), 'utf8').toString(
    'base64url',
  );
  return {
    [IDENTITY_HEADER]: value,
    [IDENTITY_SIGNATURE_HEADER]: hmac(value, secret).toString('base64url'),
  };
}

/**
 * Verifies the signed identity headers (timing-safe) for this request and
 * returns the identity.
 *
 * @param binding this subgraph's name and the raw body received
 * @throws UnauthenticatedError when the headers are missing (IDENTITY_MISSING,
 *   unless `allowUnsigned`), the signature does not match or the payload is
 *   malformed (IDENTITY_INVALID), the pair was signed for another subgraph
 *   (IDENTITY_WRONG_AUDIENCE) or another body (IDENTITY_BODY_MISMATCH), or it
 *   has expired or claims a lifetime over `maxLifetimeMs` (IDENTITY_EXPIRED)
 */
export function verifyIdentity(
  headers: HeaderSource,
  secret: string,
  binding: RequestBinding,
  {
    maxLifetimeMs = MAX_IDENTITY_LIFETIME_MS,
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
  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) {
    throw new UnauthenticatedError('Malformed identity', 'IDENTITY_INVALID');
  }
  const { aud, exp, bodySha256, ...identity } = parsed.data;

  if (aud !== binding.audience) {
    throw new UnauthenticatedError(
      `Identity was signed for the ${aud} service, not ${binding.audience}`,
      'IDENTITY_WRONG_AUDIENCE',
    );
  }
  const digest = Buffer.from(bodyDigest(binding.body), 'base64url');
  const signedDigest = Buffer.from(bodySha256, 'base64url');
  if (
    signedDigest.length !== digest.length ||
    !timingSafeEqual(signedDigest, digest)
  ) {
    throw new UnauthenticatedError(
      'Identity was signed for another request body',
      'IDENTITY_BODY_MISMATCH',
    );
  }
  const at = now();
  if (
    exp - identity.issuedAt > maxLifetimeMs ||
    identity.issuedAt - at > MAX_CLOCK_SKEW_MS
  ) {
    throw new UnauthenticatedError(
      `Identity lifetime is over ${maxLifetimeMs} ms or it was issued in the future`,
      'IDENTITY_INVALID',
    );
  }
  if (at > exp + MAX_CLOCK_SKEW_MS) {
    throw new UnauthenticatedError('Identity expired', 'IDENTITY_EXPIRED');
  }
  return identity;
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
