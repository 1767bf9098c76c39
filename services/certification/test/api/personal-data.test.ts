import {
  commandsBetween,
  readEvents,
  requestCommandsAt,
  type AsIdentity,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import type { CertificationService } from '../../src/server';
import {
  ACCEPT,
  DECLINE,
  ISSUE,
  PROPOSE,
  RECORD,
  REGISTER_PERSON,
  accredited,
  admin,
  adminCandidacy,
  certifyingBody,
  drained,
  evaluation,
  extensionsOf,
  registeredPerson,
  type Body,
} from '../fixtures/flows';
import { personMother } from '../fixtures/mothers';
import type { StandardFacts } from '../fixtures/network';
import { startCertification } from '../fixtures/service';

// Issue 12, finding 4: any evaluator could unlock anyone's personal data.
// (1) staff of a body that recorded an evaluation of a person saw the person's
// CURP, names and contacts, and recordEvaluation needed no relationship with
// the candidate; (2) registerPerson returned the existing person for a known
// CURP; (3) staff reads of personal data were not logged. Personal data now
// opens to a body's staff only through a candidacy the person accepted (or an
// admin registered), while it is open or recent, and every such read is
// logged for the person and admins.

const PERSON = `query ReadCandidate($id: ID!) { person(id: $id) { id initials personalDataVisible curp givenNames firstSurname secondSurname email phone } }`;
const CANDIDACIES = `query ($b: ID, $p: ID) { candidacies(certifyingBodyId: $b, personId: $p) { id status openedBy proposedBy certifyingBody { id } standard { id } person { id } } }`;
const READS = `query ($p: ID!, $first: Int, $after: String) { personalDataReads(personId: $p, first: $first, after: $after) { nextCursor reads { id personId readerSubject readerOrganizationId readerRole certifyingBody { id } fields operationName rootField readAt } } }`;

let infra: IsolatedInfra;
let operatorUrl: string;
let service: CertificationService;
let client: TestClient;
let network: Awaited<ReturnType<typeof startCertification>>['network'];
let standard: StandardFacts;
let udg: Body;
let union: Body;

beforeAll(async () => {
  ({ infra, service, client, network, operatorUrl } = await startCertification(
    'certification-personal-data',
  ));
  const orgs = [
    await network.organization('Universidad de Guadalajara'),
    await network.organization('Sindicato Nacional de Telefonistas', 'MX-NLE'),
    await network.organization('CANIETI Occidente'),
  ];
  standard = await network.publishedStandard();
  await network.nominate(standard, orgs);
  udg = await certifyingBody(client, 'Universidad de Guadalajara', orgs[0]!);
  union = await certifyingBody(
    client,
    'Sindicato Nacional de Telefonistas',
    orgs[1]!,
  );
  await accredited(client, udg, standard);
  await accredited(client, union, standard);
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await service?.stop();
  await infra?.cleanup();
});

const read = async (personId: string, as: AsIdentity) =>
  (await client.ok(PERSON, { id: personId }, as)).person;

const hidden = (id: string) => ({
  id,
  initials: 'M.G.L.R.',
  personalDataVisible: false,
  curp: null,
  givenNames: null,
  firstSurname: null,
  secondSurname: null,
  email: null,
  phone: null,
});

const evaluationInput = (
  body: Body,
  candidateId: string,
  result = 'NOT_YET_COMPETENT',
) => ({
  input: {
    certifyingBodyId: body.id,
    candidateId,
    standardId: standard.id,
    evidenceSummary: 'Observación directa de una sesión de capacitación.',
    result,
    evaluatedAt: new Date(Date.now() - 3_600_000).toISOString(),
  },
});

/** A person registered by a body's certifier; the reference registerPerson gives back. */
async function registeredBy(body: Body, overrides = {}) {
  const input = personMother.candidate(overrides);
  const { registerPerson } = await client.ok(
    REGISTER_PERSON,
    { input },
    body.certifier,
  );
  return { reference: registerPerson.reference as string, curp: input.curp };
}

describe('recordEvaluation needs a candidacy (finding 4.1)', () => {
  it('refuses an evaluation of a person the body has no candidacy with, and the attempt opens nothing', async () => {
    const stranger = await registeredPerson(client);
    const res = await client.request(
      RECORD,
      evaluationInput(union, stranger.id),
      union.evaluator,
    );
    expect(extensionsOf(res)).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NO_CANDIDACY',
      field: 'input.candidateId',
    });
    expect(
      await service.stores.evaluations.model.countDocuments({
        candidateId: stranger.id,
      }),
    ).toBe(0);
    expect(await read(stranger.id, union.certifier)).toEqual(
      hidden(stranger.id),
    );
  });

  it('opens personal data to a body only once the person accepts its candidacy', async () => {
    const { reference, curp } = await registeredBy(udg);
    const { proposeCandidacy: proposed } = await client.ok(
      PROPOSE,
      {
        input: {
          certifyingBodyId: udg.id,
          personReference: reference,
          standardId: standard.id,
        },
      },
      udg.evaluator,
    );
    // Proposed: the body does not even learn who the person is.
    expect(proposed).toMatchObject({ status: 'PROPOSED', person: null });
    const early = await client.request(
      RECORD,
      evaluationInput(udg, '00000000-0000-7000-8000-000000000000'),
      udg.evaluator,
    );
    expect(extensionsOf(early)?.['reason']).toBe('NO_CANDIDACY');

    // The person (signed in with their person id) finds and accepts it.
    const personId = (await service.stores.people.findByCurp(curp))!
      .id as string;
    const me: AsIdentity = { subject: personId, roles: ['public'] };
    const mine = await client.ok(CANDIDACIES, { p: personId }, me);
    expect(mine.candidacies).toEqual([
      expect.objectContaining({
        id: proposed.id,
        status: 'PROPOSED',
        certifyingBody: { id: udg.id },
        person: { id: personId },
        // The staff member's sign-in subject is the body's own (finding 7a).
        proposedBy: null,
      }),
    ]);
    const notYet = await client.request(
      RECORD,
      evaluationInput(udg, personId),
      udg.evaluator,
    );
    expect(extensionsOf(notYet)).toMatchObject({
      code: 'CONFLICT',
      reason: 'CANDIDACY_NOT_ACCEPTED',
      field: 'input.candidateId',
    });
    expect(await read(personId, udg.certifier)).toMatchObject({
      personalDataVisible: false,
      curp: null,
    });
    // Nobody else accepts for them.
    for (const as of [udg.evaluator, admin, { subject: 'someone-else' }]) {
      expect(
        extensionsOf(await client.request(ACCEPT, { id: proposed.id }, as))?.[
          'code'
        ],
      ).toBe('FORBIDDEN');
    }
    const { acceptCandidacy } = await client.ok(
      ACCEPT,
      { id: proposed.id },
      me,
    );
    expect(acceptCandidacy).toMatchObject({
      status: 'ACCEPTED',
      openedBy: 'PERSON_ACCEPTED',
      person: { id: personId },
    });

    // Accepted: the body's staff see who it is, evaluate, and read the data.
    const staffView = await client.ok(
      CANDIDACIES,
      { b: udg.id },
      udg.evaluator,
    );
    expect(staffView.candidacies).toContainEqual(
      expect.objectContaining({
        id: proposed.id,
        person: { id: personId },
        proposedBy: udg.evaluator.subject,
      }),
    );
    await client.ok(RECORD, evaluationInput(udg, personId), udg.evaluator);
    expect(await read(personId, udg.certifier)).toMatchObject({
      personalDataVisible: true,
      curp,
      givenNames: 'María Guadalupe',
    });
    // Another body's staff: nothing, and no list of its candidacies.
    expect(await read(personId, union.certifier)).toEqual(hidden(personId));
    expect(
      extensionsOf(
        await client.request(CANDIDACIES, { b: udg.id }, union.evaluator),
      )?.['code'],
    ).toBe('FORBIDDEN');

    const [accepted] = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.certification.events`,
      until: (m) =>
        m.key === proposed.id &&
        m.event.type === 'certification.CandidacyAccepted',
    });
    expect(accepted?.event).toMatchObject({
      version: 1,
      data: {
        id: proposed.id,
        personId,
        certifyingBodyId: udg.id,
        standardId: standard.id,
        openedBy: 'PERSON_ACCEPTED',
      },
    });
    expect(JSON.stringify(accepted?.event)).not.toContain(curp);
  });

  it('opens nothing through a declined candidacy', async () => {
    const { reference, curp } = await registeredBy(union);
    const { proposeCandidacy } = await client.ok(
      PROPOSE,
      {
        input: {
          certifyingBodyId: union.id,
          personReference: reference,
          standardId: standard.id,
        },
      },
      union.certifier,
    );
    const personId = (await service.stores.people.findByCurp(curp))!.id;
    const { declineCandidacy } = await client.ok(
      DECLINE,
      { id: proposeCandidacy.id },
      { subject: personId },
    );
    expect(declineCandidacy.status).toBe('DECLINED');
    expect(
      extensionsOf(
        await client.request(
          ACCEPT,
          { id: proposeCandidacy.id },
          { subject: personId },
        ),
      ),
    ).toMatchObject({
      code: 'CONFLICT',
      reason: 'CANDIDACY_TRANSITION_NOT_ALLOWED',
    });
    expect(
      extensionsOf(
        await client.request(
          RECORD,
          evaluationInput(union, personId),
          union.evaluator,
        ),
      )?.['reason'],
    ).toBe('CANDIDACY_NOT_ACCEPTED');
    expect(await read(personId, union.certifier)).toEqual(hidden(personId));
  });

  it('opens a candidacy an admin registers at once, and closes it PERSONAL_DATA_ACCESS_DAYS after the last evaluation or certificate', async () => {
    const candidate = await registeredPerson(client);
    const candidacyId = await adminCandidacy(
      client,
      udg,
      standard,
      candidate.id,
    );
    expect(await read(candidate.id, udg.evaluator)).toMatchObject({
      personalDataVisible: true,
      curp: candidate.curp,
    });
    const evaluationId = await evaluation(client, udg, standard, candidate.id);
    const { issueCertificate } = await client.ok(
      ISSUE,
      { e: evaluationId },
      udg.certifier,
    );

    // 181 days later (the default window is 180): closed, for every member.
    const longAgo = new Date(Date.now() - 181 * 86_400_000);
    await drained(service.stores.candidacies, candidacyId);
    await drained(service.stores.evaluations, evaluationId);
    await drained(service.stores.certificates, issueCertificate.id);
    await service.stores.candidacies.model.collection.updateOne(
      { _id: candidacyId } as never,
      { $set: { acceptedAt: longAgo, proposedAt: longAgo } },
    );
    await service.stores.evaluations.model.collection.updateOne(
      { _id: evaluationId } as never,
      { $set: { recordedAt: longAgo, evaluatedAt: longAgo } },
    );
    // The certificate was issued 10 days ago: still recent.
    await service.stores.certificates.model.collection.updateOne(
      { _id: issueCertificate.id } as never,
      { $set: { issuedAt: new Date(Date.now() - 10 * 86_400_000) } },
    );
    expect(await read(candidate.id, udg.certifier)).toMatchObject({
      personalDataVisible: true,
    });
    await service.stores.certificates.model.collection.updateOne(
      { _id: issueCertificate.id } as never,
      { $set: { issuedAt: longAgo } },
    );
    for (const as of [udg.certifier, udg.evaluator, udg.both])
      expect(await read(candidate.id, as)).toEqual(hidden(candidate.id));
    // The person and admins still read it.
    for (const as of [admin, { subject: candidate.id }])
      expect(await read(candidate.id, as)).toMatchObject({
        curp: candidate.curp,
      });
  });
});

describe('registerPerson tells nothing about a known CURP (finding 4.2)', () => {
  it('answers a certifier the same shape for a known CURP as for a new one, without the existing record', async () => {
    const existing = await registeredPerson(client, {
      givenNames: 'Rosa Elena',
      firstSurname: 'Castañeda',
      email: 'rosa.castaneda@example.mx',
    });
    const known = await client.ok(
      REGISTER_PERSON,
      {
        input: personMother.candidate({
          curp: existing.curp,
          email: 'otra@example.mx',
        }),
      },
      union.certifier,
    );
    const fresh = await client.ok(
      REGISTER_PERSON,
      { input: personMother.candidate() },
      union.certifier,
    );
    for (const answer of [known, fresh]) {
      expect(Object.keys(answer.registerPerson)).toEqual([
        'reference',
        'person',
      ]);
      expect(answer.registerPerson.person).toBeNull();
      expect(answer.registerPerson.reference).toMatch(/^[0-9a-f-]{36}$/);
    }
    const text = JSON.stringify(known);
    for (const secret of [existing.id, 'Rosa', 'Castañeda', 'rosa.castaneda'])
      expect(text).not.toContain(secret);
    // The registry keeps one person with the first registration's data.
    const stored = await service.stores.people.findByCurp(existing.curp);
    expect(stored).toMatchObject({
      id: existing.id,
      givenNames: 'Rosa Elena',
      email: 'rosa.castaneda@example.mx',
    });
    expect(
      await service.stores.people.model.countDocuments({ curp: existing.curp }),
    ).toBe(1);
  });

  it('gives admins the person, new or known, never a duplicate under a race', async () => {
    const input = personMother.candidate();
    const [a, b, c] = await Promise.all([
      client.ok(REGISTER_PERSON, { input }, admin),
      client.ok(
        REGISTER_PERSON,
        { input: { ...input, curp: input.curp.toLowerCase() } },
        admin,
      ),
      client.ok(REGISTER_PERSON, { input }, udg.certifier),
    ]);
    expect(a.registerPerson.person.id).toBe(b.registerPerson.person.id);
    expect(a.registerPerson.person.curp).toBe(input.curp);
    expect(c.registerPerson.person).toBeNull();
    expect(
      await service.stores.people.model.countDocuments({ curp: input.curp }),
    ).toBe(1);
  });

  it('takes a reference only from the organization it was given to', async () => {
    const { reference } = await registeredBy(udg);
    const stolen = await client.request(
      PROPOSE,
      {
        input: {
          certifyingBodyId: union.id,
          personReference: reference,
          standardId: standard.id,
        },
      },
      union.evaluator,
    );
    expect(extensionsOf(stolen)).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'PERSON_REFERENCE_NOT_FOUND',
      field: 'input.personReference',
    });
    const ok = await client.request(
      PROPOSE,
      {
        input: {
          certifyingBodyId: udg.id,
          personReference: reference,
          standardId: standard.id,
        },
      },
      udg.evaluator,
    );
    expect(ok.errors).toBeUndefined();
    const again = await client.request(
      PROPOSE,
      {
        input: {
          certifyingBodyId: udg.id,
          personReference: reference,
          standardId: standard.id,
        },
      },
      udg.certifier,
    );
    expect(extensionsOf(again)).toMatchObject({
      code: 'CONFLICT',
      reason: 'CANDIDACY_EXISTS',
    });
  });
});

describe('the personal-data access log (finding 4.3)', () => {
  it('records each staff read once per person and request, with reader, fields and operation, in one bulk insert', async () => {
    const people = [
      await registeredPerson(client),
      await registeredPerson(client),
      await registeredPerson(client),
    ];
    for (const p of people.slice(0, 2))
      await adminCandidacy(client, udg, standard, p.id);
    const inserts = jest.spyOn(service.stores.accessLog, 'insertMany');
    const res = await client.ok(
      `query StaffRoster($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id curp givenNames email certificates { id } } } }`,
      { r: people.map((p) => ({ __typename: 'Person', id: p.id })) },
      udg.evaluator,
    );
    expect(res._entities.map((e: any) => e.curp)).toEqual([
      people[0]!.curp,
      people[1]!.curp,
      null,
    ]);
    expect(inserts).toHaveBeenCalledTimes(1);
    inserts.mockRestore();
    for (const p of people.slice(0, 2)) {
      const { personalDataReads } = await client.ok(
        READS,
        { p: p.id },
        { subject: p.id },
      );
      expect(personalDataReads.reads).toEqual([
        {
          id: expect.any(String),
          personId: p.id,
          readerSubject: udg.evaluator.subject,
          readerOrganizationId: udg.organizationId,
          readerRole: 'BODY_STAFF',
          certifyingBody: { id: udg.id },
          fields: ['curp', 'givenNames', 'email', 'certificates'].sort(),
          operationName: 'StaffRoster',
          rootField: '_entities',
          readAt: expect.any(String),
        },
      ]);
    }
    // Nothing was read of the third person, so nothing is logged.
    const third = await client.ok(READS, { p: people[2]!.id }, admin);
    expect(third.personalDataReads.reads).toEqual([]);
  });

  it('lets the person and admins page through it, newest first, and refuses everyone else', async () => {
    const candidate = await registeredPerson(client);
    await adminCandidacy(client, udg, standard, candidate.id);
    for (const as of [udg.evaluator, udg.certifier, admin])
      await read(candidate.id, as);
    await read(candidate.id, { subject: candidate.id }); // their own: not logged
    const first = await client.ok(
      READS,
      { p: candidate.id, first: 2 },
      { subject: candidate.id },
    );
    expect(
      first.personalDataReads.reads.map((r: any) => r.readerSubject),
    ).toEqual([admin.subject, udg.certifier.subject]);
    expect(first.personalDataReads.reads[0]).toMatchObject({
      readerRole: 'ADMIN',
      certifyingBody: null,
      operationName: 'ReadCandidate',
      rootField: 'person',
    });
    const rest = await client.ok(
      READS,
      { p: candidate.id, first: 2, after: first.personalDataReads.nextCursor },
      admin,
    );
    expect(
      rest.personalDataReads.reads.map((r: any) => r.readerSubject),
    ).toEqual([udg.evaluator.subject]);
    expect(rest.personalDataReads.nextCursor).toBeNull();
    for (const as of [
      udg.certifier,
      { subject: 'partner-1', roles: ['partner' as const] },
      { subject: 'another-person' },
    ])
      expect(
        extensionsOf(await client.request(READS, { p: candidate.id }, as))?.[
          'code'
        ],
      ).toBe('FORBIDDEN');
    expect(
      extensionsOf(await client.request(READS, { p: candidate.id }, {}))?.[
        'code'
      ],
    ).toBe('UNAUTHENTICATED');
    expect(
      extensionsOf(
        await client.request(READS, { p: candidate.id, first: 500 }, admin),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

const requestCommands = () => requestCommandsAt(operatorUrl);

describe('the cost of checking and logging', () => {
  it('sends the same MongoDB commands for a staff list of 5 people and of 40, one insert among them', async () => {
    const people: string[] = [];
    for (let i = 0; i < 40; i += 1) {
      const p = await registeredPerson(client);
      await adminCandidacy(client, union, standard, p.id);
      people.push(p.id);
    }
    const ROSTER = `query Roster($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id curp givenNames firstSurname secondSurname email phone certificates { id } } } }`;
    const list = async (ids: string[]) => {
      const before = await requestCommands();
      const started = Date.now();
      const res = await client.ok(
        ROSTER,
        { r: ids.map((id) => ({ __typename: 'Person', id })) },
        union.certifier,
      );
      const ms = Date.now() - started;
      expect(res._entities.every((e: any) => e.curp !== null)).toBe(true);
      return { commands: commandsBetween(before, await requestCommands()), ms };
    };
    const five = await list(people.slice(0, 5));
    const forty = await list(people);
    process.stdout.write(
      `personal data for staff: 5 people → ${JSON.stringify(five.commands)} (${five.ms} ms); 40 → ${JSON.stringify(forty.commands)} (${forty.ms} ms)\n`,
    );
    expect(forty.commands).toEqual(five.commands);
    expect(forty.commands['insert']).toBe(1);
    expect(
      await service.stores.accessLog.model.countDocuments({
        readerSubject: union.certifier.subject,
        operationName: 'Roster',
      }),
    ).toBe(45);
  }, 120_000);
});
