/**
 * The public API of @conecta/service-kit: what every Conecta subgraph shares.
 * Add exports here with intention; anything not listed is internal.
 * Services' domain/ layers import only `@conecta/service-kit/errors`.
 */
export {
  ConfigError,
  KAFKA_SASL_MECHANISMS,
  LOG_LEVELS,
  baseConfig,
  exitOnConfigError,
  kafkaOptionsFrom,
  loadConfig,
  loadConfigOrExit,
  parseEnvironment,
} from './config';
export type {
  BaseConfigShape,
  Config,
  ConfigProblem,
  LogLevel,
} from './config';

export { DEVELOPMENT_SECRETS, developmentSecretProblems } from './dev-secrets';

export { createLogger } from './logger';
export type { Logger, LoggerOptions } from './logger';

export { createMongo, pageById } from './mongo';
export type { Mongo, MongoOptions } from './mongo';

export { EVENT_LOOP_SAMPLE_MS, createSubgraphMetrics } from './metrics';
export type { CommandScope, SubgraphMetrics } from './metrics';

export {
  IDENTITY_HEADER,
  IDENTITY_SIGNATURE_HEADER,
  MAX_IDENTITY_LIFETIME_MS,
  ROLES,
  bodyDigest,
  hasRole,
  requireRole,
  signIdentity,
  verifyIdentity,
} from './identity';
export type {
  HeaderSource,
  Identity,
  RequestBinding,
  Role,
  SignIdentityOptions,
  SignedClaims,
  VerifyIdentityOptions,
} from './identity';

export {
  ConflictError,
  DomainError,
  ERROR_KINDS,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  UnauthenticatedError,
  UnreachableCaseError,
  isDomainError,
  CONTENT_LANGUAGE,
  DEFAULT_LANGUAGE,
  GENERIC_MESSAGES,
  LANGUAGES,
  defineMessages,
  from,
  hasMessage,
  localizeError,
  translate,
} from './errors';
export type {
  ErrorKind,
  FieldProblem,
  Language,
  LocalizedError,
  MessageCatalogue,
  MessageEntry,
  MessageFacts,
  Translation,
} from './errors';

export {
  ACCEPT_LANGUAGE_HEADER,
  CONTENT_LANGUAGE_HEADER,
  contentLanguage,
  negotiateLanguage,
} from './language';

export { parseInput } from './parse-input';

export {
  DEFAULT_COMMAND_ATTEMPTS,
  authorizedBeforeLoad,
  isVersionConflict,
  orInvalidReference,
  orNotFound,
  runCommand,
} from './command';
export type { CommandOptions, CommandSteps } from './command';

export {
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
  decodeCursor,
  decodeKeysetCursor,
  connectionById,
  emptyConnection,
  encodeCursor,
  encodeKeysetCursor,
  pageArgs,
} from './cursor';
export type { PageConnection } from './cursor';
export { CentavosScalar } from './scalars';

export {
  INTERNAL_ERROR_CODE,
  INTERNAL_ERROR_MESSAGES,
  createFormatError,
  domainExtensions,
} from './format-error';
export type { FormatErrorOptions, RequestScope } from './format-error';

export {
  DEFAULT_SUBGRAPH_LIMITS,
  createSubgraphServer,
  defaultOperatorPort,
} from './server';
export type {
  RequestContextArgs,
  SubgraphServer,
  SubgraphServerOptions,
} from './server';

export { ReadinessProblem, runReadinessChecks } from './readiness';
export type {
  ReadinessCheck,
  ReadinessChecks,
  ReadinessReport,
  ReadinessStatus,
  WeightedReadinessCheck,
} from './readiness';

export { onShutdown } from './shutdown';
export type { ShutdownOptions, ShutdownStep } from './shutdown';

export { createEntityLoader } from './entity-loader';
export type { EntityLoaderOptions } from './entity-loader';

export { CHANGE_STAMP, changeStamp, createMirror } from './mirror';
export type { Mirror, MirrorOptions } from './mirror';

export {
  DEFAULT_IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_COLLECTION,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
  callerOf,
  createIdempotencyStore,
  expiredKeys,
  fingerprintOf,
  idempotencyPlugin,
} from './idempotency';
export type {
  IdempotencyClaim,
  IdempotencyEntry,
  IdempotencyStore,
  IdempotencyStoreOptions,
  StoredResponse,
} from './idempotency';

export { createSubgraphService, runSubgraph } from './subgraph-service';
export type {
  OpenDataSlice,
  SubgraphService,
  SubgraphServiceDeps,
  SubgraphServiceOptions,
  SubgraphServiceParts,
} from './subgraph-service';

export {
  OPEN_DATA_MAX_AGE_SECONDS,
  OPEN_DATA_PATH,
  OPEN_DATA_POLL_MS,
  createOpenDataExport,
  createOpenDataTrigger,
  noneMatch,
  openDataRouter,
} from './open-data';
export type { OpenDataExport, OpenDataFile } from './open-data';
export type { GeneratedFile } from './open-data-format';

export {
  ATTR_GRAPHQL_OPERATION_NAME,
  TRACER_NAME,
  contextFromHeaders,
  endServerSpan,
  idsOnlyTracer,
  noteGraphQLOperation,
  samplerFromEnv,
  startServerSpan,
  startTracing,
  traceHeaders,
  tracer,
} from './tracing';
export type {
  IncomingRequest,
  ServerSpan,
  Tracing,
  TracingOptions,
} from './tracing';
