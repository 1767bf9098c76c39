import { createHash, randomUUID } from 'node:crypto';
import { isDuplicateKeyError } from '@conecta/events';
import canonicalJson from 'safe-stable-stringify';
import { HeaderMap } from '@apollo/server';
import type {
  ApolloServerPlugin,
  BaseContext,
  GraphQLResponse,
} from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import type { Collection } from 'mongodb';
import type { Logger } from 'pino';
import {
  ConflictError,
  ERROR_KINDS,
  InvalidInputError,
  isVersionConflictReason,
  localizeError,
} from './errors';
import type { DomainError, Language } from './errors';
import { domainExtensions } from './format-error';
import { ACCEPT_LANGUAGE_HEADER, negotiateLanguage } from './language';
import type { Identity } from './identity';

/** The request header a client (through the gateway) names a mutation attempt with. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';

/** Response header set (`true`) when the answer is a stored one, replayed. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** The collection, in each service's own database, that keeps the keys. */
export const IDEMPOTENCY_COLLECTION = 'idempotency_keys';

/**
 * Visible ASCII and spaces, 1 to 300 characters: the gateway accepts 1–255
 * visible characters and may append ` <n>` for the n-th mutation fetch of one
 * operation to the same subgraph.
 */
const KEY_PATTERN = /^[\x20-\x7e]{1,300}$/;

/** Default time an attempt may run before its key may be claimed again (lease). */
export const DEFAULT_IDEMPOTENCY_LEASE_MS = 60_000;

// FerretDB 1.x has no TTL indexes: expired entries are ignored when read and
// deleted by this sweep; ten minutes keeps the collection small at one
// cheap deleteMany per service.
const DEFAULT_SWEEP_INTERVAL_MS = 10 * 60_000;

// Codes of deterministic answers: the same request would get them again, so
// they are stored and replayed. Anything else (INTERNAL, timeouts, an
// unavailable dependency) is an infrastructure failure and is not stored.
const DETERMINISTIC_CODES: ReadonlySet<string> = new Set<string>(ERROR_KINDS);

/** One stored key: `_id` is the SHA-256 of the caller and the key. */
export interface IdempotencyEntry {
  _id: string;
  /** SHA-256 of the operation text, its name and its variables (canonical JSON). */
  fingerprint: string;
  /** Who holds the key now: each claim writes a new one, so a stale holder cannot overwrite. */
  attempt: string;
  state: 'in_progress' | 'done';
  /** The stored answer, JSON of `{ status?, body }` (a string: no field-name limits). */
  response?: string;
  createdAt: Date;
  /** Until then an in-progress attempt is presumed running. */
  leaseUntil: Date;
  /** After it the key is forgotten (expired on read, deleted by the sweep). */
  expiresAt: Date;
}

/** What a stored mutation answer is made of. */
export interface StoredResponse {
  status?: number;
  body: FormattedExecutionResult;
}

/** What to do with a mutation carrying a key. */
export type IdempotencyClaim =
  | { kind: 'run'; id: string; attempt: string }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'reused' }
  | { kind: 'in_progress' };

export interface IdempotencyStoreOptions {
  /** The service's own `idempotency_keys` collection. */
  collection: Collection<IdempotencyEntry>;
  /** How long a key is kept after its answer (IDEMPOTENCY_KEY_TTL_HOURS). */
  ttlMs: number;
  /** How long an attempt may run before the key may be claimed again; defaults to 60 s. */
  leaseMs?: number;
  /** Time between sweeps of expired keys; defaults to 10 minutes. */
  sweepIntervalMs?: number;
  logger: Logger;
  /** The clock; defaults to `Date.now`. */
  now?: () => number;
}

export interface IdempotencyStore {
  /** Claims the key for a first (or expired, or abandoned) attempt, or says what the key already holds. */
  claim(
    caller: string,
    key: string,
    fingerprint: string,
  ): Promise<IdempotencyClaim>;
  /** Stores the answer of a claimed attempt (kept for the TTL). */
  complete(
    claim: { id: string; attempt: string },
    response: StoredResponse,
  ): Promise<void>;
  /** Forgets a claimed attempt (an infrastructure failure): a retry runs again. */
  abandon(claim: { id: string; attempt: string }): Promise<void>;
  /** Deletes expired keys; resolves to how many. */
  sweep(): Promise<number>;
  /** Creates the sweep's index and starts the periodic sweep. */
  start(): Promise<void>;
  /** Stops the periodic sweep. */
  stop(): Promise<void>;
}

// Expired keys deleted per round trip of a sweep.
const SWEEP_BATCH = 500;

// Bounds the claim loop: each turn follows another writer's change; three
// in a row means a storm on one key, answered as "in progress".
const MAX_CLAIM_TURNS = 3;

/**
 * The oldest keys expired at `until`, a batch of a sweep: one index range on
 * `expiresAt`, in MongoDB and in devstack's FerretDB alike (which pushes a
 * sorted, limited range down, and a bare one not), so a sweep reads what it
 * deletes, not the collection.
 */
