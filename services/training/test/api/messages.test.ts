import { v7 as uuidv7 } from 'uuid';
import { TEST_IDENTITY_SECRET, createTestClient } from '@conecta/test-kit';
import {
  GQL,
  broker,
  inputMother as input,
  startTraining,
  type RunningTraining,
  type World,
} from '../fixtures/service';

// Issue 14: the same refusal in the caller's language; code, reason and
// field never change with it.

let running: RunningTraining;

beforeAll(async () => {
  running = await startTraining('training-messages');
});
afterAll(() => running?.stop());

const clientIn = (acceptLanguage: string | null) =>
  createTestClient({
    url: running.url,
    secret: TEST_IDENTITY_SECRET,
    service: 'training',
    acceptLanguage,
  });

// Both refusals come before any reference is looked up: ids nobody knows do.
const nowhere = { standardId: uuidv7(), providerId: uuidv7() } as World;

it('refuses a discount above the cap in Spanish for es-MX and in English for en-US, naming the limit', async () => {
  const deal = { input: input.agreement(nowhere, { discountBps: 7_001 }) };
  const [spanish, english] = await Promise.all([
    clientIn('es-MX').request(GQL.sign, deal, broker),
    clientIn('en-US').request(GQL.sign, deal, broker),
  ]);
  const same = {
    code: 'BAD_USER_INPUT',
    reason: 'DISCOUNT_OUT_OF_RANGE',
    field: 'input.discountBps',
  };
  expect(spanish.errors?.[0]).toMatchObject({
    message:
      'debe ser como máximo 7000 puntos base (70%), el tope de descuento del fabricante',
    extensions: same,
  });
  expect(english.errors?.[0]).toMatchObject({
    message: 'must be at most 7000 basis points (70%), the vendor discount cap',
    extensions: same,
  });
});

it('asks a broker who records demand for the organization in Spanish by default and in English on request', async () => {
  const demand = { input: input.demand(nowhere) };
  const [byDefault, english] = await Promise.all([
    clientIn(null).request(GQL.request, demand, broker),
    clientIn('en-US').request(GQL.request, demand, broker),
  ]);
  const same = {
    code: 'BAD_USER_INPUT',
    reason: 'REQUESTER_REQUIRED',
    field: 'input.requesterId',
  };
  expect(byDefault.errors?.[0]).toMatchObject({
    message:
      'es obligatorio cuando un bróker registra demanda en nombre de una organización',
    extensions: same,
  });
  expect(english.errors?.[0]).toMatchObject({
    message: 'is required when a broker records demand for an organization',
    extensions: same,
  });
});
