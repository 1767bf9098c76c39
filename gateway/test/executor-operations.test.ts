import { composeServices } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import { operationFromDocument } from '@apollo/federation-internals';
import {
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import { rememberExecutorOperations } from '../src/executor-operations';
import {
  startGatewayOver,
  startStub,
  type StartedGateway,
  type StubSubgraph,
} from './support/stub-subgraphs';

// Issue 18: @apollo/gateway's executor rebuilt the operation from the
// document on every request before shaping the result; the gateway makes it
// build each once per parsed document (src/executor-operations.ts).

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])`;

const catalogTypeDefs = `${FEDERATION}
  type Query { products(n: Int!): [Product!]! }
  type Product @key(fields: "id") { id: ID! name: String! }`;

const reviewsTypeDefs = `${FEDERATION}
  type Product @key(fields: "id") { id: ID! reviewCount: Int! stars: [Int!]! }`;

// Fragments and conditions on both subgraphs' fields: the plan is a fetch
// to catalog, then one to reviews, shaped by Apollo.
const PRODUCTS = `query Products($n: Int!, $withStars: Boolean!) {
  products(n: $n) { ...Named reviewCount stars @include(if: $withStars) }
}
fragment Named on Product { id name }`;

function supergraphSdl(stubs: readonly StubSubgraph[]): string {
  const composed = composeServices(
    stubs.map((s) => ({
      name: s.name,
      url: s.url,
      typeDefs: parse(s.typeDefs),
    })),
  );
  if (composed.errors) throw new Error(composed.errors.join('\n'));
  return composed.supergraphSdl;
}

/** The document @apollo/gateway's executor assembles for each request. */
function asTheExecutorBuildsIt(document: DocumentNode): DocumentNode {
  const operation = document.definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
  )!;
  const fragments = document.definitions.filter(
    (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
  );
  return { kind: Kind.DOCUMENT, definitions: [operation, ...fragments] };
}

let catalog: StubSubgraph;
let reviews: StubSubgraph;
let gateway: StartedGateway;

beforeAll(async () => {
  catalog = await startStub('catalog', catalogTypeDefs, () => ({
    Query: {
      products: (_: unknown, { n }: { n: number }) =>
        Array.from({ length: n }, (_x, i) => ({ id: `p${i + 1}` })),
    },
    Product: { name: ({ id }: { id: string }) => `Product ${id}` },
  }));
  reviews = await startStub('reviews', reviewsTypeDefs, () => ({
    Product: {
      __resolveReference: (reference: { id: string }) => reference,
      reviewCount: ({ id }: { id: string }) => id.length,
      stars: () => [4, 5],
    },
  }));
  gateway = await startGatewayOver(
    [catalog, reviews],
    supergraphSdl([catalog, reviews]),
    { RATE_LIMIT_PER_IP: '0' },
  );
});

afterAll(async () => {
  await gateway?.server.stop();
  await catalog?.stop();
  await reviews?.stop();
});

describe('the operations of @apollo/gateway’s executor', () => {
  it('are built once per operation node and API schema, for the same fragment nodes', () => {
    rememberExecutorOperations();
    const schema = Supergraph.build(
      supergraphSdl([catalog, reviews]),
    ).apiSchema();
    const document = parse(PRODUCTS);
    const first = operationFromDocument(
      schema,
      asTheExecutorBuildsIt(document),
      {
        validate: false,
      },
    );
    // A new document object each request, with the same nodes.
    expect(
      operationFromDocument(schema, asTheExecutorBuildsIt(document), {
        validate: false,
      }),
    ).toBe(first);
    // The same text parsed again (a document Apollo no longer keeps).
    expect(
      operationFromDocument(schema, asTheExecutorBuildsIt(parse(PRODUCTS)), {
        validate: false,
      }),
    ).not.toBe(first);
    // Another supergraph's API schema.
    const reloaded = Supergraph.build(
      supergraphSdl([catalog, reviews]),
    ).apiSchema();
    const again = operationFromDocument(
      reloaded,
      asTheExecutorBuildsIt(document),
      { validate: false },
    );
    expect(again).not.toBe(first);
    expect(again.schema()).toBe(reloaded);
    // The same operation node with other fragment nodes.
    const [operation] = asTheExecutorBuildsIt(document).definitions;
    const otherFragments = asTheExecutorBuildsIt(
      parse(PRODUCTS),
    ).definitions.slice(1);
    expect(
      operationFromDocument(
        schema,
        { kind: Kind.DOCUMENT, definitions: [operation!, ...otherFragments] },
        { validate: false },
      ),
    ).not.toBe(first);
  });

  it('are built afresh for any other call, the query planner’s among them', () => {
    rememberExecutorOperations();
    const schema = Supergraph.build(
      supergraphSdl([catalog, reviews]),
    ).apiSchema();
    const document = parse(PRODUCTS);
    const planners = () =>
      operationFromDocument(schema, document, { operationName: 'Products' });
    expect(planners()).not.toBe(planners());
    const validated = () => operationFromDocument(schema, document);
    expect(validated()).not.toBe(validated());
  });

  it('shape each request by its own variables when the operation is reused', async () => {
    const ask = async (n: number, withStars: boolean) => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: PRODUCTS, variables: { n, withStars } }),
      });
      return response.json();
    };
    const product = (id: string, withStars: boolean) => ({
      id,
      name: `Product ${id}`,
      reviewCount: id.length,
      ...(withStars ? { stars: [4, 5] } : {}),
    });
    // Alternating: each answer shaped with the operation the first one built.
    for (const [n, withStars] of [
      [2, true],
      [1, false],
      [2, false],
      [1, true],
    ] as const)
      expect(await ask(n, withStars)).toEqual({
        data: {
          products: ['p1', 'p2']
            .slice(0, n)
            .map((id) => product(id, withStars)),
        },
      });
  });
});
