/**
 * @conecta/events — the public API. Add exports here with intention: everything
 * exported is a contract with every service.
 */

// Envelope and contracts: what an event is.
export { SERVICE_NAMES, eventEnvelopeSchema } from './envelope';
export type { EventEnvelope, ServiceName } from './envelope';
export { defineEvent, newEvent } from './contract';
export type { EventContract, EventOf, NewEventInput } from './contract';
export { InvalidEventError } from './errors';
export {
  allContracts,
  createEventRegistry,
  eventRegistry,
  parseEvent,
} from './registry';
export type {
  EventRegistry,
  EventUnion,
  KnownContract,
  KnownEvent,
} from './registry';
export * from './contracts';

// Topics and the Kafka connection.
export { dlqTopicFor, topicFor } from './topics';
export { createKafka, ensureTopics, pingKafka, TOPIC_RETENTION } from './kafka';
export type { EnsureTopicsOptions, KafkaClient, KafkaOptions } from './kafka';

// Publishing: transactional outbox inside the aggregate document + relay.
export {
  OUTBOX_FIELD,
  OUTBOX_LEASE_FIELD,
  OUTBOX_PENDING_FIELD,
  createOutboxWriter,
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

// Consuming: validation, retries, DLQ, idempotent effects.
export { DLQ_HEADERS, createEventConsumer } from './consumer';
export type {
  ConsumerRetryOptions,
  EventConsumer,
  EventConsumerOptions,
  EventBatchContext,
  EventBatchOptions,
  EventConsumerStats,
  EventHandlers,
  PartitionLag,
} from './consumer';
export { APPLIED_EVENT_IDS_FIELD, applyOnce } from './idempotency';
export type { ApplyOnceOptions } from './idempotency';
export type { Readiness } from './readiness';
