import {
  buildClientSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
  type IntrospectionQuery,
} from 'graphql';
import { ConfigError } from '@conecta/service-kit';
import { companyRfc } from '@conecta/test-kit';
import { apiSchemaOf, composeSupergraph } from '../src/compose';
import { parseGatewayConfig } from '../src/env';
import { SUBGRAPHS } from '../src/subgraphs';
import { sharedTestSystem, type TestSystem } from './support/system';

// Dev mode: a gateway of this file's own composes at start from the running
// subgraphs (`SUPERGRAPH_SOURCE=introspect`): the real processes the other
// system tests share, launched on free ports (never a fixed offset), so this
// file cannot collide with the bench (+30000) or `npm start`.
let system: TestSystem;

describe('SUPERGRAPH_SOURCE=introspect (dev mode)', () => {
  beforeAll(async () => {
    system = await sharedTestSystem('gateway-introspect', {
      gatewayEnv: { SUPERGRAPH_SOURCE: 'introspect' },
    });
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  it('loads each subgraph’s SDL with a signed request: unsigned, a subgraph refuses it', async () => {
    const unsigned = await fetch(
      system.subgraphs.get('committees')!.graphqlUrl,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ _service { sdl } }' }),
      },
    );
    expect(unsigned.status).toBe(401);
    // …yet the gateway started: its own schema-loading requests were signed.
    const ready = await fetch(`${system.operatorUrl}/ready`);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { supergraph: 'ok' },
    });
  });

  it('answers a mutation and a query planned across subgraphs from the composed graph', async () => {
    const admin = { sub: 'dev-1', roles: ['admin' as const] };
    const taxId = companyRfc();
    const created = await system.post(
      {
        query: `mutation ($i: RegisterOrganizationInput!) { registerOrganization(input: $i) { id } }`,
        variables: {
          i: {
            name: 'Universidad Autónoma de Nuevo León',
            kind: 'UNIVERSITY',
            state: 'MX-NLE',
            taxId,
          },
        },
      },
      admin,
    );
    expect(created.errors).toBeUndefined();
    // The organization (committees) and whether it certifies (certification).
    const res = await system.post(
      {
        query: `query ($id: ID!) { organization(id: $id) { name taxId certifyingBody { id } } }`,
        variables: { id: created.data.registerOrganization.id },
      },
      admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({
      organization: {
        name: 'Universidad Autónoma de Nuevo León',
        taxId,
        certifyingBody: null,
      },
    });
  });

  it('serves the same API schema as build-time composition of the same schema files', async () => {
    const res = await system.post({ query: getIntrospectionQuery() });
    const served = buildClientSchema(res.data as IntrospectionQuery);
    // Composed from the schema.graphql files the subgraphs just loaded (not
    // the committed supergraph.graphql, which the composition test guards).
    const built = apiSchemaOf(composeSupergraph(SUBGRAPHS).supergraphSdl);
    expect(printSchema(lexicographicSortSchema(served))).toBe(
      printSchema(lexicographicSortSchema(built)),
    );
  });
});

describe('SUPERGRAPH_SOURCE config', () => {
  const base = {
    IDENTITY_SECRET: 'introspect-identity-secret-at-least-32-chars',
    JWT_SECRET: 'introspect-jwt-secret-with-at-least-32-chars',
  };

  it('defaults to the committed file', () => {
    expect(parseGatewayConfig(base).SUPERGRAPH_SOURCE).toBe('file');
  });

  it('refuses introspection in production, which serves only the checked supergraph', () => {
    const attempt = () =>
      parseGatewayConfig({
        ...base,
        NODE_ENV: 'production',
        MONGODB_URI: 'mongodb://127.0.0.1:27017/conecta_gateway',
        SUPERGRAPH_SOURCE: 'introspect',
      });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/SUPERGRAPH_SOURCE/);
  });

  it('refuses an unknown source', () => {
    expect(() =>
      parseGatewayConfig({ ...base, SUPERGRAPH_SOURCE: 'registry' }),
    ).toThrow(/SUPERGRAPH_SOURCE/);
  });
});
