import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { ConfigError } from '@conecta/service-kit';
import { authenticate, createAuthenticator, issueToken } from '../src/auth';
import { parseGatewayConfig } from '../src/env';

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

describe('bearer tokens must expire, and soon enough', () => {
  const hs256 = (build: (token: SignJWT) => SignJWT) =>
    build(
      new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('user-1')
        .setIssuer(jwt.issuer)
        .setAudience(jwt.audience)
        .setIssuedAt(),
    ).sign(new TextEncoder().encode(jwt.secret));

  it('refuses a token without exp (it would be valid forever)', async () => {
    const token = await hs256((t) => t);
    await expect(authenticate(`Bearer ${token}`, jwt)).rejects.toMatchObject({
      message: 'Token has no expiry (exp): tokens must expire',
      extensions: { code: 'UNAUTHENTICATED', reason: 'TOKEN_EXP_MISSING' },
    });
  });

  it('refuses a token whose exp is beyond the maximum lifetime (24 h by default)', async () => {
    const token = await hs256((t) => t.setExpirationTime('48h'));
    await expect(authenticate(`Bearer ${token}`, jwt)).rejects.toMatchObject({
      extensions: {
        code: 'UNAUTHENTICATED',
        reason: 'TOKEN_LIFETIME_TOO_LONG',
      },
    });
    const dayLong = await hs256((t) => t.setExpirationTime('23h'));
    await expect(authenticate(`Bearer ${dayLong}`, jwt)).resolves.toMatchObject(
      { subject: 'user-1' },
    );
  });

  it('applies a configured maximum lifetime, also to tokens without iat', async () => {
    const short = { ...jwt, maxLifetimeSeconds: 600 };
    const hour = await hs256((t) => t.setExpirationTime('1h'));
    await expect(authenticate(`Bearer ${hour}`, short)).rejects.toMatchObject({
      extensions: { reason: 'TOKEN_LIFETIME_TOO_LONG' },
    });
    const noIat = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('user-1')
      .setIssuer(jwt.issuer)
      .setAudience(jwt.audience)
      .setExpirationTime(Math.floor(Date.now() / 1_000) + 3_600)
      .sign(new TextEncoder().encode(jwt.secret));
    await expect(authenticate(`Bearer ${noIat}`, short)).rejects.toMatchObject({
      extensions: { reason: 'TOKEN_LIFETIME_TOO_LONG' },
    });
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

describe('production configuration of the gateway', () => {
  const production = (overrides: Record<string, string> = {}) => ({
    NODE_ENV: 'production',
    IDENTITY_SECRET: randomBytes(32).toString('hex'),
    JWT_JWKS_URL: 'https://idp.example.gob.mx/.well-known/jwks.json',
    MONGODB_URI: 'mongodb://gateway:pw@mongo:27017/conecta_gateway',
    ...overrides,
  });
  const problems = (env: Record<string, string>) => {
    try {
      parseGatewayConfig(env);
      return [];
    } catch (err) {
      if (err instanceof ConfigError) return [...err.problems];
      throw err;
    }
  };

  it('starts with fresh secrets and the identity provider’s JWKS', () => {
    expect(problems(production())).toEqual([]);
  });

  it('refuses a development identity key committed to the repository, by value', () => {
    expect(
      problems(
        production({
          IDENTITY_SECRET: 'dev-only-identity-secret-change-me-0123456789',
        }),
      ),
    ).toEqual([
      {
        variable: 'IDENTITY_SECRET',
        problem: expect.stringMatching(/development key committed/),
      },
    ]);
  });

  it('refuses HS256 bearer tokens unless explicitly allowed', () => {
    const hs256 = production({ JWT_SECRET: randomBytes(32).toString('hex') });
    expect(problems(hs256)).toEqual([
      {
        variable: 'JWT_SECRET',
        problem: expect.stringMatching(/HS256 tokens are refused/),
      },
    ]);
    expect(problems({ ...hs256, ALLOW_HS256_IN_PRODUCTION: 'true' })).toEqual(
      [],
    );
  });
});
