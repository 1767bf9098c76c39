import { signIdentity } from '@conecta/service-kit';
import {
  TEST_IDENTITY_SECRET,
  createTestClient,
  retrying,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import type { CertificationService } from '../../src/server';
import {
  REGISTER_PERSON,
  REQUEST,
  admin,
  certifyingBody,
} from '../fixtures/flows';
import { personMother } from '../fixtures/mothers';
import { startCertification } from '../fixtures/service';

// Issue 14: the same refusal in the caller's language; code, reason and
// field never change with it.

const SUSPEND = `mutation ($id: ID!, $r: String!) { suspendAccreditation(id: $id, reason: $r) { status } }`;

let infra: IsolatedInfra;
let service: CertificationService;
let url: string;
let client: TestClient;
let network: Awaited<ReturnType<typeof startCertification>>['network'];

beforeAll(async () => {
  ({ infra, service, url, client, network } = await startCertification(
    'certification-messages',
  ));
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await service?.stop();
  await infra?.cleanup();
});

const clientIn = (acceptLanguage: string | null) =>
  createTestClient({
    url,
    secret: TEST_IDENTITY_SECRET,
    service: 'certification',
    acceptLanguage,
  });

it('refuses a bad CURP and a bad email in Spanish for es-MX and in English for en-US, with the same code and fields', async () => {
  const input = personMother.candidate({
    curp: 'HEGG560427MVZRRL05',
    email: 'maria.lopez',
  });
  const [spanish, english] = await Promise.all([
    clientIn('es-MX').request(REGISTER_PERSON, { input }, admin),
    clientIn('en-US').request(REGISTER_PERSON, { input }, admin),
  ]);
  const same = {
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_CURP',
    field: 'input.curp',
  };
  expect(spanish.errors).toHaveLength(1);
  expect(spanish.errors![0]).toMatchObject({
    message:
      'input.curp: no es una CURP válida (18 caracteres: iniciales, fecha de nacimiento, sexo, estado, consonantes, dígito verificador); input.email: debe ser una dirección de correo electrónico',
    extensions: {
      ...same,
      fields: [
        {
          field: 'input.curp',
          message:
            'no es una CURP válida (18 caracteres: iniciales, fecha de nacimiento, sexo, estado, consonantes, dígito verificador)',
        },
        {
          field: 'input.email',
          message: 'debe ser una dirección de correo electrónico',
        },
      ],
    },
  });
  expect(english.errors).toHaveLength(1);
  expect(english.errors![0]).toMatchObject({
    message:
      'input.curp: is not a valid CURP (18 characters: initials, birth date, sex, state, consonants, check digit); input.email: must be an email address',
    extensions: {
      ...same,
      fields: [
        {
          field: 'input.curp',
          message:
            'is not a valid CURP (18 characters: initials, birth date, sex, state, consonants, check digit)',
        },
        { field: 'input.email', message: 'must be an email address' },
      ],
    },
  });
});

it('refuses to suspend a PENDING accreditation naming both statuses, in Spanish by default and in English on request, and says so in Content-Language', async () => {
  const organization = await network.organization(
    'Cámara de la Industria de la Construcción de Jalisco',
  );
  const standard = await network.publishedStandard();
  const body = await certifyingBody(
    client,
    'Cámara de la Industria de la Construcción de Jalisco',
    organization,
  );
  const { requestAccreditation } = await retrying(() =>
    client.ok(REQUEST, { b: body.id, s: standard.id }, admin),
  );
  expect(requestAccreditation.status).toBe('PENDING');
  const suspension = {
    id: requestAccreditation.id,
    r: 'Auditoría con hallazgos graves',
  };

  const [byDefault, english] = await Promise.all([
    clientIn(null).request(SUSPEND, suspension, admin),
    client.request(SUSPEND, suspension, admin),
  ]);
  const same = {
    code: 'CONFLICT',
    reason: 'ACCREDITATION_TRANSITION_NOT_ALLOWED',
  };
  expect(byDefault.errors?.[0]).toMatchObject({
    message: 'Una acreditación en estado PENDING no puede pasar a SUSPENDED',
    extensions: same,
  });
  expect(english.errors?.[0]).toMatchObject({
    message: 'An accreditation in status PENDING cannot become SUSPENDED',
    extensions: same,
  });

  // The same request signed as the gateway signs it, read raw for its headers.
  const request = JSON.stringify({ query: SUSPEND, variables: suspension });
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'accept-language': 'es-MX,es;q=0.9,en;q=0.5',
      ...signIdentity(
        { ...admin, roles: admin.roles ?? [], issuedAt: Date.now() },
        TEST_IDENTITY_SECRET,
        { audience: 'certification', body: request },
      ),
    },
    body: request,
  });
  expect(response.headers.get('content-language')).toBe('es-MX');
  expect(((await response.json()) as any).errors[0]).toMatchObject({
    message: 'Una acreditación en estado PENDING no puede pasar a SUSPENDED',
    extensions: same,
  });
});
