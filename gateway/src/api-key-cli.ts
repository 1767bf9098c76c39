import { parseArgs } from 'node:util';
import { z } from 'zod';
import { ROLES, parseEnvironment, type Role } from '@conecta/service-kit';
import { ROLES_NOT_FOR_API_KEYS, createApiKeyStore } from './api-key-store';
import type { ApiKeyRecord } from './api-key-store';

const USAGE = `usage:
  api-keys issue --name NAME --org ORGANIZATION_ID --roles partner[,university…] [--rate-limit N]
  api-keys revoke --id KEY_ID
  api-keys list [--org ORGANIZATION_ID] [--all]
Reads MONGODB_URI (the gateway's database) and RATE_LIMIT_PER_KEY_DEFAULT.`;

const cliConfig = {
  MONGODB_URI: z
    .string()
    .regex(/^mongodb(\+srv)?:\/\/\S+$/, 'must be a mongodb:// URI'),
  RATE_LIMIT_PER_KEY_DEFAULT: z.coerce.number().int().positive().default(1_200),
};

export interface CliIo {
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Exit codes: 0 done, 64 usage error (sysexits EX_USAGE), 1 failure. */
export async function runApiKeyCli(
  argv: readonly string[],
  { env, out, err }: CliIo,
): Promise<number> {
  const [command, ...rest] = argv;
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: rest,
      options: {
        name: { type: 'string' },
        org: { type: 'string' },
        roles: { type: 'string' },
        'rate-limit': { type: 'string' },
        id: { type: 'string' },
        all: { type: 'boolean', default: false },
      },
    }));
  } catch (e) {
    err(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 64;
  }
  if (command !== 'issue' && command !== 'revoke' && command !== 'list') {
    err(USAGE);
    return 64;
  }
  const config = parseEnvironment(cliConfig, env);
  const store = createApiKeyStore({ uri: config.MONGODB_URI, cacheMs: 0 });
  await store.start();
  try {
    switch (command) {
      case 'issue': {
        const roles = String(values['roles'] ?? '')
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean);
        const unknown = roles.filter(
          (r) =>
            !(ROLES as readonly string[]).includes(r) ||
            ROLES_NOT_FOR_API_KEYS.includes(r as Role),
        );
        const rateLimit = Number(
          values['rate-limit'] ?? config.RATE_LIMIT_PER_KEY_DEFAULT,
        );
        if (
          !values['name'] ||
          !values['org'] ||
          roles.length === 0 ||
          unknown.length > 0 ||
          !Number.isInteger(rateLimit) ||
          rateLimit <= 0
        ) {
          err(
            `${unknown.length > 0 ? `roles not allowed for a key: ${unknown.join(', ')}\n` : ''}${USAGE}`,
          );
          return 64;
        }
        const { key, record } = await store.issue({
          name: String(values['name']),
          organizationId: String(values['org']),
          roles: roles as Role[],
          rateLimitPerMinute: rateLimit,
        });
        out(JSON.stringify({ ...record, key }, null, 2));
        err(
          'Give the key to its owner now: only its hash is stored, it cannot be shown again.',
        );
        return 0;
      }
      case 'revoke': {
        if (!values['id']) {
          err(USAGE);
          return 64;
        }
        const record = await store.revoke(String(values['id']));
        if (!record) {
          err(`no API key with id ${String(values['id'])}`);
          return 1;
        }
        out(JSON.stringify(record, null, 2));
        return 0;
      }
      case 'list': {
        const records: ApiKeyRecord[] = await store.list({
          ...(values['org'] ? { organizationId: String(values['org']) } : {}),
          includeRevoked: values['all'] === true,
        });
        out(JSON.stringify(records, null, 2));
        return 0;
      }
    }
  } finally {
    await store.stop();
  }
}
