import { companyRfc, readEvents } from '@conecta/test-kit';
import { IDENTITY_HEADER, signIdentity } from '@conecta/service-kit';
import {
  TEST_SYSTEM_IDENTITY_SECRET,
  sharedTestSystem,
  type Actor,
  type TestSystem,
} from './support/system';

// End to end: every subgraph as a real process on real MongoDB (each its own
// database) and Kafka, the real gateway in front, a client that only speaks to
// the gateway. The whole national flow is in national-scenario.test.ts.
let system: TestSystem;

beforeAll(async () => {
  system = await sharedTestSystem('gateway-e2e');
}, 120_000);

afterAll(async () => {
  await system?.stop();
}, 60_000);

const post = (body: unknown, actor?: Actor | string) =>
  system.post(body, actor);

describe('the gateway in front of committees', () => {
  it('creates an organization through the gateway, reads it back, and its event reaches Kafka', async () => {
    const token = await system.tokenFor({ sub: 'admin-1', roles: ['admin'] });
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
      brokers: system.infra.kafkaBrokers,
      topic: `${system.infra.topicPrefix}conecta.committees.events`,
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
    const token = await system.tokenFor({
      sub: 'rector-1',
      roles: ['university'],
    });
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
    const response = await fetch(
      system.subgraphs.get('committees')!.graphqlUrl,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ sectors { code } }' }),
      },
    );
    const body = (await response.json()) as {
      errors?: { extensions?: { code?: string } }[];
    };
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a subgraph called directly with a tampered or foreign-signed identity refuses the request', async () => {
    const query = JSON.stringify({ query: '{ sectors { code } }' });
    const binding = { audience: 'committees', body: query };
    const signed = signIdentity(
      { subject: 'intruder', roles: ['public'], issuedAt: Date.now() },
      TEST_SYSTEM_IDENTITY_SECRET,
      binding,
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
      binding,
    );
    for (const headers of [tampered, foreign]) {
      const response = await fetch(
        system.subgraphs.get('committees')!.graphqlUrl,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body: query,
        },
      );
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

  it('a subgraph refuses a valid signed pair replayed on another body or on another subgraph', async () => {
    const query = JSON.stringify({ query: '{ sectors { code } }' });
    const captured = signIdentity(
      { subject: 'member-1', roles: ['admin'], issuedAt: Date.now() },
      TEST_SYSTEM_IDENTITY_SECRET,
      { audience: 'committees', body: query },
    );
    const send = async (service: string, body: string) => {
      const response = await fetch(system.subgraphs.get(service)!.graphqlUrl, {
        method: 'POST',
        // An English-speaking caller: the API answers Spanish by default.
        headers: {
          'content-type': 'application/json',
          'accept-language': 'en',
          ...captured,
        },
        body,
      });
      return {
        status: response.status,
        body: (await response.json()) as {
          data?: unknown;
          errors?: { message: string; extensions?: Record<string, unknown> }[];
        },
      };
    };
    // The pair works for the request it was signed for…
    expect((await send('committees', query)).body.errors).toBeUndefined();
    // …and for nothing else.
    const otherBody = await send(
      'committees',
      JSON.stringify({
        query: '{ committees(first: 50) { edges { node { id } } } }',
      }),
    );
    expect(otherBody.status).toBe(401);
    expect(otherBody.body.errors?.[0]).toMatchObject({
      message: 'Identity was signed for another request body',
      extensions: { code: 'UNAUTHENTICATED', reason: 'IDENTITY_BODY_MISMATCH' },
    });
    const otherSubgraph = await send(
      'standards',
      JSON.stringify({ query: '{ __typename }' }),
    );
    expect(otherSubgraph.status).toBe(401);
    expect(otherSubgraph.body.errors?.[0]?.extensions).toMatchObject({
      code: 'UNAUTHENTICATED',
      reason: 'IDENTITY_WRONG_AUDIENCE',
    });
  });

  it('reports ready when the supergraph is loaded and every subgraph answers', async () => {
    const response = await fetch(`${system.operatorUrl}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: 'ready',
      checks: { supergraph: 'ok', committees: 'ok' },
    });
  });
});

// The certifyingBody comes from certification: the plan adds an _entities
// query after the committees mutation, which must not take the key.
const REGISTER = `mutation ($input: RegisterOrganizationInput!) {
  registerOrganization(input: $input) { id taxId certifyingBody { id } }
}`;

const IDEMPOTENT_ADMIN: Actor = { sub: 'admin-idem', roles: ['admin'] };

interface Answer {
  status: number;
  replayed: string | null;
  body: {
    data?: any;
    errors?: { message: string; extensions: Record<string, unknown> }[];
  };
}

async function postWithKey(
  query: string,
  variables: Record<string, unknown>,
  key?: string,
): Promise<Answer> {
  const response = await fetch(system.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${await system.tokenFor(IDEMPOTENT_ADMIN)}`,
      ...(key !== undefined ? { 'idempotency-key': key } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return {
    status: response.status,
    replayed: response.headers.get('idempotent-replayed'),
    body: (await response.json()) as Answer['body'],
  };
}

const organizationInput = (
  taxId: string,
  name = 'Cooperativa Idempotente',
) => ({
  input: { name, kind: 'COMPANY', state: 'MX-JAL', taxId },
});

async function organizationsWith(taxId: string): Promise<number> {
  const { body } = await postWithKey(
    `query ($search: String!) { organizations(filter: { search: $search }) { totalCount } }`,
    { search: taxId },
  );
  expect(body.errors).toBeUndefined();
  return body.data.organizations.totalCount as number;
}

// Issue 13, item 5: a partner retrying a create mutation through the gateway
// with the same Idempotency-Key gets the first answer, and nothing is created
// twice.
describe('an Idempotency-Key on a mutation through the gateway', () => {
  it('answers a retry with the first answer and the same id, and registers one organization', async () => {
    const taxId = companyRfc();
    const key = crypto.randomUUID();
    const first = await postWithKey(REGISTER, organizationInput(taxId), key);
    const retry = await postWithKey(REGISTER, organizationInput(taxId), key);

    expect(first.body.errors).toBeUndefined();
    expect(first.body.data.registerOrganization).toEqual({
      id: expect.any(String),
      taxId,
      certifyingBody: null,
    });
    expect(retry.body).toEqual(first.body);
    expect(first.replayed).toBeNull();
    expect(retry.replayed).toBe('true');
    expect(await organizationsWith(taxId)).toBe(1);
  });

  it('refuses the same key with another body, naming the header', async () => {
    const key = crypto.randomUUID();
    await postWithKey(REGISTER, organizationInput(companyRfc()), key);
    const otherTaxId = companyRfc();
    const other = await postWithKey(
      REGISTER,
      organizationInput(otherTaxId),
      key,
    );

    expect(other.body.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({
          code: 'CONFLICT',
          reason: 'IDEMPOTENCY_KEY_REUSED',
          field: 'Idempotency-Key',
        }),
      }),
    ]);
    expect(await organizationsWith(otherTaxId)).toBe(0);
  });

  it('refuses a malformed key with BAD_USER_INPUT naming the header, before anything runs', async () => {
    const taxId = companyRfc();
    const answer = await postWithKey(
      REGISTER,
      organizationInput(taxId),
      'not a key',
    );

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({
          code: 'BAD_USER_INPUT',
          reason: 'INVALID_IDEMPOTENCY_KEY',
          field: 'Idempotency-Key',
        }),
      }),
    ]);
    expect(await organizationsWith(taxId)).toBe(0);
  });

  it('answers a query sent with a key as usual', async () => {
    const answer = await postWithKey(
      `query { organizations(first: 1) { totalCount } }`,
      {},
      crypto.randomUUID(),
    );

    expect(answer.body.errors).toBeUndefined();
    expect(answer.replayed).toBeNull();
  });
});

