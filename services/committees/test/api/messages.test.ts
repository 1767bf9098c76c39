import { TEST_IDENTITY_SECRET, createTestClient } from '@conecta/test-kit';
import { organizationMother } from '../fixtures/mothers';
import {
  GQL,
  admin,
  startCommittees,
  type RunningCommittees,
} from '../fixtures/service';

// Issue 14: the same refusal in the caller's language; code, reason and
// field never change with it.

let running: RunningCommittees;

beforeAll(async () => {
  running = await startCommittees('messages');
});
afterAll(() => running?.stop());

const clientIn = (acceptLanguage: string | null) =>
  createTestClient({
    url: running.url,
    secret: TEST_IDENTITY_SECRET,
    service: 'committees',
    acceptLanguage,
  });

const badOrganization = () =>
  organizationMother.chamber({ name: 'A', taxId: 'NOT-AN-RFC' });

it('answers bad input in Spanish for es-MX and in English for en-US, with the same code and fields', async () => {
  const spanish = await clientIn('es-MX').request(
    GQL.registerOrganization,
    { input: badOrganization() },
    admin,
  );
  const english = await clientIn('en-US').request(
    GQL.registerOrganization,
    { input: badOrganization() },
    admin,
  );
  expect(spanish.errors).toHaveLength(1);
  expect(english.errors).toHaveLength(1);
  const [es] = spanish.errors!;
  const [en] = english.errors!;
  expect(es!.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_INPUT',
    field: 'input.name',
    fields: [
      { field: 'input.name', message: 'debe tener al menos 2 caracteres' },
      {
        field: 'input.taxId',
        message:
          'no es un RFC válido (12 o 13 caracteres con una fecha y un dígito verificador válidos)',
      },
    ],
  });
  expect(en!.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    reason: 'INVALID_INPUT',
    field: 'input.name',
    fields: [
      { field: 'input.name', message: 'must have at least 2 characters' },
      {
        field: 'input.taxId',
        message:
          'is not a valid RFC (12 or 13 characters with a valid date and verification digit)',
      },
    ],
  });
  expect(es!.message).toBe(
    'input.name: debe tener al menos 2 caracteres; input.taxId: no es un RFC válido (12 o 13 caracteres con una fecha y un dígito verificador válidos)',
  );
  expect(en!.message).toBe(
    'input.name: must have at least 2 characters; input.taxId: is not a valid RFC (12 or 13 characters with a valid date and verification digit)',
  );
});

it('answers a domain refusal with its values in Spanish when no language is asked for, and says so in Content-Language', async () => {
  const organization = organizationMother.chamber();
  await running.client.ok(
    GQL.registerOrganization,
    { input: organization },
    admin,
  );
  const again = await clientIn(null).request(
    GQL.registerOrganization,
    { input: organizationMother.chamber({ taxId: organization.taxId }) },
    admin,
  );
  expect(again.errors?.[0]).toMatchObject({
    message: `Ya está registrada una organización con el RFC ${organization.taxId}`,
    extensions: {
      code: 'CONFLICT',
      reason: 'ORGANIZATION_TAX_ID_TAKEN',
      field: 'input.taxId',
    },
  });
  const english = await running.client.request(
    GQL.registerOrganization,
    { input: organizationMother.chamber({ taxId: organization.taxId }) },
    admin,
  );
  expect(english.errors?.[0]?.message).toBe(
    `An organization with RFC ${organization.taxId} is already registered`,
  );
  const response = await fetch(running.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': 'fr-FR' },
    body: JSON.stringify({ query: '{ __typename }' }),
  });
  expect(response.headers.get('content-language')).toBe('es-MX');
  expect(((await response.json()) as any).errors[0]).toMatchObject({
    message:
      'Falta la identidad: las solicitudes deben llegar por la puerta de enlace (gateway)',
    extensions: { code: 'UNAUTHENTICATED', reason: 'IDENTITY_MISSING' },
  });
});
