/**
 * @conecta/events — the public API. Add exports here with intention: everything
 * exported is a contract with every service.
 */

// Envelope and contracts: what an event is.
export { SERVICE_NAMES, eventEnvelopeSchema } from './envelope';
export type { EventEnvelope, EventTraceContext, ServiceName } from './envelope';
export { defineEvent, newEvent } from './contract';
export type { EventContract, EventOf, NewEventInput } from './contract';
export { createEventBuilders, eventRow } from './builders';
export type {
  EventBuilderArgs,
  EventBuilders,
  EventCause,
  EventRow,
  EventTable,
} from './builders';
export { InvalidEventError } from './errors';
export {
  allContracts,
  allUpcasters,
  createEventRegistry,
  defineUpcaster,
  eventRegistry,
  parseEvent,
} from './registry';
export type {
  EventRegistry,
  EventRegistryOptions,
  EventUnion,
  EventUpcaster,
  KnownContract,
  KnownEvent,
} from './registry';
export * from './contracts';

// Topics and the Kafka connection.
export { consumerWiring, dlqTopicFor, topicFor } from './topics';
export type { ConsumerWiring } from './topics';
export { createServiceConsumer, dispatcher } from './service-consumer';
export type {
  ServiceConsumerOptions,
  ServiceConsumerSpec,
} from './service-consumer';
export {
  STANDARD_STATUS_BY_EVENT,
  standardStatusChange,
  standardStatusHandlers,
} from './standard-status';
export type {
  ProjectedStandardStatus,
  StandardStatusChange,
  StandardStatusEvent,
} from './standard-status';
export {
  createKafka,
  createTopicStartsReader,
  ensureTopics,
  pingKafka,
  rewindGroup,
  TOPIC_RETENTION,
  topicOffsets,
} from './kafka';
export type {
  EnsureTopicsOptions,
  KafkaClient,
  KafkaOptions,
  PartitionStart,
  TopicStartsReader,
} from './kafka';

// Publishing: transactional outbox inside the aggregate document + relay.
export {
  OUTBOX_FIELD,
  OUTBOX_LEASE_FIELD,
  OUTBOX_PENDING_FIELD,
  createOutboxWriter,
  insertManyNew,
  insertWithOutbox,
  isDuplicateKeyError,
  newDocWithOutbox,
  withOutbox,
} from './outbox';
export type { OutboxFields, OutboxWriter } from './outbox';
export { createOutboxRelay } from './relay';
export type {
  OutboxRelay,
  OutboxRelayOptions,
  OutboxRelayStats,
} from './relay';

// Watching where each service's data changed (the gateway's response cache).
export { watchDataChanges } from './changes';
export type { DataChangeWatcher, DataChangeWatcherOptions } from './changes';

// Consuming: validation, failure classification, retries, DLQ, idempotent effects.
export { createEventConsumer } from './consumer';
export type {
  ConsumerOutageOptions,
  ConsumerRetryOptions,
  EventConsumer,
  EventConsumerOptions,
  EventBatchContext,
  EventBatchOptions,
  EventConsumerStats,
  EventHandlers,
  InfrastructureWait,
  PartitionLag,
} from './consumer';
export {
  InfrastructureError,
  classifyFailure,
  isInfrastructureError,
} from './failures';
export type { FailureKind } from './failures';

// The dead-letter topics: what is in them, and sending it back.
export {
  DLQ_HEADERS,
  DlqUsageError,
  listDlq,
  listDlqTopics,
  redriveDlq,
  redriveGroupFor,
  showDlqEntry,
} from './dlq';
export type {
  DlqBacklog,
  DlqEntry,
  DlqListing,
  DlqOperationOptions,
  DlqPartitionState,
  RedriveResult,
  RedriveSelection,
} from './dlq';
export { APPLIED_EVENT_IDS_FIELD, applyOnce } from './idempotency';
export type { ApplyOnceOptions } from './idempotency';
export type { Readiness } from './readiness';

// Tracing: the trace context an event is written in, carried across Kafka.
export {
  ATTR_EVENT_TYPE,
  ATTR_MESSAGING_CONSUMER_GROUP,
  ATTR_MESSAGING_DESTINATION_NAME,
  ATTR_MESSAGING_MESSAGE_ID,
  EVENTS_TRACER_NAME,
  TRACE_HEADERS,
  contextFromMessageHeaders,
  traceContextFrom,
  traceHeadersOf,
  withTraceContext,
} from './tracing';
