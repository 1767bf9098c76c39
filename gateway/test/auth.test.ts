import { authenticate, issueToken } from '../src/auth';

const jwt = {
  secret: 'gateway-test-jwt-secret-with-32-characters!',
  issuer: 'conecta',
  audience: 'conecta-api',
};

describe('authenticating callers at the gateway', () => {
  it('treats a caller without a token as public', async () => {
    expect((await authenticate(undefined, jwt)).roles).toEqual(['public']);
  });

  it('reads subject, roles and organization from a valid token', async () => {
    const token = await issueToken(
      { sub: 'user-1', roles: ['certifier'], org: 'org-9' },
      jwt,
    );
    expect(await authenticate(`Bearer ${token}`, jwt)).toMatchObject({
      subject: 'user-1',
      roles: ['certifier'],
      organizationId: 'org-9',
    });
  });

  it('refuses a token signed with another key, never downgrading it to public', async () => {
    const token = await issueToken(
      { sub: 'user-1', roles: ['admin'] },
      { ...jwt, secret: 'another-secret-another-secret-another-secret' },
    );
    await expect(authenticate(`Bearer ${token}`, jwt)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('refuses an expired token', async () => {
    const token = await issueToken(
      { sub: 'user-1', roles: ['admin'] },
      jwt,
      '-1m',
    );
    await expect(authenticate(`Bearer ${token}`, jwt)).rejects.toThrow(
      'Token expired',
    );
  });

  it('refuses a token for another audience', async () => {
    const token = await issueToken(
      { sub: 'user-1', roles: ['admin'] },
      { ...jwt, audience: 'elsewhere' },
    );
    await expect(authenticate(`Bearer ${token}`, jwt)).rejects.toThrow(
      'Invalid token',
    );
  });
});
