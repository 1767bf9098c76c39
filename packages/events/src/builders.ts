import type { z } from 'zod';
import { newEvent } from './contract';
import type { EventContract, EventOf } from './contract';

/**
 * What a built event takes from what caused it (a request, a reconciler
 * pass): the LAST argument of every builder of an event table.
 */
export interface EventCause {
  /** Ties the event to the request that caused it (the envelope's `traceId`). */
  readonly traceId?: string;
}

/** A builder's arguments: the facts an event is built from, then its cause. */
export type EventBuilderArgs = readonly [...unknown[], EventCause];

/**
 * One row of an event table: how a builder's arguments become one event of
 * `contract`. Each function gets the builder's arguments, the cause last.
 * (Methods, not function-valued properties, so that a table of rows with
 * different arguments is one `EventTable`.)
 */
export interface EventRow<
  C extends EventContract,
  A extends EventBuilderArgs = EventBuilderArgs,
> {
  readonly contract: C;
  /** The event's `data`, typed by the contract's schema and validated by it when built. */
  data(...args: A): z.input<C['data']>;
  /** The aggregate id, the Kafka key; default `data.id` (every contract keyed by its aggregate has one). */
  subject?(...args: A): string;
  /** When the fact happened; default: when the event is built (`newEvent`'s default). */
  occurredAt?(...args: A): Date | string;
}

/** Rows by builder name. */
export type EventTable = Readonly<Record<string, EventRow<EventContract>>>;

/** The builders of a table: one per row, same name, its arguments, the contract's envelope. */
export type EventBuilders<T extends EventTable> = {
  readonly [K in keyof T]: T[K] extends EventRow<infer C, infer A>
    ? (...args: A) => EventOf<C>
    : never;
};

/**
 * A row of an event table, its arguments inferred from `data`'s parameters
 * (annotate them there; `subject` and `occurredAt` are typed from them).
 *
 * ```ts
 * demandReleased: eventRow(DemandReleasedV1, {
 *   data: (d: DemandRequest, projectId: string, m: EventMeta) => ({
 *     id: d.id, projectId, releasedAt: m.now.toISOString(),
 *   }),
 * }),
 * ```
 */
export function eventRow<C extends EventContract, A extends EventBuilderArgs>(
  contract: C,
  row: Omit<EventRow<C, A>, 'contract'>,
): EventRow<C, A> {
  return { ...row, contract };
}

/**
 * The builders of an event table: `builders.name(...args)` builds the row's
 * event with `newEvent` — a new id, the contract's type, version and source,
 * `subject` (default `data.id`), `occurredAt` (default now), the cause's
 * `traceId`, and `data` validated by the contract (an invalid event throws
 * `InvalidEventError` before anything is written).
 *
 * @throws Error when a row has no `subject` and its data no string `id` (a programming error)
 */
export function createEventBuilders<T extends EventTable>(
  table: T,
): EventBuilders<T> {
  const builders = Object.entries(table).map(([name, row]) => {
    const build = (...args: EventBuilderArgs) => {
      const cause = args[args.length - 1] as EventCause;
      const data = row.data(...args);
      const subject = row.subject ? row.subject(...args) : idOf(data);
      if (subject === undefined)
        throw new Error(
          `Event builder ${name} (${row.contract.type}): no subject, and its data has no id`,
        );
      return newEvent(row.contract, {
        subject,
        data,
        traceId: cause.traceId,
        ...(row.occurredAt && { occurredAt: row.occurredAt(...args) }),
      });
    };
    return [name, build] as const;
  });
  return Object.freeze(Object.fromEntries(builders)) as EventBuilders<T>;
}

const idOf = (data: unknown): string | undefined =>
  typeof data === 'object' &&
  data !== null &&
  'id' in data &&
  typeof data.id === 'string'
    ? data.id
    : undefined;
