import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** The repository's docker-compose.yml (tests run from a workspace two levels down). */
export const COMPOSE_FILE = join(
  __dirname,
  '..',
  '..',
  '..',
  'docker-compose.yml',
);

interface ComposeService {
  image?: string;
  ports?: string[];
  depends_on?: Record<string, { condition?: string }>;
  command?: string[];
  environment?: Record<string, string | number | boolean>;
  build?: {
    context?: string;
    dockerfile?: string;
    args?: Record<string, string>;
  };
  healthcheck?: { test?: unknown };
}

// Docker Compose interpolation: ${NAME:-default}, ${NAME-default},
// ${NAME:?message}, ${NAME?message} and ${NAME}; `$$` is a literal `$`.
const VARIABLE = /\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}|\$\$/g;

/** Thrown like `docker compose` refuses to start: a `${NAME:?message}` variable is unset. */
export class ComposeVariableError extends Error {}

function interpolate(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(
    VARIABLE,
    (match, name?: string, kind?: string, text?: string) => {
      if (match === '$$') return '$';
      const set = env[name!];
      if (set) return set;
      if (kind === '?')
        throw new ComposeVariableError(`${name}: ${text || 'is required'}`);
      return kind === '-' ? (text ?? '') : '';
    },
  );
}

/** Every `${NAME…}` docker-compose.yml interpolates, with whether it is required (`:?`) and its default (`:-`). */
export function composeVariables(): {
  name: string;
  required: boolean;
  fallback?: string;
}[] {
  const text = readFileSync(COMPOSE_FILE, 'utf8');
  return [...text.matchAll(/\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g)].map(
    ([, name, kind, text]) => ({
      name: name!,
      required: kind === '?',
      ...(kind === '-' ? { fallback: text ?? '' } : {}),
    }),
  );
}

/** The names of docker-compose.yml's services, in file order. */
export function composeServiceNames(): string[] {
  const file = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as {
    services?: Record<string, unknown>;
  };
  return Object.keys(file.services ?? {});
}

/** The repository's .env.example: the variables docker compose reads from `.env`. */
export const ENV_EXAMPLE_FILE = join(COMPOSE_FILE, '..', '.env.example');

let dotEnv: Record<string, string> | undefined;

/**
 * An `.env` as the README's commands make it: every variable of
 * `.env.example` with a fresh value (hex secrets, a new Ed25519 key as
 * one-line PKCS#8 PEM, example URLs). The same one for the whole process.
 */
export function freshComposeEnv(): Record<string, string> {
  dotEnv ??= Object.fromEntries(
    readFileSync(ENV_EXAMPLE_FILE, 'utf8')
      .split('\n')
      .map((line) => /^([A-Z0-9_]+)=/.exec(line)?.[1])
      .filter((name): name is string => Boolean(name))
      .map((name) => [name, freshValue(name)]),
  );
  return dotEnv;
}

function freshValue(name: string): string {
  if (name === 'CREDENTIAL_SIGNING_KEY')
    return generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString()
      .trim()
      .replaceAll('\n', '\\n');
  if (name.endsWith('_URL'))
    return name === 'JWT_JWKS_URL'
      ? 'https://idp.example.gob.mx/.well-known/jwks.json'
      : 'https://conecta.example.gob.mx/certification';
  return randomBytes(32).toString('hex');
}

/**
 * A service of docker-compose.yml with its environment as the container would
 * see it: YAML anchors and merge keys resolved, `${VAR…}` interpolated from
 * `env` (default: {@link freshComposeEnv}, a filled-in `.env`), every value a
 * string.
 *
 * @throws ComposeVariableError when a `${VAR:?}` variable is not in `env`,
 *   as `docker compose up` refuses to start
 */
export function composeService(
  name: string,
  env: NodeJS.ProcessEnv = freshComposeEnv(),
): { environment: Record<string, string>; definition: ComposeService } {
  const file = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as {
    services?: Record<string, ComposeService>;
  };
  const definition = file.services?.[name];
  if (!definition)
    throw new Error(`docker-compose.yml has no service "${name}"`);
  const environment = Object.fromEntries(
    Object.entries(definition.environment ?? {}).map(([key, value]) => [
      key,
      interpolate(String(value), env),
    ]),
  );
  return { environment, definition };
}

/** The repository's one Dockerfile, shared by every service and the gateway. */
export const DOCKERFILE = join(__dirname, '..', '..', '..', 'Dockerfile');

/**
 * How docker-compose.yml builds a service's image: the shared Dockerfile's
 * build args (WORKSPACE, APP_DIR), which Dockerfile, and that file's text, for
 * tests that check the image is multi-stage, non-root and production-only.
 */
export function composeImage(name: string): {
  workspace?: string;
  appDir?: string;
  dockerfilePath: string;
  dockerfile: string;
} {
  const file = parse(readFileSync(COMPOSE_FILE, 'utf8'), { merge: true }) as {
    services?: Record<string, ComposeService>;
  };
  const definition = file.services?.[name];
  if (!definition)
    throw new Error(`docker-compose.yml has no service "${name}"`);
  const path = join(
    COMPOSE_FILE,
    '..',
    definition.build?.dockerfile ?? 'Dockerfile',
  );
  return {
    workspace: definition.build?.args?.WORKSPACE,
    appDir: definition.build?.args?.APP_DIR,
    dockerfilePath: path,
    dockerfile: readFileSync(path, 'utf8'),
  };
}
