import {
  companyRfc,
  isolatedInfra,
  launchService,
  mongoUriWithDatabase,
  readEvents,
  type IsolatedInfra,
  type LaunchedService,
} from '@conecta/test-kit';
import {
  IDENTITY_HEADER,
  createLogger,
  signIdentity,
} from '@conecta/service-kit';
import { issueToken } from '../src/auth';
import { parseGatewayConfig } from '../src/env';
import { createGatewayServer, type GatewayServer } from '../src/server';
import { SUBGRAPHS, urlVariable } from '../src/subgraphs';

// End to end: every subgraph as a real process on real MongoDB (each its own
// database) and Kafka, the real gateway in front, a client that only speaks to
// the gateway.
const IDENTITY_SECRET = 'e2e-identity-secret-with-at-least-32-chars';
const JWT_SECRET = 'e2e-jwt-secret-with-at-least-32-characters';

let infra: IsolatedInfra;
let subgraphs: Map<string, LaunchedService>;
let gateway: GatewayServer;
let gatewayUrl: string;

async function post(
  body: unknown,
  token?: string,
): Promise<{ data?: any; errors?: any[] }> {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { data?: any; errors?: any[] };
}

beforeAll(async () => {
  infra = isolatedInfra('gateway-e2e');
  const launched = await Promise.all(
    SUBGRAPHS.map((s) =>
      launchService({
        name: s.name,
        script: require.resolve(`@conecta/${s.name}/dist/index.js`),
        env: {
          SERVICE_NAME: s.name,
          MONGODB_URI: mongoUriWithDatabase(
            infra.mongoUri,
            `${infra.dbName}_${s.name}`,
          ),
          KAFKA_BROKERS: infra.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: infra.topicPrefix,
          IDENTITY_SECRET,
          LOG_LEVEL: 'warn',
        },
      }),
    ),
  );
  subgraphs = new Map(SUBGRAPHS.map((s, i) => [s.name, launched[i]!]));
  const urls = Object.fromEntries(
    SUBGRAPHS.map((s) => [
      urlVariable(s.name),
      subgraphs.get(s.name)!.graphqlUrl,
    ]),
  );
  const config = parseGatewayConfig({
    PORT: '0',
    IDENTITY_SECRET,
    JWT_SECRET,
    LOG_LEVEL: 'silent',
    ...urls,
  });
  gateway = createGatewayServer(
    config,
    createLogger({ name: 'gateway-test', level: 'silent' }),
  );
  gatewayUrl = await gateway.start(0);
});

afterAll(async () => {
  await gateway?.stop();
  await Promise.all(
    [...(subgraphs?.values() ?? [])].map((service) => service.stop()),
  );
  await infra?.cleanup();
});

const jwt = { secret: JWT_SECRET, issuer: 'conecta', audience: 'conecta-api' };

