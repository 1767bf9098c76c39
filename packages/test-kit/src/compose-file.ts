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
  command?: string[];
  environment?: Record<string, string | number | boolean>;
  build?: {
    context?: string;
    dockerfile?: string;
    args?: Record<string, string>;
  };
  healthcheck?: { test?: unknown };
}

// Docker Compose interpolation: ${NAME:-default}, ${NAME-default} and ${NAME}.
const VARIABLE = /\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g;

function interpolate(value: string, env: NodeJS.ProcessEnv): string {
  return value.replace(
    VARIABLE,
    (_match, name: string, fallback?: string) => env[name] || fallback || '',
  );
}

/**
 * A service of docker-compose.yml with its environment as the container would
 * see it: YAML anchors and merge keys resolved, `${VAR:-default}` interpolated
 * (from an empty environment unless given), every value a string.
 */
export function composeService(
  name: string,
  env: NodeJS.ProcessEnv = {},
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
  const { definition } = composeService(name);
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
