import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  InMemoryLRUCache,
  type KeyValueCache,
} from '@apollo/utils.keyvaluecache';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, type ValidationRule } from 'graphql';
import { z } from 'zod';
import type { GatewayContext } from './context';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxCost: number;
  maxDirectives: number;
}

/**
 * Depth, alias, directive and cost limits from GraphQL Armor (validation rules:
 * a query over a limit is refused before any subgraph is called, with
 * `GRAPHQL_VALIDATION_FAILED` and HTTP 400) and field suggestions masked.
 *
 * The token limit is graphql-js's own `parseOptions.maxTokens` (the lexer stops
 * at N tokens, so a huge document costs no more than N tokens of work) rather
 * than Armor's Apollo token plugin, which throws from a hook Apollo Server
 * treats as an internal error (HTTP 500) instead of a parse failure (400).
 */
export function queryLimits(limits: QueryLimits): {
  validationRules: ValidationRule[];
  plugins: ApolloServerPlugin<GatewayContext>[];
  parseOptions: { maxTokens: number };
} {
  const armor = new ApolloArmor({
    maxDepth: { n: limits.maxDepth },
    maxAliases: { n: limits.maxAliases },
    maxDirectives: { n: limits.maxDirectives },
    costLimit: { maxCost: limits.maxCost },
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: true },
  }).protect();
  return {
    validationRules: armor.validationRules,
    plugins: armor.plugins as ApolloServerPlugin<GatewayContext>[],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}

/** SHA-256 hex of an operation's text: its APQ / allow-list id. */
export function operationHash(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

// Apollo's persisted query manifest format (also what its client tooling writes).
const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest'),
      name: z.string().min(1),
      type: z.enum(['query', 'mutation', 'subscription']),
      body: z.string().min(1),
    }),
  ),
});

/** The registered operations: id (SHA-256 of the body) → body. */
export type OperationManifest = ReadonlyMap<string, string>;

/** Reads a persisted-query manifest; throws when an id is not its body's hash. */
export function readOperationManifest(path: string): OperationManifest {
  const manifest = manifestSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  const operations = new Map<string, string>();
  for (const op of manifest.operations) {
    if (operationHash(op.body) !== op.id)
      throw new Error(
        `${path}: operation ${op.name} has id ${op.id}, but its body hashes to ${operationHash(op.body)}`,
      );
    operations.set(op.id, op.body);
  }
  return operations;
}

// Bounded: APQ lets any client register queries, so the cache must not grow freely.
const APQ_CACHE_BYTES = 16 * 1024 * 1024;
// Apollo prefixes APQ entries with this in the cache it is given.
const APQ_PREFIX = 'apq:';

/**
 * The APQ cache: an in-memory LRU for what clients register, in front of which
 * the registered operations are always found by hash (never evicted), so a
 * partner app can send only `extensions.persistedQuery.sha256Hash`.
 */
export function persistedQueryCache(
  manifest: OperationManifest = new Map(),
): KeyValueCache<string> {
  const lru = new InMemoryLRUCache<string>({ maxSize: APQ_CACHE_BYTES });
  return {
    async get(key) {
      if (key.startsWith(APQ_PREFIX)) {
        const registered = manifest.get(key.slice(APQ_PREFIX.length));
        if (registered !== undefined) return registered;
      }
      return lru.get(key);
    },
    set: (key, value, options) => lru.set(key, value, options),
    delete: (key) => lru.delete(key),
  };
}

/** Who must stick to registered operations. */
export type AllowlistMode = 'off' | 'api-keys' | 'all';

/**
 * Allow-list mode: a request (from a partner app's API key, or from anyone in
 * `all` mode) whose operation is not in the manifest is refused with FORBIDDEN
 * (reason OPERATION_NOT_REGISTERED) before any subgraph is called.
 */
export function allowlistPlugin(
  mode: AllowlistMode,
  manifest: OperationManifest,
): ApolloServerPlugin<GatewayContext> {
  // Off: no hook at all (Apollo calls each plugin's hooks on every request).
  if (mode === 'off') return {};
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, queryHash }) {
          if (mode === 'api-keys' && !contextValue.apiKeyId) return;
          if (queryHash && manifest.has(queryHash)) return;
          throw new GraphQLError(
            'This client may only run registered operations; this one is not registered',
            {
              extensions: {
                code: 'FORBIDDEN',
                reason: 'OPERATION_NOT_REGISTERED',
                http: { status: 403 },
              },
            },
          );
        },
      };
    },
  };
}
