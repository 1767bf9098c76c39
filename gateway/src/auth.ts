import {
  SignJWT,
  createRemoteJWKSet,
  decodeProtectedHeader,
  jwtVerify,
  errors as joseErrors,
  type JWTVerifyGetKey,
} from 'jose';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { ROLES, type Identity } from '@conecta/service-kit';
import type { ApiKeyRecord } from './api-key-store';

/** An anonymous caller: can read public data and verify certificates. */
export const PUBLIC_IDENTITY_ROLES = ['public'] as const;

/** The header partner apps send their API key in. */
export const API_KEY_HEADER = 'x-api-key';

const claimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  org: z.string().min(1).optional(),
});

// Asymmetric algorithms an identity provider's JWKS may use. HS256 is never
// accepted from a JWKS: that is the algorithm-confusion attack.
const JWKS_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];

export interface JwtSettings {
  /** HS256 key (dev, tests, dev-token). */
  secret?: string;
  /** The identity provider's JWKS (production): asymmetric tokens. */
  jwksUrl?: string;
  issuer: string;
  audience: string;
  /**
   * Longest lifetime a token may have, in seconds: `exp` no further than
   * this from now (and from `iat`, when present). Defaults to 24 h.
   */
  maxLifetimeSeconds?: number;
}

/** Default of {@link JwtSettings.maxLifetimeSeconds} (JWT_MAX_LIFETIME_SECONDS): 24 h. */
export const DEFAULT_MAX_TOKEN_LIFETIME_SECONDS = 86_400;
// Identity provider and gateway clocks may differ a little.
const CLOCK_TOLERANCE_SECONDS = 30;

/** Looks up a presented API key; undefined when unknown or revoked. */
export interface ApiKeyVerifier {
  verify(key: string): Promise<ApiKeyRecord | undefined>;
}

/** Who called: the identity to forward, and the API key when a partner app did. */
export interface Caller {
  identity: Identity;
  apiKey?: Pick<ApiKeyRecord, 'id' | 'rateLimitPerMinute'>;
}

export interface Credentials {
  authorization?: string | undefined;
  apiKey?: string | undefined;
}

function unauthenticated(message: string, reason?: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: {
      code: 'UNAUTHENTICATED',
      ...(reason ? { reason } : {}),
      http: { status: 401 },
    },
  });
}

/**
 * Builds the gateway's authenticator (the JWKS is fetched lazily and cached by
 * jose, so build it once):
 * - no credential → the `public` role;
 * - `Authorization: Bearer <JWT>` → its subject, roles and organization (HS256
 *   with `secret`, or RS256/PS256/ES256/EdDSA from `jwksUrl`; issuer and
 *   audience checked; `exp` required, in the future, and at most
 *   `maxLifetimeSeconds` away);
 * - `x-api-key: <key>` → the key's owner organization and roles;
 * - anything else (bad, expired, revoked, both at once) → UNAUTHENTICATED,
 *   never a silent downgrade to public.
 */
export function createAuthenticator(
  jwt: JwtSettings,
  apiKeys?: ApiKeyVerifier,
): (credentials: Credentials) => Promise<Caller> {
  const secret = jwt.secret ? new TextEncoder().encode(jwt.secret) : undefined;
  const jwks: JWTVerifyGetKey | undefined = jwt.jwksUrl
    ? createRemoteJWKSet(new URL(jwt.jwksUrl))
    : undefined;

  async function verifyBearer(token: string): Promise<Identity> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthenticated('Invalid token');
    }
    // A token without `exp` would be valid forever: jose refuses it.
    const options = {
      issuer: jwt.issuer,
      audience: jwt.audience,
      requiredClaims: ['exp'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
    };
    try {
      const { payload } =
        alg === 'HS256' && secret
          ? await jwtVerify(token, secret, {
              ...options,
              algorithms: ['HS256'],
            })
          : jwks
            ? await jwtVerify(token, jwks, {
                ...options,
                algorithms: JWKS_ALGORITHMS,
              })
            : await Promise.reject(new Error(`no key for ${alg}`));
      const maxLifetime =
        jwt.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
      const exp = payload.exp!;
      const now = Math.floor(Date.now() / 1_000);
      if (
        exp - now > maxLifetime + CLOCK_TOLERANCE_SECONDS ||
        (typeof payload.iat === 'number' && exp - payload.iat > maxLifetime)
      )
        throw unauthenticated(
          `Token lifetime exceeds the maximum of ${maxLifetime} s: ask the identity provider for a shorter-lived token`,
          'TOKEN_LIFETIME_TOO_LONG',
        );
      const claims = claimsSchema.safeParse(payload);
      if (!claims.success)
        throw unauthenticated('Token lacks a subject or valid roles');
      return {
        subject: claims.data.sub,
        roles: claims.data.roles,
        organizationId: claims.data.org,
        issuedAt: Date.now(),
      };
    } catch (err) {
      if (err instanceof GraphQLError) throw err;
      if (err instanceof joseErrors.JWTExpired)
        throw unauthenticated('Token expired', 'TOKEN_EXPIRED');
      if (
        err instanceof joseErrors.JWTClaimValidationFailed &&
        err.claim === 'exp' &&
        err.reason === 'missing'
      )
        throw unauthenticated(
          'Token has no expiry (exp): tokens must expire',
          'TOKEN_EXP_MISSING',
        );
      throw unauthenticated('Invalid token');
    }
  }

  return async ({ authorization, apiKey }) => {
    if (authorization && apiKey)
      throw unauthenticated(
        'Send either a bearer token or an API key, not both',
      );
    if (apiKey) {
      if (!apiKeys)
        throw unauthenticated(
          'API keys are not enabled on this gateway',
          'API_KEYS_DISABLED',
        );
      const record = await apiKeys.verify(apiKey);
      if (!record)
        throw unauthenticated('Unknown or revoked API key', 'API_KEY_INVALID');
      return {
        identity: {
          subject: `apikey:${record.id}`,
          roles: record.roles,
          organizationId: record.organizationId,
          issuedAt: Date.now(),
        },
        apiKey: {
          id: record.id,
          rateLimitPerMinute: record.rateLimitPerMinute,
        },
      };
    }
    if (!authorization)
      return {
        identity: { roles: [...PUBLIC_IDENTITY_ROLES], issuedAt: Date.now() },
      };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    if (!match?.[1])
      throw unauthenticated('Authorization must be "Bearer <token>"');
    return { identity: await verifyBearer(match[1]) };
  };
}

/**
 * Who is calling, from the `Authorization` header alone (see
 * {@link createAuthenticator}, which the server uses).
 */
export async function authenticate(
  authorization: string | undefined,
  jwt: JwtSettings,
): Promise<Identity> {
  return (await createAuthenticator(jwt)({ authorization })).identity;
}

/**
 * Issues an HS256 token (dev banner, tests, demo loader). Production tokens come
 * from the identity provider; this exists so local users can act as a role.
 */
export async function issueToken(
  claims: { sub: string; roles: Identity['roles']; org?: string },
  jwt: JwtSettings & { secret: string },
  expiresIn = '12h',
): Promise<string> {
  return new SignJWT({
    roles: claims.roles,
    ...(claims.org ? { org: claims.org } : {}),
  })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(claims.sub)
    .setIssuer(jwt.issuer)
    .setAudience(jwt.audience)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(jwt.secret));
}
