import { createHash } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin } from '@apollo/server';
import type { FormattedExecutionResult } from 'graphql';
import { LRUCache } from 'lru-cache';
import type { GatewayContext } from './context';

// Keys up to this long are kept as they are (a Map's own hashing is cheaper
// than SHA-256); longer ones, by their digest.
const MAX_PLAIN_KEY = 512;

/** Response header saying how the cache answered: HIT, MISS, BYPASS or OFF. */
export const CACHE_STATUS_HEADER = 'x-cache';

/** How the cache answered one query. */
export type CacheStatus = 'HIT' | 'MISS' | 'BYPASS' | 'OFF';

export interface ResponseCacheOptions {
  /** Longest an entry is served, even if no change was seen. */
  ttlMs: number;
  /** Memory bound of the entries (their JSON size). */
  maxBytes: number;
  /**
   * Resolves false while changes cannot be seen (Kafka unreachable): the
   * cache then serves nothing. Asked before each lookup, and only then
   * (`DataChangeWatcher.fresh`: the gateway reads Kafka's offsets while
   * lookups happen, and not when it is idle or every query asks for
   * `no-cache`).
   */
  isCurrent: () => Promise<boolean>;
  /**
   * Whether the data of a subgraph can be watched for changes (its events and
   * consumer groups: `watchDataChanges`). An answer that read any other
   * subgraph (partners publishes no events, and its delivery worker writes
   * in the background) is never stored: nothing would tell it went stale.
   */
  watched: (subgraph: string) => boolean;
  /** Counts each answer by status (metrics). */
  observe?: (status: CacheStatus) => void;
}

interface Entry {
  result: FormattedExecutionResult;
  /** Each subgraph the answer read, with its version when the request began. */
  versions: [subgraph: string, version: number][];
  size: number;
}

/**
 * The gateway's response cache: whole query results, kept per operation,
 * variables and caller, and dropped when the data of a subgraph they read may
 * have changed.
 *
 * - **Who shares an entry.** Anonymous callers asking in the same language
 *   share one (they see public data only: authorization is on the data). A signed-in caller or partner app has
 *   entries of its own, keyed by subject, roles and organization: no answer is
 *   ever served to another caller.
 * - **What makes it stale.** Each subgraph has a version, raised by
 *   {@link ResponseCache.invalidate} when its data may have changed: a
 *   mutation through the gateway that reached it, its events, or its
 *   consumers' progress (see `watchDataChanges`). An entry records the version
 *   of every subgraph it read *as the request began*, so an answer computed
 *   while a change committed is never served after it. Entries also expire
 *   after `ttlMs`, whatever happens.
 * - **What is never cached**: mutations, answers with errors, answers that
 *   read a subgraph whose changes cannot be watched (`watched`), requests with
 *   `Cache-Control: no-cache` or `no-store` (answered afresh, then stored),
 *   and anything while `isCurrent()` is false.
 */
export function createResponseCache(options: ResponseCacheOptions) {
  const versions = new Map<string, number>();
  const entries = new LRUCache<string, Entry>({
    maxSize: options.maxBytes,
    sizeCalculation: (entry) => Math.max(1, entry.size),
    ttl: options.ttlMs,
  });
  const versionOf = (subgraph: string) => versions.get(subgraph) ?? 0;

  function invalidate(subgraphs: Iterable<string>): void {
    for (const subgraph of subgraphs)
      versions.set(subgraph, versionOf(subgraph) + 1);
  }

  const plugin: ApolloServerPlugin<GatewayContext> = {
    async requestDidStart({ request, contextValue }) {
      const noCache = /\bno-(cache|store)\b/i.test(
        request.http?.headers.get('cache-control') ?? '',
      );
      let status: CacheStatus | undefined;
      let key: string | undefined;
      let startedAt: ReadonlyMap<string, number> = new Map();
      return {
        async responseForOperation({ operation, queryHash, source, request }) {
          if (operation.operation !== 'query') return null;
          if (!noCache && !(await options.isCurrent())) {
            status = 'OFF';
            return null;
          }
          // The versions before any subgraph is called: what the lookup below
          // checks against, and what an answer computed now is stored with.
          // Safe without a fresh read too (no-cache, or after a pause in
          // polling): the next read reports what moved since the last one.
          startedAt = new Map(versions);
          key = keyOf(
            // Apollo always computes it before this hook; the text otherwise.
            queryHash ?? `source:${source}`,
            request.operationName,
            request.variables,
            contextValue,
          );
          const entry = noCache ? undefined : entries.get(key);
          if (entry && entry.versions.every(([s, v]) => versionOf(s) === v)) {
            status = 'HIT';
            return {
              // willSendResponse adds the x-cache header.
              http: { status: undefined, headers: new HeaderMap() },
              body: { kind: 'single', singleResult: { ...entry.result } },
            };
          }
          status = noCache ? 'BYPASS' : 'MISS';
          return null;
        },
        async willSendResponse({ response, operation }) {
          if (operation?.operation === 'mutation') {
            invalidate(contextValue.touched);
            return;
          }
          if (!status) return;
          response.http.headers.set(CACHE_STATUS_HEADER, status);
          options.observe?.(status);
          if (status === 'HIT' || status === 'OFF' || !key) return;
          const body = response.body;
          if (body.kind !== 'single') return;
          const result = body.singleResult;
          if (result.errors?.length || !result.data) return;
          if (![...contextValue.touched].every(options.watched)) return;
          if (
            response.http.status !== undefined &&
            response.http.status !== 200
          )
            return;
          entries.set(key, {
            result,
            versions: [...contextValue.touched].map((s) => [
              s,
              startedAt.get(s) ?? 0,
            ]),
            // What the subgraphs sent for it approximates the answer's size
            // (their JSON carries the same values, plus keys and
            // __typename) without serializing the answer once more.
            size:
              contextValue.subgraphBytes > 0
                ? contextValue.subgraphBytes
                : JSON.stringify(result).length,
          });
        },
      };
    },
  };

  return {
    plugin,
    /** Raises the version of each subgraph: entries that read one are stale. */
    invalidate,
  };
}

/**
 * The entry's key: the operation, its variables, who may see the answer, and
 * its language. Answers with errors (the only part of an answer in a
 * language today) are never stored; the language is in the key anyway, so an
 * answer is never served in a language its caller did not ask for, should a
 * subgraph ever answer data in one (issue 14).
 */
function keyOf(
  queryHash: string,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | undefined,
  { identity, language }: GatewayContext,
): string {
  // Apollo's SHA-256 of the operation text stands for the text, so the text
  // is not hashed a second time on every request. Anonymous callers all have
  // the same triple, so they share entries.
  const key = JSON.stringify([
    queryHash,
    operationName ?? null,
    variables ?? {},
    identity.subject ?? null,
    [...identity.roles].sort(),
    identity.organizationId ?? null,
    language,
  ]);
  // Long variables would make long keys: those are hashed to a fixed size.
  return key.length <= MAX_PLAIN_KEY
    ? key
    : createHash('sha256').update(key).digest('base64url');
}
