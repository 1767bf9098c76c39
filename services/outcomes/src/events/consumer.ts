import {
  createEventConsumer,
  dlqTopicFor,
  topicFor,
  type EventConsumer,
  type KafkaClient,
  type ServiceName,
} from '@conecta/events';
import type { Logger } from '@conecta/service-kit';
import type { ReadModels } from '../store';
import { createBatchApplier, sourceKey } from './apply';
import { CONSUMED_TYPES } from './plan';

/** Every producing service whose topic outcomes reads (its own too: placements). */
export const SOURCES: readonly ServiceName[] = [
  'committees',
  'standards',
  'certification',
  'training',
  'outcomes',
];

/**
 * Largest batch applied at once. Bigger batches share more bucket documents
 * (fewer writes per event); 1 000 events touch at most ~2 000 buckets (their
 * MONTH bucket of 1–2 metrics), a journal entry of well under 1 MB (far below
 * MongoDB's 16 MB) and under a second of writes on FerretDB. Measured with
 * `npm run bench` when every granularity was written: 500 → ~440,
 * 1 000 → ~370–560 events/s on the shared machine (noisy); kafkajs fetches
 * ≤ 1 MB per partition (~2 000 events).
 */
export const BATCH_EVENTS = 1_000;

/**
 * Reads every service's topic into one generation's read models as group
 * `<prefix>outcomes` (or `groupId`, for a rebuild), in batches (one
 * partition's events at a time, summed in memory and written once per
 * document), failing events to `conecta.outcomes.dlq`.
 */
export function createOutcomesConsumer({
  kafka,
  topicPrefix,
  logger,
  models,
  groupId = `${topicPrefix}outcomes`,
  maxEvents = BATCH_EVENTS,
}: {
  kafka: KafkaClient;
  topicPrefix: string;
  logger: Logger;
  models: ReadModels;
  groupId?: string;
  maxEvents?: number;
}): EventConsumer {
  const applier = createBatchApplier(models);
  return createEventConsumer({
    kafka,
    groupId,
    topics: SOURCES.map((service) => topicFor(service, topicPrefix)),
    dlqTopic: dlqTopicFor('outcomes', topicPrefix),
    logger,
    batch: {
      types: CONSUMED_TYPES,
      maxEvents,
      handle: async (events, { topic, partition }) => {
        await applier.apply(events, sourceKey(topic, partition));
      },
    },
  });
}
