import type { KafkaOptions } from '@conecta/events';
import { z } from 'zod';
import { developmentSecretProblems } from './dev-secrets';
import type { Logger } from './logger';

/** Log levels pino understands; `silent` turns logging off (tests). */
export const LOG_LEVELS = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
  'silent',
] as const;

export type LogLevel = (typeof LOG_LEVELS)[number];

// An HMAC-SHA256 key shorter than this is guessable; 32 characters is the floor
// the gateway and every subgraph must share.
const MIN_IDENTITY_SECRET_LENGTH = 32;

const port = z
  .string()
  .regex(/^\d+$/, 'must be an integer')
  .transform(Number)
  .pipe(z.number().int().min(0).max(65_535, 'must be at most 65535'));

/** SASL mechanisms kafkajs speaks that the deployment may use. */
export const KAFKA_SASL_MECHANISMS = [
  'scram-sha-512',
  'scram-sha-256',
  'plain',
] as const;

const booleanFlag = z
  .enum(['true', 'false'], { error: "must be 'true' or 'false'" })
  .transform((value) => value === 'true');

/**
 * Variables every subgraph reads. A service passes its own shape to
 * {@link loadConfig}, which is merged over this one (so a service may also
 * override a base variable, e.g. give `PORT` a default).
 *
 * | variable | type | default |
 * | --- | --- | --- |
 * | `SERVICE_NAME` | non-empty string | required |
 * | `PORT` | integer 0–65535 | required |
 * | `MONGODB_URI` | `mongodb://` or `mongodb+srv://` URI | required |
 * | `KAFKA_BROKERS` | comma list of `host:port` → `string[]` | required |
 * | `KAFKA_TOPIC_PREFIX` | string | `''` |
 * | `LOG_LEVEL` | fatal, error, warn, info, debug, trace, silent | `info` |
 * | `IDENTITY_SECRET` | string, at least 32 characters | required |
 * | `ALLOW_UNSIGNED_IDENTITY` | `'true'` or `'false'` → boolean | `false` |
 * | `NODE_ENV` | development, test, production | `development` |
 * | `OPERATOR_PORT` | integer 0–65535: `/ready`, `/metrics` | `PORT` + 1000 (a free port when `PORT` is 0) |
 * | `MAX_DEPTH` | deepest selection the subgraph accepts | `16` |
 * | `MAX_COST` | GraphQL Armor cost the subgraph accepts | `10000` |
 * | `IDEMPOTENCY_KEY_TTL_HOURS` | hours an `Idempotency-Key` and its answer are kept | `24` |
 * | `KAFKA_SASL_MECHANISM` | scram-sha-512, scram-sha-256 or plain | none (no SASL) |
 * | `KAFKA_SASL_USERNAME` / `KAFKA_SASL_PASSWORD` | the service's Kafka user | none; both required with a mechanism |
 *
 * In production a variable holding a development key committed to the
 * repository (or a placeholder) is refused by value.
 */
