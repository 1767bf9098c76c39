import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import { ROLES, type Identity } from '@conecta/service-kit';

/** An anonymous caller: can read public data and verify certificates. */
export const PUBLIC_IDENTITY_ROLES = ['public'] as const;

const claimsSchema = z.object({
  sub: z.string().min(1),
  roles: z.array(z.enum(ROLES)).min(1),
  org: z.string().min(1).optional(),
});

export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
}

/**
 * Who is calling, from the `Authorization` header: no header → public; a valid
 * HS256 JWT (issuer, audience, expiry checked by jose) → its subject, roles and
 * organization; anything else → UNAUTHENTICATED (never silently public).
 */
export async function authenticate(
  authorization: string | undefined,
  jwt: JwtSettings,
): Promise<Identity> {
  const issuedAt = Date.now();
  if (!authorization) return { roles: [...PUBLIC_IDENTITY_ROLES], issuedAt };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (!match?.[1])
    throw unauthenticated('Authorization must be "Bearer <token>"');
  try {
    const { payload } = await jwtVerify(
      match[1],
      new TextEncoder().encode(jwt.secret),
      {
        issuer: jwt.issuer,
        audience: jwt.audience,
        algorithms: ['HS256'],
      },
    );
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success)
      throw unauthenticated('Token lacks a subject or valid roles');
    return {
      subject: claims.data.sub,
      roles: claims.data.roles,
      organizationId: claims.data.org,
      issuedAt,
    };
  } catch (err) {
    if (err instanceof GraphQLError) throw err;
    if (err instanceof joseErrors.JWTExpired)
      throw unauthenticated('Token expired');
    throw unauthenticated('Invalid token');
  }
}

/**
 * Issues an HS256 token (dev banner, tests, demo loader). Production tokens come
 * from the identity provider; this exists so local users can act as a role.
 */
export async function issueToken(
  claims: { sub: string; roles: Identity['roles']; org?: string },
  jwt: JwtSettings,
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
