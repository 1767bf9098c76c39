import {
  ForbiddenError,
  IDENTITY_HEADER,
  IDENTITY_SIGNATURE_HEADER,
  UnauthenticatedError,
  hasRole,
  requireRole,
  signIdentity,
  verifyIdentity,
} from '../src/index';
import { TEST_SECRET, identityMother } from './fixtures/identity-mother';

function refusal(action: () => unknown): UnauthenticatedError {
  try {
    action();
  } catch (error) {
    if (error instanceof UnauthenticatedError) return error;
    throw error;
  }
  throw new Error('expected an UnauthenticatedError');
}

describe('signed identity headers', () => {
  it('round-trips an identity signed with the shared secret', () => {
    const identity = identityMother.certifier();
    expect(
      verifyIdentity(signIdentity(identity, TEST_SECRET), TEST_SECRET),
    ).toEqual(identity);
  });

  it('reads headers from a fetch-style Headers object too', () => {
    const identity = identityMother.certifier();
    const headers = new Headers(signIdentity(identity, TEST_SECRET));
    expect(verifyIdentity(headers, TEST_SECRET)).toEqual(identity);
  });

  it('refuses an identity whose payload was changed after signing', () => {
    const headers = signIdentity(identityMother.certifier(), TEST_SECRET);
    const forged = signIdentity(
      identityMother.certifier({ roles: ['admin'] }),
      TEST_SECRET,
    );
    const error = refusal(() =>
      verifyIdentity(
        { ...headers, [IDENTITY_HEADER]: forged[IDENTITY_HEADER] },
        TEST_SECRET,
      ),
    );
    expect(error.code).toBe('IDENTITY_INVALID');
  });

  it('refuses an identity signed with another secret', () => {
    const headers = signIdentity(
      identityMother.certifier(),
      'another-secret-'.repeat(3),
    );
    expect(refusal(() => verifyIdentity(headers, TEST_SECRET)).code).toBe(
      'IDENTITY_INVALID',
    );
  });

  it('refuses a truncated signature without comparing lengths in a leaky way', () => {
    const headers = signIdentity(identityMother.certifier(), TEST_SECRET);
    const truncated = {
      ...headers,
      [IDENTITY_SIGNATURE_HEADER]: headers[IDENTITY_SIGNATURE_HEADER]!.slice(
        0,
        10,
      ),
    };
    expect(refusal(() => verifyIdentity(truncated, TEST_SECRET)).code).toBe(
      'IDENTITY_INVALID',
    );
  });

  it('refuses an identity older than the replay window', () => {
    const now = Date.now();
    const headers = signIdentity(
      identityMother.certifier({ issuedAt: now - 5 * 60_000 - 1 }),
      TEST_SECRET,
    );
    expect(
      refusal(() => verifyIdentity(headers, TEST_SECRET, { now: () => now }))
        .code,
    ).toBe('IDENTITY_EXPIRED');
  });

  it('accepts an identity inside a custom replay window', () => {
    const now = Date.now();
    const headers = signIdentity(
      identityMother.certifier({ issuedAt: now - 50_000 }),
      TEST_SECRET,
    );
    expect(() =>
      verifyIdentity(headers, TEST_SECRET, {
        maxAgeMs: 60_000,
        now: () => now,
      }),
    ).not.toThrow();
    expect(() =>
      verifyIdentity(headers, TEST_SECRET, {
        maxAgeMs: 10_000,
        now: () => now,
      }),
    ).toThrow(UnauthenticatedError);
  });

  it('refuses a signed payload that is not an identity', () => {
    const headers = signIdentity(
      { roles: ['emperor'], issuedAt: Date.now() } as never,
      TEST_SECRET,
    );
    expect(refusal(() => verifyIdentity(headers, TEST_SECRET)).message).toBe(
      'Malformed identity',
    );
  });

  it('refuses missing headers unless unsigned identities are allowed', () => {
    expect(refusal(() => verifyIdentity({}, TEST_SECRET)).code).toBe(
      'IDENTITY_MISSING',
    );
    expect(
      verifyIdentity({}, TEST_SECRET, { allowUnsigned: true }),
    ).toMatchObject({
      roles: ['public'],
    });
  });

  it('refuses a signature without its identity even when unsigned identities are allowed', () => {
    const headers = signIdentity(identityMother.certifier(), TEST_SECRET);
    expect(() =>
      verifyIdentity(
        { [IDENTITY_SIGNATURE_HEADER]: headers[IDENTITY_SIGNATURE_HEADER] },
        TEST_SECRET,
        { allowUnsigned: true },
      ),
    ).toThrow(UnauthenticatedError);
  });

  it('refuses to work with a secret shorter than 32 characters', () => {
    expect(() => signIdentity(identityMother.certifier(), 'short')).toThrow(
      /32/,
    );
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
