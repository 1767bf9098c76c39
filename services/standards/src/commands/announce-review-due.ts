import { runCommand } from '@conecta/service-kit';
import {
  markReviewDueAnnounced,
  reviewDueToAnnounce,
} from '../domain/periodic-review';
import type { CompetencyStandard } from '../domain/standard';
import type { Context } from '../context';
import { saveChange, type StandardChange } from './load';

/**
 * Announces that a PUBLISHED standard's periodic review fell due: the mark
 * and its `StandardReviewDue` event in one conditional update. Read fresh,
 * so a standard another instance announced (or that changed and is no
 * longer due) is left alone: one event per due date.
 *
 * @returns whether this call announced it
 */
export async function announceReviewDueCommand(
  deps: Pick<Context, 'stores' | 'events'>,
  standardId: string,
  now: Date,
): Promise<boolean> {
  const announced = await runCommand(standardId, {
    load: async (id) => (await deps.stores.standards.findByIds([id]))[0],
    // No caller: the service's own periodic check (events/review-due.ts).
    authorize: () => undefined,
    decide: (standard): StandardChange | null =>
      standard && reviewDueToAnnounce(standard, now)
        ? {
            next: markReviewDueAnnounced(standard),
            events: [deps.events.reviewDue(standard, now)],
          }
        : null,
    save: (standard, change): Promise<CompetencyStandard | null> =>
      standard && change
        ? saveChange(deps, standard, change)
        : Promise.resolve(null),
  });
  return announced !== null;
}
