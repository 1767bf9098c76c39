import {
  ForbiddenError,
  IDENTITY_HEADER,
  IDENTITY_SIGNATURE_HEADER,
  MAX_IDENTITY_LIFETIME_MS,
  UnauthenticatedError,
  hasRole,
  requireRole,
  signIdentity,
  verifyIdentity,
} from '../../src/index';
import { TEST_SECRET, identityMother } from '../fixtures/identity-mother';

function refusal(action: () => unknown): UnauthenticatedError {
  try {
    action();
  } catch (error) {
    if (error instanceof UnauthenticatedError) return error;
    throw error;
  }
  throw new Error('expected an UnauthenticatedError');
}

/** The request a signature is bound to: the standards subgraph, one body. */
const BINDING = {
  audience: 'standards',
  body: JSON.stringify({ query: '{ standards { id } }' }),
};

describe('signed identity headers', () => {
  it('round-trips an identity signed with the shared secret for this request', () => {
    const identity = identityMother.certifier();
    expect(
      verifyIdentity(
        signIdentity(identity, TEST_SECRET, BINDING),
        TEST_SECRET,
        BINDING,
      ),
    ).toEqual(identity);
  });

  it('reads headers from a fetch-style Headers object too', () => {
    const identity = identityMother.certifier();
    const headers = new Headers(signIdentity(identity, TEST_SECRET, BINDING));
    expect(verifyIdentity(headers, TEST_SECRET, BINDING)).toEqual(identity);
  });

  it('refuses a pair replayed on another request body', () => {
    const headers = signIdentity(
      identityMother.certifier(),
      TEST_SECRET,
      BINDING,
    );
    const error = refusal(() =>
      verifyIdentity(headers, TEST_SECRET, {
        ...BINDING,
        body: JSON.stringify({ query: 'mutation { revokeEverything }' }),
      }),
    );
    expect(error.code).toBe('IDENTITY_BODY_MISMATCH');
    expect(error.message).toMatch(/another request body/);
  });

  it('refuses a pair replayed on another subgraph', () => {
    const headers = signIdentity(
      identityMother.certifier(),
      TEST_SECRET,
      BINDING,
    );
    const error = refusal(() =>
      verifyIdentity(headers, TEST_SECRET, {
        ...BINDING,
        audience: 'certification',
      }),
    );
    expect(error.code).toBe('IDENTITY_WRONG_AUDIENCE');
    expect(error.message).toMatch(/standards service, not certification/);
  });

  it('refuses an identity whose payload was changed after signing', () => {
    const headers = signIdentity(
      identityMother.certifier(),
      TEST_SECRET,
      BINDING,
    );
    const forged = signIdentity(
      identityMother.certifier({ roles: ['admin'] }),
      TEST_SECRET,
      BINDING,
    );
    const error = refusal(() =>
      verifyIdentity(
        { ...headers, [IDENTITY_HEADER]: forged[IDENTITY_HEADER] },
        TEST_SECRET,
        BINDING,
      ),
    );
    expect(error.code).toBe('IDENTITY_INVALID');
  });

  it('refuses an identity signed with another secret', () => {
    const headers = signIdentity(
      identityMother.certifier(),
      'another-secret-'.repeat(3),
      BINDING,
    );
    expect(
      refusal(() => verifyIdentity(headers, TEST_SECRET, BINDING)).code,
    ).toBe('IDENTITY_INVALID');
  });

  it('refuses a truncated signature without comparing lengths in a leaky way', () => {
    const headers = signIdentity(
      identityMother.certifier(),
      TEST_SECRET,
      BINDING,
    );
    const truncated = {
      ...headers,
      [IDENTITY_SIGNATURE_HEADER]: headers[IDENTITY_SIGNATURE_HEADER]!.slice(
        0,
        10,
      ),
    };
    expect(
      refusal(() => verifyIdentity(truncated, TEST_SECRET, BINDING)).code,
    ).toBe('IDENTITY_INVALID');
  });

  it('refuses a pair once its 30 s lifetime is over', () => {
    const now = Date.now();
    const headers = signIdentity(
      identityMother.certifier({ issuedAt: now - 40_000 }),
      TEST_SECRET,
      BINDING,
    );
    expect(
      refusal(() =>
        verifyIdentity(headers, TEST_SECRET, BINDING, { now: () => now }),
      ).code,
    ).toBe('IDENTITY_EXPIRED');
    expect(MAX_IDENTITY_LIFETIME_MS).toBeLessThanOrEqual(30_000);
  });

  it('refuses a signature that claims a lifetime over the maximum', () => {
    const headers = signIdentity(
      identityMother.certifier(),
      TEST_SECRET,
      BINDING,
      { lifetimeMs: 5 * 60_000 },
    );
    expect(
      refusal(() => verifyIdentity(headers, TEST_SECRET, BINDING)).code,
    ).toBe('IDENTITY_INVALID');
    expect(() =>
      verifyIdentity(headers, TEST_SECRET, BINDING, {
        maxLifetimeMs: 5 * 60_000,
      }),
    ).not.toThrow();
  });

  it('refuses a signed payload that is not an identity', () => {
    const headers = signIdentity(
      { roles: ['emperor'], issuedAt: Date.now() } as never,
      TEST_SECRET,
      BINDING,
    );
    expect(
      refusal(() => verifyIdentity(headers, TEST_SECRET, BINDING)).message,
    ).toBe('Malformed identity');
  });

  it('refuses missing headers unless unsigned identities are allowed', () => {
    expect(refusal(() => verifyIdentity({}, TEST_SECRET, BINDING)).code).toBe(
      'IDENTITY_MISSING',
    );
    expect(
      verifyIdentity({}, TEST_SECRET, BINDING, { allowUnsigned: true }),
    ).toMatchObject({
      roles: ['public'],
    });
  });

  it('refuses a signature without its identity even when unsigned identities are allowed', () => {
    const headers = signIdentity(
      identityMother.certifier(),
      TEST_SECRET,
      BINDING,
    );
    expect(() =>
      verifyIdentity(
        { [IDENTITY_SIGNATURE_HEADER]: headers[IDENTITY_SIGNATURE_HEADER] },
        TEST_SECRET,
        BINDING,
        { allowUnsigned: true },
      ),
    ).toThrow(UnauthenticatedError);
  });

  it('refuses to work with a secret shorter than 32 characters', () => {
    expect(() =>
      signIdentity(identityMother.certifier(), 'short', BINDING),
    ).toThrow(/32/);
  });
});

describe('roles', () => {
  it('grants a role only when listed (admin implies nothing)', () => {
    const admin = identityMother.certifier({ roles: ['admin'] });
    expect(hasRole(admin, 'certifier', 'admin')).toBe(true);
    expect(hasRole(admin, 'certifier')).toBe(false);
  });

  it('asks an anonymous caller to sign in and forbids a known one', () => {
    expect(() => requireRole(identityMother.anonymous(), 'broker')).toThrow(
      UnauthenticatedError,
    );
    expect(() => requireRole(identityMother.certifier(), 'broker')).toThrow(
      ForbiddenError,
    );
    expect(() =>
      requireRole(identityMother.certifier(), 'broker', 'certifier'),
    ).not.toThrow();
  });
});
