import { certificationContracts } from './contracts/certification';
import { committeesContracts } from './contracts/committees';
import { outcomesContracts } from './contracts/outcomes';
import { standardsContracts } from './contracts/standards';
import { trainingContracts } from './contracts/training';
import type { EventContract, EventOf } from './contract';
import { eventEnvelopeSchema } from './envelope';
import type { EventEnvelope } from './envelope';
import { InvalidEventError, describeIssues } from './errors';

/** The envelope union of a set of contracts (distributes over the union). */
export type EventUnion<C extends EventContract> = C extends EventContract
  ? EventOf<C>
  : never;

/** Looks contracts up by type + version and validates events against them. */
export interface EventRegistry<C extends EventContract = EventContract> {
  readonly contracts: readonly C[];
  /** The contract of `type` at `version`, if known. */
  find(type: string, version: number): C | undefined;
  /** Every version known for `type`, ascending. */
  versionsOf(type: string): number[];
  /**
   * Validates an envelope and its data against the contract of its type and
   * version. Accepts a parsed object, a JSON string or a Buffer (a Kafka value).
   *
   * @throws InvalidEventError (code `INVALID_EVENT` or `UNKNOWN_EVENT`).
   */
  parse(raw: unknown): EventUnion<C>;
}

const keyOf = (type: string, version: number): string => `${type}@v${version}`;

/**
 * Builds a registry. Duplicate type + version pairs are refused: two schemas
 * for one version would make validation depend on load order.
 */
export function createEventRegistry<C extends EventContract>(
  contracts: readonly C[],
): EventRegistry<C> {
  const byKey = new Map<string, C>();
  for (const contract of contracts) {
    const key = keyOf(contract.type, contract.version);
    if (byKey.has(key)) throw new Error(`Duplicate event contract ${key}`);
    byKey.set(key, contract);
  }
  return {
    contracts,
    find: (type, version) => byKey.get(keyOf(type, version)),
    versionsOf: (type) =>
      contracts
        .filter((c) => c.type === type)
        .map((c) => c.version)
        .sort((a, b) => a - b),
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
      const { type, version } = envelope.data;
      const contract = byKey.get(keyOf(type, version));
      if (!contract) {
        throw new InvalidEventError(
          `Unknown event ${type} v${version}: no contract for this type and version`,
          { code: 'UNKNOWN_EVENT', fields: ['type', 'version'] },
        );
      }
      const data = contract.data.safeParse(envelope.data.data);
      if (!data.success) {
        const { fields, text } = describeIssues(data.error.issues, 'data');
        throw new InvalidEventError(
          `Invalid event ${type} v${version}: ${text}`,
          { fields, cause: data.error },
        );
      }
      const event: EventEnvelope = { ...envelope.data, data: data.data };
      if (event.traceId === undefined) delete event.traceId;
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

/** A contract from {@link allContracts}. */
export type KnownContract = (typeof allContracts)[number];

/** Any event this package knows, as a union discriminated by `type`. */
export type KnownEvent = EventUnion<KnownContract>;

/** The registry of all contracts; the default for `parseEvent` and consumers. */
export const eventRegistry: EventRegistry<KnownContract> =
  createEventRegistry<KnownContract>(allContracts);

/**
 * Validates a received event (envelope + data) against {@link eventRegistry}.
 *
 * @throws InvalidEventError when malformed, invalid, or of an unknown type/version.
 */
export function parseEvent(raw: unknown): KnownEvent {
  return eventRegistry.parse(raw);
}
