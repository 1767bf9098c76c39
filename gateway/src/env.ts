import { z } from 'zod';
import {
  ConfigError,
  LOG_LEVELS,
  baseConfig,
  exitOnConfigError,
  parseEnvironment,
  type ConfigProblem,
} from '@conecta/service-kit';
import { SUBGRAPHS, timeoutVariable, urlVariable } from './subgraphs';

// HS256 keys shorter than 256 bits are brute-forceable (RFC 7518 §3.2).
const MIN_JWT_SECRET_LENGTH = 32;

const positiveInt = z.coerce.number().int().positive();
const nonNegativeInt = z.coerce.number().int().nonnegative();
const booleanFlag = z
  .enum(['true', 'false'], { error: "must be 'true' or 'false'" })
  .transform((value) => value === 'true');

const perSubgraph = Object.fromEntries(
  SUBGRAPHS.flatMap((s) => [
    [
      urlVariable(s.name),
      z.url({ error: 'must be an http(s) URL' }).optional(),
    ],
    [timeoutVariable(s.name), positiveInt.optional()],
  ]),
);

const port = z.coerce.number().int().min(0).max(65_535);

const gatewayShape = {
  PORT: port.default(4000),
  /**
   * `/ready` and `/metrics`, for the operator only (never the public port);
   * unset: PORT + 1000 (a free port when PORT is 0).
   */
  OPERATOR_PORT: port.optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  NODE_ENV: z
    .enum(['development', 'test', 'production'])
    .default('development'),
  /** HMAC key shared with every subgraph, to sign the forwarded identity. */
  IDENTITY_SECRET: z.string().min(32, 'must be at least 32 characters'),

  // People: bearer JWTs. HS256 with JWT_SECRET (dev, tests, dev-token), or
  // asymmetric keys published by the identity provider at JWT_JWKS_URL.
  JWT_SECRET: z
    .string()
    .min(
      MIN_JWT_SECRET_LENGTH,
      `must be at least ${MIN_JWT_SECRET_LENGTH} characters`,
    )
    .optional(),
  JWT_JWKS_URL: z.url({ error: 'must be an http(s) URL' }).optional(),
  JWT_ISSUER: z.string().default('conecta'),
  JWT_AUDIENCE: z.string().default('conecta-api'),
  /** Longest bearer token lifetime accepted (`exp` − `iat`, or `exp` − now): 24 h. */
  JWT_MAX_LIFETIME_SECONDS: positiveInt.default(86_400),
  /** Production accepts HS256 tokens (JWT_SECRET) only when this is true. */
  ALLOW_HS256_IN_PRODUCTION: booleanFlag.default(false),

  /** The gateway's own database: partner API keys. Without it API keys are off. */
  MONGODB_URI: z
    .string()
    .regex(
      /^mongodb(\+srv)?:\/\/\S+$/,
      'must be a mongodb:// or mongodb+srv:// URI',
    )
    .optional(),
  /** How long a verified API key is cached; a revocation takes effect within it. */
  API_KEY_CACHE_MS: nonNegativeInt.default(30_000),

  // Query limits (GraphQL Armor + graphql-js's token limit). The defaults admit
  // every query the partner docs show with room to spare.
  MAX_DEPTH: positiveInt.default(12),
  MAX_ALIASES: positiveInt.default(15),
  MAX_TOKENS: positiveInt.default(2_000),
  MAX_COST: positiveInt.default(5_000),
  MAX_DIRECTIVES: positiveInt.default(30),
  /** Largest accepted JSON body, in bytes (1 MB: a query, not an upload). */
  MAX_BODY_BYTES: positiveInt.default(1_048_576),

  /** Requests per minute from one IP address; 0 turns the limit off. */
  RATE_LIMIT_PER_IP: nonNegativeInt.default(600),
  /** Requests per minute for an API key issued without its own limit. */
  RATE_LIMIT_PER_KEY_DEFAULT: positiveInt.default(1_200),
  /** Proxies in front of the gateway whose X-Forwarded-For is trusted (0: none). */
  TRUST_PROXY_HOPS: nonNegativeInt.default(0),

  /** Automatic persisted queries (Apollo APQ, in-memory LRU cache). */
  APQ_ENABLED: booleanFlag.default(true),
  /** @apollo/gateway's usage data to Apollo: off unless set to 'false'. */
  APOLLO_TELEMETRY_DISABLED: booleanFlag.default(true),
  /** A persisted-query manifest: the registered operations (allow-list). */
  OPERATION_ALLOWLIST_PATH: z.string().min(1).optional(),
  /** off | api-keys (partner apps may run registered operations only) | all. */
  ALLOWLIST_MODE: z.enum(['off', 'api-keys', 'all']).default('off'),

  /** Time a subgraph may take per request; `<NAME>_TIMEOUT_MS` overrides it per subgraph. */
  SUBGRAPH_TIMEOUT_MS: positiveInt.default(10_000),

  /**
   * Where the supergraph comes from: `file` (supergraph.graphql, composed and
   * checked at build time) or, in development only, `introspect` (compose at
   * start from the running subgraphs' `_service { sdl }`).
   */
  SUPERGRAPH_SOURCE: z.enum(['file', 'introspect']).default('file'),
  /** With `introspect`: recompose every this many ms when a subgraph's SDL changed (0: only at start). */
  SUPERGRAPH_POLL_MS: nonNegativeInt.default(0),

  // The response cache learns of changes from Kafka: without KAFKA_BROKERS it is off.
  KAFKA_BROKERS: baseConfig.KAFKA_BROKERS.optional(),
  KAFKA_TOPIC_PREFIX: baseConfig.KAFKA_TOPIC_PREFIX,
  KAFKA_SASL_MECHANISM: baseConfig.KAFKA_SASL_MECHANISM,
  KAFKA_SASL_USERNAME: baseConfig.KAFKA_SASL_USERNAME,
  KAFKA_SASL_PASSWORD: baseConfig.KAFKA_SASL_PASSWORD,
  /** Longest a cached answer is served (0 turns the response cache off). */
  RESPONSE_CACHE_TTL_MS: nonNegativeInt.default(60_000),
  /** Memory for cached answers, in MiB. */
  RESPONSE_CACHE_MAX_MB: positiveInt.default(64),
  /** How often Kafka's offsets are read to learn what changed. */
  RESPONSE_CACHE_POLL_MS: positiveInt.default(250),
};

