import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { authenticate, createAuthenticator, issueToken } from '../src/auth';

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

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

describe('bearer tokens from an identity provider’s JWKS', () => {
  let jwksServer: Server;
  let jwksUrl: string;
  let privateKey: KeyPair['privateKey'];
  const settings = () => ({
    jwksUrl,
    issuer: 'conecta',
    audience: 'conecta-api',
  });
  const sign = (key: KeyPair['privateKey'], kid = 'key-1') =>
    new SignJWT({ roles: ['certifier'], org: 'org-3' })
      .setProtectedHeader({ alg: 'RS256', kid })
      .setSubject('idp-user')
      .setIssuer('conecta')
      .setAudience('conecta-api')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = {
      ...(await exportJWK(pair.publicKey)),
      kid: 'key-1',
      alg: 'RS256',
      use: 'sig',
    };
    jwksServer = createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) =>
      jwksServer.listen(0, '127.0.0.1', resolve),
    );
    const { port } = jwksServer.address() as AddressInfo;
    jwksUrl = `http://127.0.0.1:${port}/.well-known/jwks.json`;
  });

  afterAll(async () => {
    await new Promise((resolve) => jwksServer.close(resolve));
  });

  it('accepts a token signed by a key the JWKS publishes', async () => {
    const caller = await createAuthenticator(settings())({
      authorization: `Bearer ${await sign(privateKey)}`,
    });
    expect(caller.identity).toMatchObject({
      subject: 'idp-user',
      roles: ['certifier'],
      organizationId: 'org-3',
    });
  });

  it('refuses a token signed by a key the JWKS does not publish', async () => {
    const stranger = await generateKeyPair('RS256');
    await expect(
      createAuthenticator(settings())({
        authorization: `Bearer ${await sign(stranger.privateKey)}`,
      }),
    ).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses an HS256 token when only a JWKS is configured', async () => {
    const token = await issueToken({ sub: 'user-1', roles: ['admin'] }, jwt);
    await expect(
      createAuthenticator(settings())({ authorization: `Bearer ${token}` }),
    ).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a caller that sends a token and an API key at once', async () => {
    await expect(
      createAuthenticator(jwt)({ authorization: 'Bearer x', apiKey: 'cnk_x' }),
    ).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});
