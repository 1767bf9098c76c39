import { loadConfig } from '@conecta/service-kit';
import {
  companyRfc,
  startSubgraph,
  readEvents,
  withWrongDigit,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import { committeesConfig } from '../../src/env';
import {
  createCommitteesService,
  type CommitteesService,
} from '../../src/server';
import { organizationMother, sectorMother } from '../fixtures/mothers';

const REGISTER_ORGANIZATION = /* GraphQL */ `
  mutation ($input: RegisterOrganizationInput!) {
    registerOrganization(input: $input) {
      id
      name
      kind
      state
      stateName
      taxId
      registeredAt
    }
  }
`;
const REGISTER_SECTOR = /* GraphQL */ `
  mutation ($input: RegisterSectorInput!) {
    registerSector(input: $input) {
      id
      code
      name
      kind
    }
  }
`;
const DIRECTORY = /* GraphQL */ `
  query ($filter: OrganizationFilter, $first: Int, $after: String) {
    organizations(filter: $filter, first: $first, after: $after) {
      totalCount
      nodes {
        id
        taxId
      }
      pageInfo {
        endCursor
        hasNextPage
      }
    }
  }
`;

let infra: IsolatedInfra;
let service: CommitteesService;
let client: TestClient;
let operatorUrl: string;
const admin = { subject: 'admin-1', roles: ['admin' as const] };

beforeAll(async () => {
  const running = await startSubgraph({
    name: 'committees',
    label: 'committees-api',
    config: (env) => loadConfig(committeesConfig, env),
    create: createCommitteesService,
  });
  ({ infra, service, client } = running);
  operatorUrl = running.operatorUrl;
});

afterAll(async () => {
  await service?.stop();
  await infra?.cleanup();
});

describe('the organization directory', () => {
  it('registers an organization and reads it back by id', async () => {
    const input = organizationMother.chamber();
    const created = await client.ok(REGISTER_ORGANIZATION, { input }, admin);
    const org = created.registerOrganization;
    expect(org).toMatchObject({
      name: input.name,
      kind: 'CHAMBER',
      state: 'MX-JAL',
      stateName: 'Jalisco',
      taxId: input.taxId,
    });

    const read = await client.ok(
      `query ($id: ID!) { organization(id: $id) { id taxId } }`,
      { id: org.id },
      {},
    );
    expect(read.organization).toEqual({ id: org.id, taxId: input.taxId });
  });

  it('answers BAD_USER_INPUT naming the field for an invalid RFC, and writes nothing', async () => {
    const before = (await client.ok(DIRECTORY, {}, {})).organizations
      .totalCount;
    const res = await client.request(
      REGISTER_ORGANIZATION,
      {
        input: organizationMother.chamber({
          taxId: withWrongDigit(companyRfc()),
        }),
      },
      admin,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.taxId',
    });
    expect(res.errors?.[0]?.extensions?.stacktrace).toBeUndefined();
    expect((await client.ok(DIRECTORY, {}, {})).organizations.totalCount).toBe(
      before,
    );
  });

  it('refuses a second organization with the same RFC with CONFLICT', async () => {
    const taxId = companyRfc();
    await client.ok(
      REGISTER_ORGANIZATION,
      { input: organizationMother.university({ taxId }) },
      admin,
    );
    const res = await client.request(
      REGISTER_ORGANIZATION,
      { input: organizationMother.chamber({ taxId }) },
      admin,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'ORGANIZATION_TAX_ID_TAKEN',
    });
    const matches = await client.ok(
      DIRECTORY,
      { filter: { search: taxId } },
      {},
    );
    expect(matches.organizations.totalCount).toBe(1);
  });

  it('lets only admins, brokers and committee members register organizations', async () => {
    const res = await client.request(
      REGISTER_ORGANIZATION,
      { input: organizationMother.chamber() },
      { subject: 'rector-1', roles: ['university'] },
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asBroker = await client.request(
      REGISTER_ORGANIZATION,
      { input: organizationMother.chamber() },
      { subject: 'broker-1', roles: ['broker'] },
    );
    expect(asBroker.errors).toBeUndefined();
  });

  it('refuses a request that does not carry the gateway signature', async () => {
    const res = await client.unsigned(DIRECTORY, {});
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
  });

  it('pages through a filtered directory with cursors and a total count', async () => {
    const state = 'MX-YUC';
    const ids: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      ids.push(
        (
          await client.ok(
            REGISTER_ORGANIZATION,
            {
              input: organizationMother.university({
                state,
                name: `Universidad ${i}`,
              }),
            },
            admin,
          )
        ).registerOrganization.id,
      );
    }
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: {
        organizations: {
          totalCount: number;
          nodes: { id: string }[];
          pageInfo: { endCursor: string | null; hasNextPage: boolean };
        };
      } = await client.ok(
        DIRECTORY,
        { filter: { state }, first: 2, after },
        {},
      );
      expect(page.organizations.totalCount).toBe(5);
      seen.push(...page.organizations.nodes.map((n) => n.id));
      after = page.organizations.pageInfo.hasNextPage
        ? page.organizations.pageInfo.endCursor
        : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(3);
    expect(seen).toEqual(ids);
  });

  it('publishes OrganizationRegistered to Kafka, keyed by the organization id', async () => {
    const input = organizationMother.chamber({ state: 'MX-BCN' });
    const { id } = (await client.ok(REGISTER_ORGANIZATION, { input }, admin))
      .registerOrganization;
    const [message] = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.committees.events`,
      until: (m) => m.key === id,
    });
    expect(message?.event).toMatchObject({
      type: 'committees.OrganizationRegistered',
      version: 1,
      source: 'committees',
      subject: id,
      data: { id, kind: 'CHAMBER', state: 'MX-BCN', taxId: input.taxId },
    });
  });
});

describe('health', () => {
  it('is ready when MongoDB and Kafka answer and the outbox relay runs', async () => {
    const response = await fetch(`${operatorUrl}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ready',
      checks: { mongo: 'ok', kafka: 'ok', outbox: 'ok' },
    });
  });
});

