import {
  createEventConsumer,
  dlqTopicFor,
  topicFor,
  type EventConsumer,
  type KafkaClient,
} from '@conecta/events';
import type { Logger } from '@conecta/service-kit';
import { supersedeStandard } from '../domain/standard';
import type { CompetencyStandard } from '../domain/standard';
import type { Stores } from '../store';
import type { StandardsEvents } from './index';

type Deps = { stores: Stores; events: StandardsEvents };

/**
 * Publishing a revision supersedes the version it revises. The two versions
 * are two documents and FerretDB has no transactions, so this is a second
 * write after the publication. The publish request makes it at once; if that
 * fails or the process dies in between, the revision's own StandardPublished
 * event (written with the publication, so never lost) makes it again through
 * {@link createSupersessionFollowUp}. Idempotent: a version no longer
 * PUBLISHED is left alone.
 *
 * @returns the superseded version, or null if there was nothing to supersede
 */
export async function supersedePrevious(
  { stores, events }: Deps,
  revision: Pick<CompetencyStandard, 'id' | 'revisionOf'>,
  meta: { traceId?: string },
): Promise<CompetencyStandard | null> {
  if (!revision.revisionOf) return null;
  const [previous] = await stores.standards.findByIds([revision.revisionOf]);
  if (!previous || previous.status !== 'PUBLISHED') return null;
  const superseded = supersedeStandard(previous, revision.id, new Date());
  await stores.standards.save(previous, superseded, [
    events.superseded(superseded, meta),
  ]);
  return superseded;
}

/**
 * Reads standards' own topic, as group `<prefix>standards-supersession`, and
 * finishes every supersession a StandardPublished names (`supersedes`) that
 * the publish request could not. Failures are retried with backoff, then go
 * to `conecta.standards.dlq`.
 */
export function createSupersessionFollowUp({
  kafka,
  topicPrefix,
  logger,
  deps,
}: {
  kafka: KafkaClient;
  topicPrefix: string;
  logger: Logger;
  deps: Deps;
}): EventConsumer {
  return createEventConsumer({
    kafka,
    groupId: `${topicPrefix}standards-supersession`,
    topics: [topicFor('standards', topicPrefix)],
    dlqTopic: dlqTopicFor('standards', topicPrefix),
    logger,
    handlers: {
      'standards.StandardPublished': async (event) => {
        if (!event.data.supersedes) return;
        const superseded = await supersedePrevious(
          deps,
          { id: event.data.id, revisionOf: event.data.supersedes },
          { traceId: event.traceId },
        );
        if (superseded)
          logger.warn(
            { standardId: superseded.id, supersededBy: event.data.id },
            'superseded a version left PUBLISHED by an interrupted publication',
          );
      },
    },
  });
}