describe('the gateway in front of committees', () => {
  it('creates an organization through the gateway, reads it back, and its event reaches Kafka', async () => {
    const token = await issueToken({ sub: 'admin-1', roles: ['admin'] }, jwt);
    const taxId = companyRfc();
    const created = await post(
      {
        query: `mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id taxId } }`,
        variables: {
          input: {
            name: 'Clúster de Tecnologías de Información de Jalisco',
            kind: 'INDUSTRY_CLUSTER',
            state: 'MX-JAL',
            taxId,
          },
        },
      },
      token,
    );
    expect(created.errors).toBeUndefined();
    const id = created.data.registerOrganization.id as string;

    const read = await post({
      query: `query ($id: ID!) { organization(id: $id) { name kind stateName taxId } }`,
      variables: { id },
    });
    expect(read.data.organization).toEqual({
      name: 'Clúster de Tecnologías de Información de Jalisco',
      kind: 'INDUSTRY_CLUSTER',
      stateName: 'Jalisco',
      taxId,
    });

    // An independent consumer, not the service's own code, sees the fact on Kafka.
    const [message] = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.committees.events`,
      until: (m) => m.key === id,
    });
    expect(message?.event).toMatchObject({
      type: 'committees.OrganizationRegistered',
      subject: id,
      data: { taxId },
    });
  });

  it('forwards the caller identity: an anonymous caller is asked to authenticate before registering', async () => {
    const res = await post({
      query: `mutation { registerOrganization(input: { name: "Anónimo", kind: COMPANY, state: "MX-JAL", taxId: "${companyRfc()}" }) { id } }`,
    });
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
  });

  it('forwards the caller identity: a university cannot register organizations', async () => {
    const token = await issueToken(
      { sub: 'rector-1', roles: ['university'] },
      jwt,
    );
    const res = await post(
      {
        query: `mutation { registerOrganization(input: { name: "Universidad", kind: UNIVERSITY, state: "MX-JAL", taxId: "${companyRfc()}" }) { id } }`,
      },
      token,
    );
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses an invalid bearer token with UNAUTHENTICATED', async () => {
    const res = await post({ query: '{ sectors { code } }' }, 'not-a-jwt');
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a subgraph called directly, without the gateway signature, refuses the request', async () => {
    const response = await fetch(subgraphs.get('committees')!.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ sectors { code } }' }),
    });
    const body = (await response.json()) as {
      errors?: { extensions?: { code?: string } }[];
    };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a subgraph called directly with a tampered or foreign-signed identity refuses the request', async () => {
    const signed = signIdentity(
      { subject: 'intruder', roles: ['public'], issuedAt: Date.now() },
      IDENTITY_SECRET,
    );
    // Same signature, payload rewritten to claim admin.
    const tampered = {
      ...signed,
      [IDENTITY_HEADER]: Buffer.from(
        JSON.stringify({
          subject: 'intruder',
          roles: ['admin'],
          issuedAt: Date.now(),
        }),
      ).toString('base64url'),
    };
    const foreign = signIdentity(
      { subject: 'intruder', roles: ['admin'], issuedAt: Date.now() },
      'another-secret-that-is-at-least-32-chars-long',
    );
    for (const headers of [tampered, foreign]) {
      const response = await fetch(subgraphs.get('committees')!.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ sectors { code } }' }),
      });
      expect(response.status).toBe(401);
      const body = (await response.json()) as {
        errors?: { extensions?: { code?: string; reason?: string } }[];
      };
      expect(body.errors?.[0]?.extensions).toMatchObject({
        code: 'UNAUTHENTICATED',
        reason: 'IDENTITY_INVALID',
      });
    }
  });

  it('reports ready when the supergraph is loaded and every subgraph answers', async () => {
    const response = await fetch(gatewayUrl.replace(/\/graphql$/, '/ready'));
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ready',
      checks: { supergraph: 'ok', committees: 'ok' },
    });
  });
});

describe('committees and standards through Kafka', () => {
  // Polls until the projection has caught up (events travel through Kafka).
  async function eventually<T>(
    attempt: () => Promise<T | undefined>,
    what: string,
  ): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const result = await attempt();
      if (result !== undefined) return result;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  it('a committee installed in committees lets standards accept its draft, and the graph joins them', async () => {
    const token = await issueToken({ sub: 'admin-2', roles: ['admin'] }, jwt);
    const ok = async (
      query: string,
      variables: Record<string, unknown> = {},
    ) => {
      const res = await post({ query, variables }, token);
      expect(res.errors).toBeUndefined();
      return res.data;
    };
    const sector = (
      await ok(
        `mutation ($i: RegisterSectorInput!) { registerSector(input: $i) { id } }`,
        {
          i: {
            code: String(510_000 + Math.floor(Math.random() * 90_000)),
            name: 'Servicios de información',
            kind: 'PRODUCTIVE',
          },
        },
      )
    ).registerSector.id as string;
    const register = async (name: string, kind: string) =>
      (
        await ok(
          `mutation ($i: RegisterOrganizationInput!) { registerOrganization(input: $i) { id } }`,
          {
            i: { name, kind, state: 'MX-NLE', taxId: companyRfc() },
          },
        )
      ).registerOrganization.id as string;
    const company = await register('Grupo Industrial del Norte', 'COMPANY');
    const union = await register(
      'Sindicato de Trabajadores de la Industria',
      'TRADE_UNION',
    );

    const committee = (
      await ok(
        `mutation ($i: ProposeCommitteeInput!) { proposeCommittee(input: $i) { id status } }`,
        {
          i: {
            name: 'Comité de Gestión por Competencias de TI',
            sectorId: sector,
            scope: 'NATIONAL',
          },
        },
      )
    ).proposeCommittee.id as string;
    const draft = {
      committeeId: committee,
      sectorId: sector,
      title: 'Desarrollo de software en la nube',
      purpose: 'Certificar a quienes desarrollan aplicaciones en la nube',
      level: 3,
      elements: [
        {
          title: 'Diseñar la solución',
          performanceCriteria: ['Documenta la arquitectura'],
          knowledge: ['Patrones de nube'],
        },
      ],
      validity: { certificateValidityYears: 3, reviewIntervalYears: 5 },
    };
    const DRAFT = `mutation ($i: DraftStandardInput!) { draftStandard(input: $i) { id code status } }`;

    // Not installed yet: standards refuses the draft.
    const refused = await post(
      { query: DRAFT, variables: { i: draft } },
      token,
    );
    expect(refused.errors?.[0]?.extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'COMMITTEE_NOT_INSTALLED',
    });

    for (const [organizationId, side] of [
      [company, 'EMPLOYER'],
      [union, 'LABOR'],
    ] as const) {
      await ok(
        `mutation ($i: AddCommitteeMemberInput!) { addCommitteeMember(input: $i) { id } }`,
        {
          i: {
            committeeId: committee,
            organizationId,
            side,
            positionTitle: 'Director General',
            decisionMakerRole:
              side === 'EMPLOYER'
                ? 'CHIEF_EXECUTIVE'
                : 'UNION_GENERAL_SECRETARY',
          },
        },
      );
    }
    await ok(
      `mutation ($i: CommitteeMemberRefInput!) { appointCommitteeChair(input: $i) { id } }`,
      { i: { committeeId: committee, organizationId: company } },
    );
    expect(
      (
        await ok(
          `mutation ($id: ID!) { installCommittee(id: $id) { status } }`,
          { id: committee },
        )
      ).installCommittee.status,
    ).toBe('INSTALLED');

    // CommitteeInstalled travels through Kafka to standards' projection.
    const standard = await eventually(async () => {
      const res = await post({ query: DRAFT, variables: { i: draft } }, token);
      return res.errors
        ? undefined
        : (res.data.draftStandard as {
            id: string;
            code: string;
            status: string;
          });
    }, 'standards to accept the draft');
    expect(standard).toMatchObject({
      status: 'DRAFT',
      code: expect.stringMatching(/^EC\d{4}$/),
    });

    // One federated query: the committee (committees) with its standards (standards).
    const joined = await ok(
      `query ($id: ID!) { committee(id: $id) { name status standards { id code status } } }`,
      { id: committee },
    );
    expect(joined.committee).toMatchObject({
      status: 'INSTALLED',
      standards: [{ id: standard.id, status: 'DRAFT' }],
    });
  });
});