export const baseConfig = {
  SERVICE_NAME: z.string().min(1, 'must not be empty'),
  PORT: port,
  MONGODB_URI: z
    .string()
    .regex(
      /^mongodb(\+srv)?:\/\/\S+$/,
      'must be a mongodb:// or mongodb+srv:// URI',
    ),
  KAFKA_BROKERS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((broker) => broker.trim())
        .filter((broker) => broker.length > 0),
    )
    .pipe(
      z
        .array(
          z.string().regex(/^[^\s:]+:\d+$/, 'each broker must be host:port'),
        )
        .min(1, 'must list at least one broker'),
    ),
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** SASL on the Kafka connection (docker-compose: SCRAM, a user per service); unset locally. */
  KAFKA_SASL_MECHANISM: z
    .enum(KAFKA_SASL_MECHANISMS, {
      error: `must be one of ${KAFKA_SASL_MECHANISMS.join(', ')}`,
    })
    .optional(),
  KAFKA_SASL_USERNAME: z.string().min(1).optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1).optional(),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` })
    .default('info'),
  IDENTITY_SECRET: z
    .string()
    .min(
      MIN_IDENTITY_SECRET_LENGTH,
      `must be at least ${MIN_IDENTITY_SECRET_LENGTH} characters`,
    ),
  ALLOW_UNSIGNED_IDENTITY: booleanFlag.default(false),
  NODE_ENV: z
    .enum(['development', 'test', 'production'], {
      error: 'must be development, test or production',
    })
    .default('development'),
  /** Operator endpoints (`/ready`, `/metrics`); unset: PORT + 1000 (see defaultOperatorPort). */
  OPERATOR_PORT: port.optional(),
  /** The subgraph's own depth ceiling (the gateway has its own, lower). */
  MAX_DEPTH: z.coerce.number().int().positive().default(16),
  /** The subgraph's own GraphQL Armor cost ceiling (objects 2, scalars 1, ×1.5 per level). */
  MAX_COST: z.coerce.number().int().positive().default(10_000),
  /** Hours a mutation's Idempotency-Key and its answer are kept (issue 13: 24 at least). */
  IDEMPOTENCY_KEY_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(24, 'must be at least 24 (partners may retry for a day)')
    .default(24),
};

/** The zod shape of the base variables. */
export type BaseConfigShape = typeof baseConfig;

/** The parsed config for a service shape `S` merged over {@link baseConfig}. */
export type Config<S extends z.ZodRawShape = Record<never, never>> = z.output<
  z.ZodObject<Omit<BaseConfigShape, keyof S> & S>
>;

/** One bad or missing variable. Never contains the variable's value (it may be a secret). */
export interface ConfigProblem {
  variable: string;
  problem: string;
}

/** Thrown by {@link loadConfig}; lists every bad or missing variable at once. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  ${p.variable}: ${p.problem}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment against any zod shape (the gateway's, say, which has no
 * MongoDB or Kafka). Empty strings count as unset, so defaults apply to `FOO=` lines.
 *
 * @throws ConfigError listing every bad or missing variable (name + problem),
 *   including `ALLOW_UNSIGNED_IDENTITY=true` with `NODE_ENV=production`
 */
export function parseEnvironment<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.output<z.ZodObject<S>> {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    const value = env[key];
    input[key] = value === '' ? undefined : value;
  }

  const result = z.object(shape).safeParse(input, {
    // zod's default for a missing value talks about types; say what an operator needs.
    error: (issue) => (issue.input === undefined ? 'is required' : undefined),
  });

  const problems: ConfigProblem[] = result.success
    ? []
    : result.error.issues.map((issue) => ({
        variable: issue.path.map(String).join('.') || '(root)',
        problem: issue.message,
      }));

  // Checked on the raw values so it is reported alongside every other problem.
  if (
    env['NODE_ENV'] === 'production' &&
    env['ALLOW_UNSIGNED_IDENTITY'] === 'true'
  ) {
    problems.push({
      variable: 'ALLOW_UNSIGNED_IDENTITY',
      problem: 'must not be true when NODE_ENV is production',
    });
  }

  problems.push(...kafkaSaslProblems(shape, env));
  problems.push(...developmentSecretProblems(env, Object.keys(shape)));

  if (problems.length > 0 || !result.success) {
    throw new ConfigError(problems);
  }
  return result.data;
}

/** SASL is all three variables or none (only where the shape reads them). */
function kafkaSaslProblems(
  shape: z.ZodRawShape,
  env: NodeJS.ProcessEnv,
): ConfigProblem[] {
  const names = [
    'KAFKA_SASL_MECHANISM',
    'KAFKA_SASL_USERNAME',
    'KAFKA_SASL_PASSWORD',
  ] as const;
  if (!names.every((name) => name in shape)) return [];
  const set = names.filter((name) => env[name]);
  if (set.length === 0 || set.length === names.length) return [];
  return names
    .filter((name) => !env[name])
    .map((variable) => ({
      variable,
      problem: `is required when ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set (Kafka SASL)`,
    }));
}

/**
 * Parses the environment against {@link baseConfig} merged with the service's
 * own `shape` (see {@link parseEnvironment}).
 *
 * @param shape the service's own variables (zod schemas of strings)
 * @param env   defaults to `process.env`
 * @throws ConfigError listing every bad or missing variable
 */
export function loadConfig<S extends z.ZodRawShape = Record<never, never>>(
  shape: S = {} as S,
  env: NodeJS.ProcessEnv = process.env,
): Config<S> {
  return parseEnvironment({ ...baseConfig, ...shape }, env) as Config<S>;
}

/**
 * Runs a config parse for a `main()`: on a ConfigError it prints every problem
 * to stderr and exits with status 1, so a misconfigured container fails fast
 * with a readable reason.
 */
export function exitOnConfigError<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
}

/** {@link loadConfig} for a service's `main()`: prints every problem and exits 1. */
export function loadConfigOrExit<
  S extends z.ZodRawShape = Record<never, never>,
>(shape: S = {} as S, env: NodeJS.ProcessEnv = process.env): Config<S> {
  return exitOnConfigError(() => loadConfig(shape, env));
}

/** The Kafka variables of {@link baseConfig}, as parsed. */
type KafkaVariables = Pick<
  Config,
  | 'KAFKA_BROKERS'
  | 'KAFKA_SASL_MECHANISM'
  | 'KAFKA_SASL_USERNAME'
  | 'KAFKA_SASL_PASSWORD'
>;

/**
 * `createKafka`'s options from the parsed Kafka variables: the brokers, and
 * SASL when a mechanism, a user and a password are all set.
 */
export function kafkaOptionsFrom(
  config: KafkaVariables,
  clientId: string,
  logger: Logger,
): KafkaOptions {
  const { KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD } =
    config;
  return {
    brokers: config.KAFKA_BROKERS,
    clientId,
    logger,
    ...(KAFKA_SASL_MECHANISM && KAFKA_SASL_USERNAME && KAFKA_SASL_PASSWORD
      ? {
          sasl: {
            mechanism: KAFKA_SASL_MECHANISM,
            username: KAFKA_SASL_USERNAME,
            password: KAFKA_SASL_PASSWORD,
          },
        }
      : {}),
  };
}