describe('the sector catalog', () => {
  it('registers social and public sectors and lists them by code', async () => {
    const social = sectorMother.productive({
      kind: 'SOCIAL',
      name: 'Organizaciones civiles',
    });
    await client.ok(REGISTER_SECTOR, { input: social }, admin);
    const list = await client.ok(
      `{ sectors(kind: SOCIAL) { code kind } }`,
      {},
      {},
    );
    expect(list.sectors).toContainEqual({ code: social.code, kind: 'SOCIAL' });
    const byCode = await client.ok(
      `query ($c: String!) { sectorByCode(code: $c) { name } }`,
      { c: social.code },
      {},
    );
    expect(byCode.sectorByCode.name).toBe('Organizaciones civiles');
  });

  it('refuses a duplicate sector code with CONFLICT and a non-admin with FORBIDDEN', async () => {
    const input = sectorMother.productive();
    await client.ok(REGISTER_SECTOR, { input }, admin);
    const dup = await client.request(REGISTER_SECTOR, { input }, admin);
    expect(dup.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'SECTOR_CODE_TAKEN',
    });
    const forbidden = await client.request(
      REGISTER_SECTOR,
      { input: sectorMother.productive() },
      { subject: 'broker-1', roles: ['broker'] },
    );
    expect(forbidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('federation', () => {
  const ENTITIES = /* GraphQL */ `
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Organization {
          id
          name
        }
        ... on Sector {
          id
          code
        }
      }
    }
  `;

  it('resolves Organization references through _entities, N references in one query', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      ids.push(
        (
          await client.ok(
            REGISTER_ORGANIZATION,
            { input: organizationMother.chamber() },
            admin,
          )
        ).registerOrganization.id,
      );
    }
    const spy = jest.spyOn(service.stores.organizations, 'findByIds');
    const res = await client.ok(
      ENTITIES,
      {
        representations: [...ids, 'no-such-id'].map((id) => ({
          __typename: 'Organization',
          id,
        })),
      },
      {},
    );
    expect(
      res._entities.map((e: { id: string } | null) => e?.id ?? null),
    ).toEqual([...ids, null]);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('resolves Sector references through _entities, N references in one query', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      ids.push(
        (
          await client.ok(
            REGISTER_SECTOR,
            { input: sectorMother.productive() },
            admin,
          )
        ).registerSector.id,
      );
    }
    const spy = jest.spyOn(service.stores.sectors, 'findByIds');
    const res = await client.ok(
      ENTITIES,
      { representations: ids.map((id) => ({ __typename: 'Sector', id })) },
      {},
    );
    expect(res._entities.map((e: { id: string }) => e.id)).toEqual(ids);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});
