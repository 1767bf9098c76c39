import { v7 as uuidv7 } from 'uuid';
import type { z } from 'zod';
import { EVENT_TYPE_PATTERN, eventEnvelopeSchema } from './envelope';
import type { EventEnvelope, ServiceName } from './envelope';
import { InvalidEventError, describeIssues } from './errors';

/**
 * The contract of one event type at one version: the schema its `data` must
 * satisfy. A new version is a new contract; the old one stays for consumers.
 */
export interface EventContract<
  TType extends string = string,
  TVersion extends number = number,
  TSchema extends z.ZodType = z.ZodType,
> {
  readonly type: TType;
  readonly version: TVersion;
  /** Schema of `data`. */
  readonly data: TSchema;
  /** What fact this event records, for humans and generated docs. */
  readonly description: string;
  /** The service that owns the type (its prefix) and publishes it. */
  readonly service: ServiceName;
}

/** The envelope type a contract produces, with `type`/`version` narrowed. */
export type EventOf<C extends EventContract> = EventEnvelope<
  z.output<C['data']>
> & { type: C['type']; version: C['version'] };

/**
 * Declares an event contract.
 *
 * @param definition.type `"<service>.<PastTenseFact>"`; the prefix names the owning service.
 * @param definition.version integer ≥ 1.
 * @throws Error when the type or version is malformed (a programming error).
 */
export function defineEvent<
  TType extends string,
  TVersion extends number,
  TSchema extends z.ZodType,
>(definition: {
  type: TType;
  version: TVersion;
  data: TSchema;
  description: string;
}): EventContract<TType, TVersion, TSchema> {
  const match = EVENT_TYPE_PATTERN.exec(definition.type);
  if (!match) {
    throw new Error(
      `Event type "${definition.type}" must look like "<service>.<PastTenseFact>"`,
    );
  }
  if (!Number.isInteger(definition.version) || definition.version < 1) {
    throw new Error(
      `Event ${definition.type} version must be an integer ≥ 1, got ${definition.version}`,
    );
  }
  return Object.freeze({ ...definition, service: match[1] as ServiceName });
}

/** Input of {@link newEvent}. */
export interface NewEventInput<TData> {
  /** Aggregate id: the Kafka key. */
  subject: string;
  data: TData;
  /** Defaults to the contract's owning service; a different one is refused. */
  source?: ServiceName;
  traceId?: string;
  /** Defaults to now. A string must be UTC ISO 8601 with `Z`. */
  occurredAt?: Date | string;
}

/**
 * Builds and validates an event for `contract`: new UUID v7 id, `occurredAt`
 * now (unless given), `data` parsed by the contract (unknown keys are dropped).
 *
 * @throws InvalidEventError naming every bad field (`data.taxId: ...`), so an
 *   invalid event is refused before the state change is written.
 */
export function newEvent<C extends EventContract>(
  contract: C,
  input: NewEventInput<z.input<C['data']>>,
): EventOf<C> {
  const label = `${contract.type} v${contract.version}`;
  if (input.source !== undefined && input.source !== contract.service) {
    throw new InvalidEventError(
      `Invalid event ${label}: source "${input.source}" does not own this contract (owner: ${contract.service})`,
      { fields: ['source'] },
    );
  }
  const data = contract.data.safeParse(input.data);
  if (!data.success) {
    const { fields, text } = describeIssues(data.error.issues, 'data');
    throw new InvalidEventError(`Invalid event ${label}: ${text}`, {
      fields,
      cause: data.error,
    });
  }
  const occurredAt =
    input.occurredAt instanceof Date
      ? input.occurredAt.toISOString()
      : (input.occurredAt ?? new Date().toISOString());
  const candidate = {
    id: uuidv7(),
    type: contract.type,
    version: contract.version,
    occurredAt,
    source: contract.service,
    subject: input.subject,
    data: data.data,
    ...(input.traceId !== undefined ? { traceId: input.traceId } : {}),
  };
  const envelope = eventEnvelopeSchema.safeParse(candidate);
  if (!envelope.success) {
    const { fields, text } = describeIssues(envelope.error.issues, '');
    throw new InvalidEventError(`Invalid event ${label}: ${text}`, {
      fields,
      cause: envelope.error,
    });
  }
  return candidate as EventOf<C>;
}
