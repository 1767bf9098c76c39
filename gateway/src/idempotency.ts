import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, parse } from 'graphql';
import {
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENT_REPLAYED_HEADER,
} from '@conecta/service-kit';
import type { GatewayContext, IdempotencyState } from './context';

export { IDEMPOTENCY_KEY_HEADER, IDEMPOTENT_REPLAYED_HEADER };

/**
 * 1 to 255 visible ASCII characters (no spaces): room for a UUID (the
 * recommended key) or a client's own scheme, and safe in logs and headers.
 */
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * The request's `Idempotency-Key`, validated: undefined without one; a
 * GraphQLError (HTTP 400, `BAD_USER_INPUT`, reason `INVALID_IDEMPOTENCY_KEY`,
 * `field: "Idempotency-Key"`) for a bad one, whatever the operation.
 */
export function idempotencyFrom(
  header: string | undefined,
): IdempotencyState | undefined {
  if (header === undefined) return undefined;
  if (!KEY_PATTERN.test(header))
    throw new GraphQLError(
      `${IDEMPOTENCY_KEY_HEADER} must be 1 to 255 visible ASCII characters, without spaces (a UUID is recommended)`,
      {
        extensions: {
          code: 'BAD_USER_INPUT',
          reason: 'INVALID_IDEMPOTENCY_KEY',
          field: IDEMPOTENCY_KEY_HEADER,
          http: { status: 400 },
        },
      },
    );
  return { key: header, mutationFetches: new Map(), replayed: false };
}

/**
 * The key to send with one fetch of the query plan to `subgraph`, or
 * undefined when the fetch is not a mutation (the `_entities` queries of a
 * mutation's plan store nothing). The n-th mutation fetch (n ≥ 2) to the same
 * subgraph in one operation gets ` <n>` appended, so its own request is not
 * refused as the first one's key reused; plans are deterministic, so a retry
 * sends the same keys.
 */
export function keyForFetch(
  state: IdempotencyState,
  subgraph: string,
  query: string | undefined,
): string | undefined {
  if (!query || !isMutation(query)) return undefined;
  const n = (state.mutationFetches.get(subgraph) ?? 0) + 1;
  state.mutationFetches.set(subgraph, n);
  return n === 1 ? state.key : `${state.key} ${n}`;
}

/** Answers `Idempotent-Replayed: true` when a subgraph replayed a stored answer. */
export function idempotencyPlugin(): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, response }) {
          if (contextValue.idempotency?.replayed)
            response.http.headers.set(
              IDEMPOTENT_REPLAYED_HEADER.toLowerCase(),
              'true',
            );
        },
      };
    },
  };
}

function isMutation(query: string): boolean {
  return parse(query).definitions.some(
    (d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation',
  );
}
