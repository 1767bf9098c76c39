import type { ServiceConsumerSpec } from '@conecta/events';
import type { Logger } from '@conecta/service-kit';
import { supersedePreviousCommand } from '../commands/supersede-previous';
import type { Stores } from '../store';
import type { StandardsEvents } from './index';

type Deps = { stores: Stores; events: StandardsEvents };

/**
 * Reads standards' own topic, as group `<prefix>standards-supersession`, and
 * finishes every supersession a StandardPublished names (`supersedes`) that
 * the publish request could not, through the same command
 * (`commands/supersede-previous.ts`). Failures are retried with backoff, then go
 * to `conecta.standards.dlq`.
 */
export function supersessionFollowUp(
  deps: Deps,
  logger: Logger,
): ServiceConsumerSpec {
  return {
    purpose: 'supersession',
    sources: ['standards'],
    handlers: {
      'standards.StandardPublished': async (event) => {
        if (!event.data.supersedes) return;
        const superseded = await supersedePreviousCommand(
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
  };
}
