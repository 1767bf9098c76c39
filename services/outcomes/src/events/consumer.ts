import {
  createServiceConsumer,
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
 * (fewer writes per event): on the bench's history, batches of 1 000 wrote
 * 0.77 buckets per event, of 2 000 0.60, of 5 000 0.40. kafkajs fetches at
 * most 1 MB per partition (its default `maxBytesPerPartition`, ~1 900 of these
 * events), so 2 000 takes a whole fetch as one batch; larger batches need a
 * larger fetch (README, Throughput). 2 000 events touch at most ~4 000
 * buckets: a journal entry of ~1 MB (MongoDB allows 16 MB) and a few seconds
 * of writes at most, well within the group's session timeout.
 */
export const BATCH_EVENTS = 2_000;

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
  return createServiceConsumer({
    kafka,
    service: 'outcomes',
    sources: SOURCES,
    topicPrefix,
    groupId,
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
