import { certificationContracts } from './contracts/certification';
import { committeesContracts } from './contracts/committees';
import { outcomesContracts } from './contracts/outcomes';
import { standardsContracts } from './contracts/standards';
import { trainingContracts } from './contracts/training';
import type { z } from 'zod';
import type { EventContract, EventOf } from './contract';
import { eventEnvelopeSchema } from './envelope';
import type { EventEnvelope } from './envelope';
import { InvalidEventError, describeIssues } from './errors';

/** The envelope union of a set of contracts (distributes over the union). */
export type EventUnion<C extends EventContract> = C extends EventContract
  ? EventOf<C>
  : never;

/**
 * Turns the `data` of an older version of an event type into the `data` of a
 * newer one, so handlers see only the newer shape. Declared next to the newer
 * contract with {@link defineUpcaster} and handed to the registry.
 */
export interface EventUpcaster {
  readonly type: string;
  readonly from: number;
  readonly to: number;
  /** Receives `data` valid against version `from` (when the registry knows it); the result is validated against `to`. */
  upcast(data: unknown): unknown;
}

/**
 * Declares how data of contract `from` becomes data of the newer contract
 * `to` of the same type (e.g. a renamed field, a default for a new required one).
 *
 * @throws Error when the types differ or `to` is not newer than `from`.
 */
export function defineUpcaster<
  From extends EventContract,
  To extends EventContract,
>(
  from: From,
  to: To,
  upcast: (data: z.output<From['data']>) => z.input<To['data']>,
): EventUpcaster {
  if (from.type !== to.type || to.version <= from.version) {
    throw new Error(
      `An upcaster goes from an older to a newer version of one type, not ${from.type} v${from.version} → ${to.type} v${to.version}`,
    );
  }
  return Object.freeze({
    type: from.type,
    from: from.version,
    to: to.version,
    upcast: upcast as (data: unknown) => unknown,
  });
}

/** Options of {@link createEventRegistry}. */
export interface EventRegistryOptions {
  /** Upcasters from older to newer versions; each `to` must be a contract of the registry. */
  upcasters?: readonly EventUpcaster[];
}

/** Looks contracts up by type + version and validates events against them. */
export interface EventRegistry<C extends EventContract = EventContract> {
  readonly contracts: readonly C[];
  readonly upcasters: readonly EventUpcaster[];
  /** The contract of `type` at `version`, if known. */
  find(type: string, version: number): C | undefined;
  /** Every version known for `type`, ascending. */
  versionsOf(type: string): number[];
  /**
   * Validates an envelope and its data, and returns the event in the newest
   * shape this registry can give it. Accepts a parsed object, a JSON string
   * or a Buffer (a Kafka value).
   *
   * - A known version is validated against its contract.
   * - A version newer than any known (a producer deployed before this
   *   consumer) is read as the newest known version below it: that
   *   contract's fields are validated, unknown fields are dropped, and the
   *   event is delivered with that `version`.
   * - An older version is then upcast, step by step, along the declared
   *   upcasters; each step's result is validated against its target contract.
   *   An unknown version that an upcaster starts from is upcast without a
   *   schema of its own.
   *
   * @throws InvalidEventError (code `INVALID_EVENT` or `UNKNOWN_EVENT`: an
   *   unknown type, or a version below every known one with no upcaster).
   */
  parse(raw: unknown): EventUnion<C>;
}

const keyOf = (type: string, version: number): string => `${type}@v${version}`;

/**
 * Builds a registry. Duplicate type + version pairs are refused: two schemas
 * for one version would make validation depend on load order. So are two
 * upcasters from one version, and an upcaster to a version it does not know.
 */
