import { parseArgs } from 'node:util';
import { ROLES, type Role } from '@conecta/service-kit';
import { issueToken } from './auth';
import { readGatewayConfig } from './env';

/**
 * Development tool: prints a bearer token the gateway accepts, signed with its
 * JWT_SECRET. `node dist/dev-token.js --sub ana --roles certifier,admin [--org ID] [--expires 12h]`
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string', default: 'dev-user' },
      roles: { type: 'string', default: 'public' },
      org: { type: 'string' },
      expires: { type: 'string', default: '12h' },
    },
  });
  const roles = values.roles.split(',').map((r) => r.trim());
  const unknown = roles.filter(
    (r) => !(ROLES as readonly string[]).includes(r),
  );
  if (unknown.length > 0) {
    process.stderr.write(
      `dev-token: unknown role(s) ${unknown.join(', ')}; known: ${ROLES.join(', ')}\n`,
    );
    process.exit(64);
  }
  const config = readGatewayConfig();
  if (!config.JWT_SECRET) {
    process.stderr.write(
      'dev-token: JWT_SECRET is not set (tokens come from the JWKS issuer)\n',
    );
    process.exit(64);
  }
  const token = await issueToken(
    { sub: values.sub, roles: roles as Role[], org: values.org },
    {
      secret: config.JWT_SECRET,
      issuer: config.JWT_ISSUER,
      audience: config.JWT_AUDIENCE,
    },
    values.expires,
  );
  process.stdout.write(`${token}\n`);
}

void main();