export function expiredKeys(
  collection: Collection<IdempotencyEntry>,
  until: Date,
) {
  return collection
    .find({ expiresAt: { $lte: until } }, { projection: { _id: 1 } })
    .sort({ expiresAt: 1 })
    .limit(SWEEP_BATCH);
}

/**
 * The keys of one service, in its own database. A claim is an insert with a
 * unique `_id` (caller + key), so of two concurrent first attempts exactly one
 * runs; a later claim of an expired entry or of one whose lease ran out is a
 * conditional update on the `attempt` it saw, which also lets only one win.
 */
export function createIdempotencyStore({
  collection,
  ttlMs,
  leaseMs = DEFAULT_IDEMPOTENCY_LEASE_MS,
  sweepIntervalMs = DEFAULT_SWEEP_INTERVAL_MS,
  logger,
  now = Date.now,
}: IdempotencyStoreOptions): IdempotencyStore {
  const log = logger.child({ component: 'idempotency' });
  let timer: NodeJS.Timeout | undefined;

  async function claim(
    caller: string,
    key: string,
    fingerprint: string,
  ): Promise<IdempotencyClaim> {
    const id = sha256(JSON.stringify([caller, key]));
    for (let turn = 0; turn < MAX_CLAIM_TURNS; turn += 1) {
      const at = now();
      const attempt = randomUUID();
      const fresh: Omit<IdempotencyEntry, '_id'> = {
        fingerprint,
        attempt,
        state: 'in_progress',
        createdAt: new Date(at),
        leaseUntil: new Date(at + leaseMs),
        expiresAt: new Date(at + ttlMs),
      };
      try {
        await collection.insertOne({ _id: id, ...fresh });
        return { kind: 'run', id, attempt };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
      const existing = await collection.findOne({ _id: id });
      if (!existing) continue; // swept or abandoned meanwhile: insert again
      const expired = existing.expiresAt.getTime() <= at;
      if (!expired && existing.fingerprint !== fingerprint)
        return { kind: 'reused' };
      const abandoned =
        existing.state === 'in_progress' && existing.leaseUntil.getTime() <= at;
      if (expired || abandoned) {
        // Only the claimant that saw this attempt replaces it.
        const taken = await collection.updateOne(
          { _id: id, attempt: existing.attempt },
          { $set: fresh, $unset: { response: '' } },
        );
        if (taken.matchedCount === 1) {
          if (abandoned)
            log.warn(
              { entry: id, since: existing.createdAt },
              'idempotency key claimed again after its lease ran out',
            );
          return { kind: 'run', id, attempt };
        }
        continue;
      }
      if (existing.state === 'in_progress') return { kind: 'in_progress' };
      return {
        kind: 'replay',
        response: JSON.parse(existing.response ?? '{}') as StoredResponse,
      };
    }
    return { kind: 'in_progress' };
  }

  async function complete(
    { id, attempt }: { id: string; attempt: string },
    response: StoredResponse,
  ): Promise<void> {
    const stored = await collection.updateOne(
      { _id: id, attempt },
      {
        $set: {
          state: 'done',
          response: JSON.stringify(response),
          expiresAt: new Date(now() + ttlMs),
        },
      },
    );
    if (stored.matchedCount !== 1)
      log.warn(
        { entry: id },
        'answer not stored: the key was claimed again after the lease ran out',
      );
  }

  async function abandon({
    id,
    attempt,
  }: {
    id: string;
    attempt: string;
  }): Promise<void> {
    await collection.deleteOne({ _id: id, attempt });
  }

  async function sweep(): Promise<number> {
    const until = new Date(now());
    let deleted = 0;
    for (;;) {
      const batch = await expiredKeys(collection, until).toArray();
      if (batch.length === 0) return deleted;
      // Still expired: a key claimed again meanwhile is kept.
      const { deletedCount } = await collection.deleteMany({
        _id: { $in: batch.map((entry) => entry._id) },
        expiresAt: { $lte: until },
      });
      deleted += deletedCount;
      if (batch.length < SWEEP_BATCH || deletedCount === 0) return deleted;
    }
  }

  return {
    claim,
    complete,
    abandon,
    sweep,
    async start() {
      await collection.createIndex({ expiresAt: 1 });
      timer ??= setInterval(() => {
        sweep().then(
          (deleted) =>
            deleted > 0 && log.debug({ deleted }, 'expired idempotency keys'),
          (err: unknown) =>
            log.warn({ err }, 'sweep of expired idempotency keys failed'),
        );
      }, sweepIntervalMs);
      // The sweep is housekeeping: it never keeps the process alive.
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
    },
  };
}

/**
 * The Apollo Server plugin that makes a subgraph's mutations idempotent. For a
 * mutation with an `Idempotency-Key` header, keyed by the verified caller
 * (subject and organization) and the key:
 * - first attempt: claims the key, runs, stores the answer for the TTL;
 * - same key and same request (SHA-256 of operation text, name and variables):
 *   the stored answer, unchanged, with `Idempotent-Replayed: true`; nothing runs;
 * - same key, another request: CONFLICT `IDEMPOTENCY_KEY_REUSED`;
 * - same key while the first attempt runs: CONFLICT `IDEMPOTENT_REQUEST_IN_PROGRESS`;
 * - an answer with an infrastructure failure (any code but BAD_USER_INPUT,
 *   NOT_FOUND, CONFLICT, FORBIDDEN, UNAUTHENTICATED; or a lost
 *   optimistic-concurrency race) is not stored: a retry runs again.
 * Queries (and the gateway's `_entities` fetches) ignore the header.
 */
export function idempotencyPlugin(
  store: IdempotencyStore,
  identityOf: (context: BaseContext) => Identity | undefined,
  logger: Logger,
): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart({ request, contextValue }) {
      const key = request.http?.headers.get(IDEMPOTENCY_KEY_HEADER);
      if (key === undefined) return;
      // The plugin answers its refusals itself (formatError never sees them).
      const language = negotiateLanguage(
        request.http?.headers.get(ACCEPT_LANGUAGE_HEADER),
      );
      let claimed: { id: string; attempt: string } | undefined;
      return {
        async responseForOperation(context) {
          if (context.operation.operation !== 'mutation') return null;
          if (!KEY_PATTERN.test(key))
            return refusal(
              new InvalidInputError(
                IDEMPOTENCY_KEY_HEADER,
                'must be 1 to 255 visible ASCII characters (a UUID is recommended)',
                'INVALID_IDEMPOTENCY_KEY',
              ),
              language,
              400,
            );
          const outcome = await store.claim(
            callerOf(identityOf(contextValue)),
            key,
            fingerprintOf(
              context.source,
              context.operationName,
              context.request.variables,
            ),
          );
          switch (outcome.kind) {
            case 'run':
              claimed = { id: outcome.id, attempt: outcome.attempt };
              return null;
            case 'replay':
              return {
                http: {
                  status: outcome.response.status,
                  headers: new HeaderMap([
                    [IDEMPOTENT_REPLAYED_HEADER.toLowerCase(), 'true'],
                  ]),
                },
                body: { kind: 'single', singleResult: outcome.response.body },
              };
            case 'reused':
              return refusal(
                new ConflictError(
                  'IDEMPOTENCY_KEY_REUSED',
                  'This Idempotency-Key was used for a different request: send a new key for a new request',
                  IDEMPOTENCY_KEY_HEADER,
                ),
                language,
              );
            case 'in_progress':
              return refusal(
                new ConflictError(
                  'IDEMPOTENT_REQUEST_IN_PROGRESS',
                  'A request with this Idempotency-Key is still running: retry in a few seconds to get its answer',
                  IDEMPOTENCY_KEY_HEADER,
                ),
                language,
              );
          }
        },
        async willSendResponse({ response }) {
          if (!claimed) return;
          const claim = claimed;
          claimed = undefined;
          try {
            if (
              response.body.kind !== 'single' ||
              isInfrastructureFailure(response.body.singleResult)
            ) {
              await store.abandon(claim);
              return;
            }
            const { data, errors, extensions } = response.body.singleResult;
            await store.complete(claim, {
              ...(response.http.status !== undefined
                ? { status: response.http.status }
                : {}),
              body: {
                ...(data !== undefined ? { data } : {}),
                ...(errors ? { errors } : {}),
                ...(extensions ? { extensions } : {}),
              },
            });
          } catch (err) {
            // The caller has its answer; the key stays in progress until its
            // lease runs out, then a retry runs again.
            logger.error(
              { err, entry: claim.id },
              'could not record the answer of an idempotent mutation',
            );
          }
        },
      };
    },
  };
}