describe('errors in the language the client asks for (Accept-Language)', () => {
  /** A request through the gateway in `language` (none: no header). */
  async function postIn(
    language: string | undefined,
    body: unknown,
    token?: string,
  ) {
    const response = await fetch(system.gatewayUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(language ? { 'accept-language': language } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      contentLanguage: response.headers.get('content-language'),
      cache: response.headers.get('x-cache'),
      body: (await response.json()) as {
        data?: any;
        errors?: { message: string; extensions?: Record<string, any> }[];
      },
    };
  }

  const REGISTER = `mutation ($input: RegisterOrganizationInput!) { registerOrganization(input: $input) { id } }`;
  const badOrganization = {
    name: 'Clúster de Tecnologías de Información de Jalisco',
    kind: 'INDUSTRY_CLUSTER',
    state: 'MX-JAL',
    taxId: 'NOT-AN-RFC',
  };

  it("answers a subgraph's refusal in Spanish for es-MX and by default, in English for en-US, with the same code, reason and field", async () => {
    const token = await system.tokenFor({ sub: 'admin-1', roles: ['admin'] });
    const spanish = await postIn(
      'es-MX',
      { query: REGISTER, variables: { input: badOrganization } },
      token,
    );
    const byDefault = await postIn(
      undefined,
      { query: REGISTER, variables: { input: badOrganization } },
      token,
    );
    const english = await postIn(
      'en-US,en;q=0.9',
      { query: REGISTER, variables: { input: badOrganization } },
      token,
    );
    const spanishMessage =
      'no es un RFC válido (12 o 13 caracteres con una fecha y un dígito verificador válidos)';
    for (const answer of [spanish, byDefault]) {
      expect(answer.contentLanguage).toBe('es-MX');
      expect(answer.body.errors?.[0]).toMatchObject({
        message: spanishMessage,
        extensions: {
          code: 'BAD_USER_INPUT',
          reason: 'INVALID_INPUT',
          field: 'input.taxId',
          fields: [{ field: 'input.taxId', message: spanishMessage }],
          serviceName: 'committees',
        },
      });
    }
    expect(english.contentLanguage).toBe('en');
    expect(english.body.errors?.[0]).toMatchObject({
      message:
        'is not a valid RFC (12 or 13 characters with a valid date and verification digit)',
      extensions: {
        code: 'BAD_USER_INPUT',
        reason: 'INVALID_INPUT',
        field: 'input.taxId',
        serviceName: 'committees',
      },
    });
  });

  it("answers the gateway's own refusals in the client's language too", async () => {
    const spanish = await postIn(
      'es',
      { query: '{ sectors { code } }' },
      'not-a-jwt',
    );
    const english = await postIn(
      'en',
      { query: '{ sectors { code } }' },
      'not-a-jwt',
    );
    expect(spanish.status).toBe(401);
    expect(spanish.body.errors?.[0]).toMatchObject({
      message: 'Token no válido',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(english.body.errors?.[0]).toMatchObject({
      message: 'Invalid token',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('never hands one language’s answer to a caller of the other, even for identical queries in flight together', async () => {
    // Anonymous callers share in-flight subgraph calls for identical queries;
    // the language is part of what they share on.
    const query = {
      query:
        '{ organizations(first: 1, after: "not-a-cursor") { totalCount } }',
    };
    const languages = [
      'es-MX',
      'en',
      'es-MX',
      'en',
      'es-MX',
      'en',
      'es-MX',
      'en',
    ];
    const answers = await Promise.all(
      languages.map((language) => postIn(language, query)),
    );
    answers.forEach((answer, i) => {
      const english = languages[i] === 'en';
      expect(answer.contentLanguage).toBe(english ? 'en' : 'es-MX');
      expect(answer.body.errors?.[0]).toMatchObject({
        message: english
          ? 'is not a cursor returned by this API'
          : 'no es un cursor devuelto por esta API',
        extensions: {
          code: 'BAD_USER_INPUT',
          reason: 'INVALID_CURSOR',
          field: 'after',
        },
      });
    });
  });

  it('keeps cached answers apart by language', async () => {
    // The gateway tests share one system, and another file's write to
    // committees between two of these requests rightly drops the entries
    // (x-cache MISS): the sequence is tried again then, at most 5 times, and
    // must be seen whole once. A Spanish answer is never served in English.
    const sequences: string[][] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const query = {
        query: `query Sectors${attempt} { sectors { code name } }`,
      };
      const spanish = await postIn('es-MX', query);
      const spanishAgain = await postIn('es-MX', query);
      const english = await postIn('en', query);
      const englishAgain = await postIn('en', query);
      for (const answer of [english, englishAgain])
        expect(answer.contentLanguage).toBe('en');
      expect(englishAgain.body.data).toEqual(spanish.body.data);
      sequences.push(
        [spanish, spanishAgain, english, englishAgain].map((a) => a.cache!),
      );
      if (sequences.at(-1)!.join() === 'MISS,HIT,MISS,HIT') break;
    }
    expect(sequences).toContainEqual(['MISS', 'HIT', 'MISS', 'HIT']);
  });
});
