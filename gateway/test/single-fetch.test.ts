import { composeServices } from '@apollo/composition';
import { GraphQLError, parse } from 'graphql';
import {
  startGatewayOver,
  startStub,
  type StartedGateway,
  type StubSubgraph,
} from './support/stub-subgraphs';

// Issue 18: a query planned as one fetch is answered with the subgraph's data
// as sent when Apollo's result shaping would change nothing
// (src/single-fetch.ts). Two gateways in front of the same two subgraphs,
// one answering that way and one always through Apollo's shaping, must send
// the same bytes for every operation: the ones the shortcut takes and the
// ones it must leave to Apollo (abstract types, entity fetches, errors with
// paths, null bubbling, enum values the API hides, nullability that differs).

const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@inaccessible"])`;

interface Product {
  id: string;
}

const catalogTypeDefs = `${FEDERATION}
  type Query {
    products(n: Int!): [Product!]!
    product(id: ID!): Product
    search: [SearchResult!]!
    node(id: ID!): Node
    failing: Product
    strict: [Product!]
    hiddenStatus: Status
  }
  interface Node { id: ID! }
  type Product implements Node @key(fields: "id") {
    id: ID!
    name: String!
    price: Float
    tags: [String!]!
    availability: Availability
    maker: Maker
    sku: String! @shareable
  }
  type Maker { name: String country: String }
  type Article implements Node { id: ID! title: String! }
  union SearchResult = Product | Article
  enum Status { ACTIVE RETIRED SECRET @inaccessible }
  enum Availability { IN_STOCK SOLD_OUT }`;

const reviewsTypeDefs = `${FEDERATION}
  type Product @key(fields: "id") {
    id: ID!
    reviewCount: Int!
    sku: String @shareable
  }`;

const product = (id: string) => ({ id });

let catalog: StubSubgraph;
let reviews: StubSubgraph;
let shortcut: StartedGateway;
let shaped: StartedGateway;

const startGateway = (
  supergraphSdl: string,
  answerSingleFetchAsSent: boolean,
) =>
  startGatewayOver(
    [catalog, reviews],
    supergraphSdl,
    { RATE_LIMIT_PER_IP: '0' },
    { answerSingleFetchAsSent },
  );

beforeAll(async () => {
  catalog = await startStub('catalog', catalogTypeDefs, () => ({
    Query: {
      products: (_: unknown, { n }: { n: number }) =>
        Array.from({ length: n }, (_x, i) => product(`p${i + 1}`)),
      product: (_: unknown, { id }: { id: string }) => product(id),
      search: () => [
        { __typename: 'Product', id: 'p1' },
        { __typename: 'Article', id: 'a1' },
      ],
      node: (_: unknown, { id }: { id: string }) =>
        id.startsWith('a')
          ? { __typename: 'Article', id }
          : { __typename: 'Product', id },
      failing: () => {
        throw new GraphQLError('No such product', {
          extensions: { code: 'NOT_FOUND' },
        });
      },
      strict: () => [product('p1'), product('broken'), product('p3')],
      hiddenStatus: () => 'SECRET',
    },
    SearchResult: {
      __resolveType: (value: { __typename: string }) => value.__typename,
    },
    Node: {
      __resolveType: (value: { __typename: string }) => value.__typename,
    },
    Product: {
      name: ({ id }: Product) => (id === 'broken' ? null : `Product ${id}`),
      price: ({ id }: Product) => (id === 'p2' ? null : 10.5),
      tags: ({ id }: Product) => [`tag-${id}`, 'all'],
      availability: ({ id }: Product) =>
        id === 'p1' ? 'IN_STOCK' : 'SOLD_OUT',
      maker: ({ id }: Product) =>
        id === 'p3' ? null : { name: `Maker of ${id}`, country: 'MX' },
      sku: ({ id }: Product) => `SKU-${id}`,
    },
    Article: { title: ({ id }: Product) => `Article ${id}` },
  }));
  reviews = await startStub('reviews', reviewsTypeDefs, () => ({
    Product: {
      __resolveReference: (reference: Product) => reference,
      reviewCount: ({ id }: Product) => id.length,
      sku: ({ id }: Product) => `SKU-${id}`,
    },
  }));
  const composed = composeServices(
    [catalog, reviews].map((s) => ({
      name: s.name,
      url: s.url,
      typeDefs: parse(s.typeDefs),
    })),
  );
  if (composed.errors) throw new Error(composed.errors.join('\n'));
  shortcut = await startGateway(composed.supergraphSdl, true);
  shaped = await startGateway(composed.supergraphSdl, false);
});

afterAll(async () => {
  await shortcut?.server.stop();
  await shaped?.server.stop();
  await catalog?.stop();
  await reviews?.stop();
});