/** Whom a key belongs to: the verified subject and organization (anonymous callers share one space). */
export function callerOf(identity: Identity | undefined): string {
  return JSON.stringify([
    identity?.subject ?? null,
    identity?.organizationId ?? null,
  ]);
}

/** SHA-256 of what makes two requests "the same": operation text, name, variables (canonical JSON). */
export function fingerprintOf(
  source: string,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
): string {
  return sha256(
    canonicalJson([source, operationName ?? null, variables ?? {}]) ?? 'null',
  );
}

function isInfrastructureFailure(result: FormattedExecutionResult): boolean {
  return (result.errors ?? []).some((error) => {
    const code = error.extensions?.['code'];
    const reason = error.extensions?.['reason'];
    if (typeof code !== 'string' || !DETERMINISTIC_CODES.has(code)) return true;
    // A refusal that says "you lost a race, try again" is not an answer to
    // keep: an optimistic-concurrency conflict may succeed on a retry.
    return (
      code === 'CONFLICT' &&
      typeof reason === 'string' &&
      isVersionConflictReason(reason)
    );
  });
}

function refusal(
  error: DomainError,
  language: Language,
  status?: number,
): GraphQLResponse {
  return {
    http: {
      status,
      headers: new HeaderMap(),
    },
    body: {
      kind: 'single',
      singleResult: {
        errors: [
          {
            message: localizeError(error, language).message,
            extensions: domainExtensions(error, language),
          },
        ],
      },
    },
  };
}

// JSON with object keys sorted, so `{a, b}` and `{b, a}` are one request.
// Small enough to keep here rather than add a dependency to every service.
function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
