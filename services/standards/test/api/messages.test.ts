import { v7 as uuidv7 } from 'uuid';
import { loadConfig } from '@conecta/service-kit';
import {
  TEST_IDENTITY_SECRET,
  createTestClient,
  startSubgraph,
  type AsIdentity,
} from '@conecta/test-kit';
import { standardsConfig } from '../../src/env';
import { createStandardsService } from '../../src/server';
import { admin, standardMutations } from '../fixtures/api';
import { standardMother } from '../fixtures/mothers';

// Issue 14: the same refusal in the caller's language; code, reason and
// field never change with it.

const { DRAFT, VOTE } = standardMutations('id');
let running: Awaited<ReturnType<typeof startStandards>>;

const startStandards = () =>
  startSubgraph({
    name: 'standards',
    label: 'standards-messages',
    config: (env) => loadConfig(standardsConfig, env),
    create: createStandardsService,
  });

beforeAll(async () => {
  running = await startStandards();
});
afterAll(() => running?.stop());

const clientIn = (acceptLanguage: string | null) =>
  createTestClient({
    url: running.url,
    secret: TEST_IDENTITY_SECRET,
    service: 'standards',
    acceptLanguage,
  });

/** A draft whose title is too short and whose level is off the framework. */
const badDraft = () =>
  standardMother.draftInput(
    { id: uuidv7(), sectorId: uuidv7() },
    { title: 'Abc', level: 7 },
  );

it('answers bad input in Spanish for es-MX and in English for en-US, with the same code and fields', async () => {
  const [spanish, english] = await Promise.all([
    clientIn('es-MX').request(DRAFT, { input: badDraft() }, admin),
    clientIn('en-US').request(DRAFT, { input: badDraft() }, admin),
  ]);
  expect(spanish.errors?.[0]).toMatchObject({
    message:
      'input.title: debe tener al menos 5 caracteres; input.level: debe ser de 1 a 5',
    extensions: {
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_INPUT',
      field: 'input.title',
      fields: [
        { field: 'input.title', message: 'debe tener al menos 5 caracteres' },
        { field: 'input.level', message: 'debe ser de 1 a 5' },
      ],
    },
  });
  expect(english.errors?.[0]).toMatchObject({
    message:
      'input.title: must have at least 5 characters; input.level: must be 1 to 5',
    extensions: {
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_INPUT',
      field: 'input.title',
      fields: [
        { field: 'input.title', message: 'must have at least 5 characters' },
        { field: 'input.level', message: 'must be 1 to 5' },
      ],
    },
  });
});

it('refuses a vote through a seat the caller does not hold in Spanish by default, naming the seat, and in English on request', async () => {
  const councillor: AsIdentity = {
    subject: `councillor-${uuidv7()}`,
    roles: ['council'],
  };
  const vote = { id: uuidv7(), seat: 'EMPLOYER_2', vote: 'IN_FAVOR' };
  const [byDefault, english] = await Promise.all([
    clientIn(null).request(VOTE, vote, councillor),
    clientIn('en-US').request(VOTE, vote, councillor),
  ]);
  expect(byDefault.errors?.[0]).toMatchObject({
    message:
      'Solo la persona designada para el asiento EMPLOYER_2 puede emitir su voto',
    extensions: { code: 'FORBIDDEN', reason: 'SEAT_NOT_HELD' },
  });
  expect(english.errors?.[0]).toMatchObject({
    message: 'Only the person appointed to seat EMPLOYER_2 may cast its vote',
    extensions: { code: 'FORBIDDEN', reason: 'SEAT_NOT_HELD' },
  });
});