/** Every variable the gateway reads (README: Config), `<NAME>_URL` and `<NAME>_TIMEOUT_MS` included. */
export const gatewayConfig = { ...gatewayShape, ...perSubgraph };

/** The parsed config; per-subgraph variables are read with subgraphUrl / subgraphTimeoutMs. */
export type GatewayConfig = z.output<z.ZodObject<typeof gatewayShape>>;

/**
 * Parses the environment; throws ConfigError listing every bad variable,
 * including the rules that span variables (a JWT key source; no HS256, a
 * database and no development secret in production; a manifest when the
 * allow-list is on; no introspection in production).
 */
export function parseGatewayConfig(
  env: NodeJS.ProcessEnv = process.env,
): GatewayConfig {
  const problems: ConfigProblem[] = [];
  let config: GatewayConfig | undefined;
  try {
    config = parseEnvironment(gatewayConfig, env) as GatewayConfig;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  if (!env['JWT_SECRET'] && !env['JWT_JWKS_URL'])
    problems.push({
      variable: 'JWT_SECRET',
      problem: 'is required unless JWT_JWKS_URL is set',
    });
  // Production people's tokens come from the identity provider (JWKS): a
  // shared HS256 key is one more secret that can sign any identity.
  if (
    env['NODE_ENV'] === 'production' &&
    env['JWT_SECRET'] &&
    env['ALLOW_HS256_IN_PRODUCTION'] !== 'true'
  )
    problems.push({
      variable: 'JWT_SECRET',
      problem:
        'HS256 tokens are refused when NODE_ENV is production: set JWT_JWKS_URL instead, or ALLOW_HS256_IN_PRODUCTION=true',
    });
  if (env['NODE_ENV'] === 'production' && !env['MONGODB_URI'])
    problems.push({
      variable: 'MONGODB_URI',
      problem: 'is required when NODE_ENV is production (partner API keys)',
    });
  // Production serves the supergraph that passed the build's composition,
  // hint and breaking-change gates; introspection skips all three.
  if (
    env['NODE_ENV'] === 'production' &&
    env['SUPERGRAPH_SOURCE'] === 'introspect'
  )
    problems.push({
      variable: 'SUPERGRAPH_SOURCE',
      problem:
        'introspect is for development; production serves supergraph.graphql (file)',
    });
  if (
    env['ALLOWLIST_MODE'] &&
    env['ALLOWLIST_MODE'] !== 'off' &&
    !env['OPERATION_ALLOWLIST_PATH']
  )
    problems.push({
      variable: 'OPERATION_ALLOWLIST_PATH',
      problem: 'is required when ALLOWLIST_MODE is not off',
    });
  if (problems.length > 0 || !config) throw new ConfigError(problems);
  return config;
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

/** The timeout of a subgraph: `<NAME>_TIMEOUT_MS`, else SUBGRAPH_TIMEOUT_MS. */
export function subgraphTimeoutMs(config: GatewayConfig, name: string): number {
  return (
    ((config as Record<string, unknown>)[timeoutVariable(name)] as
      number | undefined) ?? config.SUBGRAPH_TIMEOUT_MS
  );
}