async function answer(
  url: string,
  request: { query: string; variables?: Record<string, unknown> },
): Promise<string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'en' },
    body: JSON.stringify(request),
  });
  return response.text();
}

/**
 * The operation's answer from both gateways, and how many of the shortcut
 * gateway's answers were the subgraph's data as sent: the first request
 * decides (Apollo's plan is seen), the second may take the shortcut.
 */
async function bothWays(request: {
  query: string;
  variables?: Record<string, unknown>;
}) {
  const before = shortcut.server.answeredAsSent();
  const first = await answer(shortcut.url, request);
  const second = await answer(shortcut.url, request);
  const asSent = shortcut.server.answeredAsSent() - before;
  const reference = await answer(shaped.url, request);
  return { first, second, reference, asSent };
}

const TAKEN: [
  string,
  { query: string; variables?: Record<string, unknown> },
][] = [
  [
    'a list of objects with scalars, lists, enums and nulls',
    {
      query: `query Products($n: Int!) { products(n: $n) { id name price tags availability maker { name country } } }`,
      variables: { n: 3 },
    },
  ],
  [
    'aliases, __typename below the root, @skip and @include',
    {
      query: `query Aliased($n: Int!, $withTags: Boolean!) {
          first: products(n: 1) { key: id kind: __typename name }
          all: products(n: $n) { __typename id label: name tags @include(if: $withTags) price @skip(if: true) }
        }`,
      variables: { n: 2, withTags: false },
    },
  ],
  [
    'a variable left to its default',
    {
      query: `query Defaulted($id: ID! = "p9") { product(id: $id) { id name } }`,
    },
  ],
];

const LEFT_TO_APOLLO: [
  string,
  { query: string; variables?: Record<string, unknown> },
][] = [
  [
    'fragments on the object type itself (the planner folds them and moves __typename first)',
    {
      query: `{
        first: products(n: 1) { key: id ...Named kind: __typename }
        all: products(n: 2) { ... on Product { id label: name } }
      }
      fragment Named on Product { name __typename maker { ... on Maker { country } } }`,
    },
  ],
  [
    '__typename after other fields (the planner moves it first)',
    { query: `{ products(n: 2) { id name __typename } }` },
  ],
  [
    'a union (the planner adds __typename)',
    {
      query: `{ search { ... on Product { id name } ... on Article { title } } }`,
    },
  ],
  [
    'an interface',
    {
      query: `{ node(id: "a1") { id ... on Article { title } } n2: node(id: "p1") { id } }`,
    },
  ],
  [
    'an entity fetch to a second subgraph',
    { query: `{ products(n: 2) { id name reviewCount } }` },
  ],
  [
    'an error with a path',
    { query: `{ failing { id name } products(n: 1) { id } }` },
  ],
  [
    'a null for a non-null field, bubbled up to the list',
    { query: `{ strict { id name } }` },
  ],
  ['an enum value the API hides', { query: `{ hiddenStatus }` }],
  [
    'a field nullable in the API but not in the subgraph',
    { query: `{ product(id: "p1") { id sku } }` },
  ],
  [
    '__typename on the root',
    { query: `{ __typename product(id: "p1") { id } }` },
  ],
  [
    'introspection beside a fetch',
    { query: `{ __type(name: "Product") { name } product(id: "p1") { id } }` },
  ],
  [
    'variables the API refuses',
    {
      query: `query Products($n: Int!) { products(n: $n) { id name price tags availability maker { name country } } }`,
      variables: { n: 'three' },
    },
  ],
];

describe('an operation answered with the subgraph data as sent', () => {
  it.each(TAKEN)(
    '%s: the same bytes as Apollo shapes',
    async (_name, request) => {
      const { first, second, reference, asSent } = await bothWays(request);
      expect(JSON.parse(reference)).toHaveProperty('data');
      expect(reference).not.toContain('"errors"');
      expect(first).toBe(reference);
      expect(second).toBe(reference);
      expect(asSent).toBe(1);
    },
  );
});

describe('an operation left to Apollo', () => {
  it.each(LEFT_TO_APOLLO)(
    '%s: the same bytes as Apollo shapes',
    async (_name, request) => {
      const { first, second, reference, asSent } = await bothWays(request);
      expect(first).toBe(reference);
      expect(second).toBe(reference);
      expect(asSent).toBe(0);
    },
  );
});

it('asks the subgraph once when its answer has errors and Apollo shapes it', async () => {
  const request = { query: `{ failing { id } }` };
  await answer(shortcut.url, request);
  const before = catalog.bodies.length;
  const body = await answer(shortcut.url, request);
  expect(catalog.bodies.length - before).toBe(1);
  expect(JSON.parse(body)).toMatchObject({
    data: { failing: null },
    errors: [
      {
        message: 'No such product',
        path: ['failing'],
        extensions: { code: 'NOT_FOUND', serviceName: 'catalog' },
      },
    ],
  });
});
