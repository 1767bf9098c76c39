import { z } from 'zod';
import {
  LOG_LEVELS,
  exitOnConfigError,
  parseEnvironment,
} from '@conecta/service-kit';
import { SUBGRAPHS, urlVariable } from './subgraphs';

// HS256 keys shorter than 256 bits are brute-forceable (RFC 7518 §3.2).
const MIN_JWT_SECRET_LENGTH = 32;

const subgraphUrls = Object.fromEntries(
  SUBGRAPHS.map((s) => [
    urlVariable(s.name),
    z.url({ error: 'must be an http(s) URL' }).optional(),
  ]),
);

/** Every variable the gateway reads (README: Config). */
export const gatewayConfig = {
  PORT: z.coerce.number().int().min(0).max(65_535).default(4000),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  NODE_ENV: z
    .enum(['development', 'test', 'production'])
    .default('development'),
  /** HMAC key shared with every subgraph, to sign the forwarded identity. */
  IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters'),
  /** HS256 key for people's bearer tokens (issue 7 adds JWKS for production). */
  JWT_SECRET: z
    .string()
    .min(
      MIN_JWT_SECRET_LENGTH,
      `must be at least ${MIN_JWT_SECRET_LENGTH} characters`,
    ),
  JWT_ISSUER: z.string().default('conecta'),
  JWT_AUDIENCE: z.string().default('conecta-api'),
  ...subgraphUrls,
};

export type GatewayConfig = z.output<z.ZodObject<typeof gatewayConfig>>;

/** Parses the environment; throws ConfigError listing every bad variable. */
export function parseGatewayConfig(
  env: NodeJS.ProcessEnv = process.env,
): GatewayConfig {
  return parseEnvironment(gatewayConfig, env);
}

/** For main(): prints every bad variable and exits 1. */
export function readGatewayConfig(): GatewayConfig {
  return exitOnConfigError(() => parseGatewayConfig());
}

/** The URL of a subgraph: its `<NAME>_URL` variable, or the composed default. */
export function subgraphUrl(
  config: GatewayConfig,
  name: string,
  fallback: string,
): string {
  return (
    ((config as Record<string, unknown>)[urlVariable(name)] as
      string | undefined) ?? fallback
  );
}