export function createEventRegistry<C extends EventContract>(
  contracts: readonly C[],
  options: EventRegistryOptions = {},
): EventRegistry<C> {
  const byKey = new Map<string, C>();
  const versions = new Map<string, number[]>();
  for (const contract of contracts) {
    const key = keyOf(contract.type, contract.version);
    if (byKey.has(key)) throw new Error(`Duplicate event contract ${key}`);
    byKey.set(key, contract);
    versions.set(contract.type, [
      ...(versions.get(contract.type) ?? []),
      contract.version,
    ]);
  }
  for (const list of versions.values()) list.sort((a, b) => a - b);
  const upcasters = options.upcasters ?? [];
  const upcasterFrom = new Map<string, EventUpcaster>();
  for (const upcaster of upcasters) {
    const key = keyOf(upcaster.type, upcaster.from);
    if (upcasterFrom.has(key)) throw new Error(`Two upcasters from ${key}`);
    if (!byKey.has(keyOf(upcaster.type, upcaster.to)))
      throw new Error(
        `Upcaster ${key} → v${upcaster.to}: the registry has no contract ${keyOf(upcaster.type, upcaster.to)}`,
      );
    upcasterFrom.set(key, upcaster);
  }

  function validate(
    contract: EventContract,
    data: unknown,
    label: string,
  ): unknown {
    const parsed = contract.data.safeParse(data);
    if (!parsed.success) {
      const { fields, text } = describeIssues(parsed.error.issues, 'data');
      throw new InvalidEventError(`Invalid event ${label}: ${text}`, {
        fields,
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  return {
    contracts,
    upcasters,
    find: (type, version) => byKey.get(keyOf(type, version)),
    versionsOf: (type) => [...(versions.get(type) ?? [])],
    parse(raw) {
      const value = decode(raw);
      const envelope = eventEnvelopeSchema.safeParse(value);
      if (!envelope.success) {
        const { fields, text } = describeIssues(envelope.error.issues, '');
        throw new InvalidEventError(`Invalid event envelope: ${text}`, {
          fields,
          cause: envelope.error,
        });
      }
      const { type, version: received } = envelope.data;
      const known = versions.get(type) ?? [];
      let version = received;
      let data: unknown = envelope.data.data;
      const exact = byKey.get(keyOf(type, received));
      if (exact) {
        data = validate(exact, data, `${type} v${received}`);
      } else if (!upcasterFrom.has(keyOf(type, received))) {
        // Newer than this consumer knows: read it as the newest version below.
        const older = known.filter((v) => v < received).pop();
        if (older === undefined) {
          throw new InvalidEventError(
            `Unknown event ${type} v${received}: no contract for this type and version`,
            {
              code: 'UNKNOWN_EVENT',
              fields: ['type', 'version'],
              eventType: type,
            },
          );
        }
        version = older;
        data = validate(
          byKey.get(keyOf(type, older))!,
          data,
          `${type} v${received} (read as v${older})`,
        );
      }
      for (
        let step = upcasterFrom.get(keyOf(type, version));
        step;
        step = upcasterFrom.get(keyOf(type, version))
      ) {
        let upcast: unknown;
        try {
          upcast = step.upcast(data);
        } catch (error) {
          throw new InvalidEventError(
            `Invalid event ${type} v${version}: upcasting to v${step.to} failed: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
        }
        data = validate(
          byKey.get(keyOf(type, step.to))!,
          upcast,
          `${type} v${version} upcast to v${step.to}`,
        );
        version = step.to;
      }
      const event: EventEnvelope = { ...envelope.data, version, data };
      if (event.traceId === undefined) delete event.traceId;
      if (event.traceContext === undefined) delete event.traceContext;
      return event as EventUnion<C>;
    },
  };
}

function decode(raw: unknown): unknown {
  if (raw === null || raw === undefined) {
    throw new InvalidEventError('Invalid event: empty message');
  }
  if (typeof raw !== 'string' && !(raw instanceof Uint8Array)) return raw;
  const text =
    typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidEventError('Invalid event: not JSON', { cause: error });
  }
}

/** Every contract of every service, every version. Add new services here. */
export const allContracts = [
  ...committeesContracts,
  ...standardsContracts,
  ...certificationContracts,
  ...trainingContracts,
  ...outcomesContracts,
] as const;

/**
 * Every upcaster of every service: when a contract gets a new version, the
 * upcaster from the previous one goes here, so consumers that know the new
 * version read old events (replays of the whole history) in the new shape.
 */
export const allUpcasters: readonly EventUpcaster[] = [];

/** A contract from {@link allContracts}. */
export type KnownContract = (typeof allContracts)[number];

/** Any event this package knows, as a union discriminated by `type`. */
export type KnownEvent = EventUnion<KnownContract>;

/** The registry of all contracts; the default for `parseEvent` and consumers. */
export const eventRegistry: EventRegistry<KnownContract> =
  createEventRegistry<KnownContract>(allContracts, {
    upcasters: allUpcasters,
  });

/**
 * Validates a received event (envelope + data) against {@link eventRegistry}.
 *
 * @throws InvalidEventError when malformed, invalid, or of an unknown type/version.
 */
export function parseEvent(raw: unknown): KnownEvent {
  return eventRegistry.parse(raw);
}
