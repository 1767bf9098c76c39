import type { EventHandlers } from './consumer';
import type { KnownEvent } from './registry';

// Three services keep a projection of standards (certification, committees,
// training): each learns a standard's status from the same three events of
// its public lifecycle. Which event means which status, and when it changed,
// is said once here; what each projection stores stays the service's.

/** The status each public lifecycle event of a standard gives it. */
export const STANDARD_STATUS_BY_EVENT = {
  'standards.StandardPublished': 'PUBLISHED',
  'standards.StandardWithdrawn': 'WITHDRAWN',
  'standards.StandardSuperseded': 'SUPERSEDED',
} as const;

/** A standard's status as other services project it. */
export type ProjectedStandardStatus =
  (typeof STANDARD_STATUS_BY_EVENT)[keyof typeof STANDARD_STATUS_BY_EVENT];

/** One of the three events that change a standard's projected status. */
export type StandardStatusEvent = Extract<
  KnownEvent,
  { type: keyof typeof STANDARD_STATUS_BY_EVENT }
>;

type EventOfType<T extends StandardStatusEvent['type']> = Extract<
  StandardStatusEvent,
  { type: T }
>;

/**
 * What a standard status event says: the event, the status it gives the
 * standard and when the standard took it (the fact's own `publishedAt`,
 * `withdrawnAt` or `supersededAt`). Discriminated by `status`, so a
 * projection that keeps more of a publication narrows `event` with it.
 */
export type StandardStatusChange =
  | {
      status: 'PUBLISHED';
      event: EventOfType<'standards.StandardPublished'>;
      changedAt: string;
    }
  | {
      status: 'WITHDRAWN';
      event: EventOfType<'standards.StandardWithdrawn'>;
      changedAt: string;
    }
  | {
      status: 'SUPERSEDED';
      event: EventOfType<'standards.StandardSuperseded'>;
      changedAt: string;
    };

/** The status `event` gives its standard, and since when. */
export function standardStatusChange(
  event: StandardStatusEvent,
): StandardStatusChange {
  switch (event.type) {
    case 'standards.StandardPublished':
      return {
        status: 'PUBLISHED',
        event,
        changedAt: event.data.publishedAt,
      };
    case 'standards.StandardWithdrawn':
      return {
        status: 'WITHDRAWN',
        event,
        changedAt: event.data.withdrawnAt,
      };
    case 'standards.StandardSuperseded':
      return {
        status: 'SUPERSEDED',
        event,
        changedAt: event.data.supersededAt,
      };
  }
}

/**
 * The handlers of a standard's three status events, all with one effect:
 * `apply(change)` (a projection's idempotent write, keyed by
 * `change.event.id`). Spread them into a consumer's handlers beside its
 * others.
 */
export function standardStatusHandlers(
  apply: (change: StandardStatusChange) => Promise<unknown>,
): EventHandlers<KnownEvent> {
  const handle = async (event: StandardStatusEvent): Promise<void> => {
    await apply(standardStatusChange(event));
  };
  return {
    'standards.StandardPublished': handle,
    'standards.StandardWithdrawn': handle,
    'standards.StandardSuperseded': handle,
  };
}
