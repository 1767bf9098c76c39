import { createHash } from 'node:crypto';
import { importJWK, jwtVerify, decodeJwt } from 'jose';
import {
  retrying,
  readEvents,
  type AsIdentity,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import { statusInList } from '../../src/credentials/status-list';
import type { CertificationService } from '../../src/server';
import { personMother } from '../fixtures/mothers';
import type { StandardFacts } from '../fixtures/network';
import { startCertification } from '../fixtures/service';
import { withApprovedProcedure } from '../fixtures/flows';

const admin: AsIdentity = { subject: 'admin-1', roles: ['admin'] };
const publicCaller: AsIdentity = {};

const REGISTER_BODY = `mutation ($input: RegisterCertifyingBodyInput!) { registerCertifyingBody(input: $input) { id name } }`;
const SET_STAFF = `mutation ($b: ID!, $m: StaffMemberInput!) { setStaffMember(certifyingBodyId: $b, member: $m) { id } }`;
const SET_FEE = `mutation ($b: ID!, $s: ID!, $a: Int!) { setFee(certifyingBodyId: $b, standardId: $s, amountCentavos: $a) { id } }`;
const REQUEST = `mutation ($b: ID!, $s: ID!) { requestAccreditation(certifyingBodyId: $b, standardId: $s) { id status } }`;
const ACTIVATE = `mutation ($id: ID!) { activateAccreditation(id: $id) { id status } }`;
const SUSPEND = `mutation ($id: ID!, $r: String!) { suspendAccreditation(id: $id, reason: $r) { status } }`;
const REGISTER_PERSON = `mutation ($input: RegisterPersonInput!) { registerPerson(input: $input) { reference person { id initials curp } } }`;
const REGISTER_CANDIDACY = `mutation ($input: RegisterCandidacyInput!) { registerCandidacy(input: $input) { id } }`;
const RECORD = `mutation ($input: RecordEvaluationInput!) { recordEvaluation(input: $input) { id result } }`;
const ISSUE = `mutation ($e: ID!) { issueCertificate(evaluationId: $e) { id status issuedAt expiresAt verificationCode } }`;
const REVOKE = `mutation ($id: ID!, $r: String!) { revokeCertificate(id: $id, reason: $r) { status revocationReason } }`;
const VERIFY = `query ($c: String!) { verifyCertificate(code: $c) { status standardCode standardTitle issuerName holderInitials issuedAt expiresAt revokedAt } }`;
const PERSON = `query ($id: ID!) { person(id: $id) { id initials personalDataVisible curp givenNames firstSurname secondSurname email phone } }`;
const OFFERS = `query ($s: ID!, $state: String, $kind: CertifyingBodyKind) { certificationOffers(standardId: $s, state: $state, kind: $kind) { certifyingBody { id name } states feeCentavos } }`;

let infra: IsolatedInfra;
let service: CertificationService;
let client: TestClient;
let network: Awaited<ReturnType<typeof startCertification>>['network'];

interface Body {
  id: string;
  organizationId: string;
  evaluator: AsIdentity;
  certifier: AsIdentity;
  both: AsIdentity;
}

/**
 * Waits until the outbox relay has published a document's events. The service
 * writes through the outbox writer (serialised with the relay); a test that
 * writes to a collection directly must let the relay finish first, or on
 * FerretDB (not atomic per document) one of the two writes can be lost.
 */
async function drained(
  store: { model: { collection: { findOne(filter: object): Promise<any> } } },
  id: string,
): Promise<void> {
  await retrying(async () => {
    const doc = await store.model.collection.findOne({ _id: id });
    expect(doc?.outboxPending).toBe(false);
  });
}

/** A certifying body registered for a directory organization, with staff. */
async function certifyingBody(
  name: string,
  organizationId: string,
): Promise<Body> {
  const { registerCertifyingBody } = await retrying(() =>
    client.ok(
      REGISTER_BODY,
      {
        input: {
          organizationId,
          kind: 'UNIVERSITY',
          facilities: [{ state: 'MX-JAL', city: 'Guadalajara' }],
        },
      },
      admin,
    ),
  );
  expect(registerCertifyingBody.name).toBe(name);
  const id = registerCertifyingBody.id as string;
  const staff = { roles: ['certifier' as const], organizationId };
  const members = [
    { subject: `ev-${id}`, name: 'Ana Evaluadora', roles: ['EVALUATOR'] },
    { subject: `ce-${id}`, name: 'Carlos Certificador', roles: ['CERTIFIER'] },
    {
      subject: `both-${id}`,
      name: 'Beatriz Ambas',
      roles: ['EVALUATOR', 'CERTIFIER'],
    },
  ];
  for (const m of members) await client.ok(SET_STAFF, { b: id, m }, admin);
  return {
    id,
    organizationId,
    evaluator: { ...staff, subject: members[0]!.subject },
    certifier: { ...staff, subject: members[1]!.subject },
    both: { ...staff, subject: members[2]!.subject },
  };
}

/** An ACTIVE accreditation: the body's organization and two others nominated, standard published. */
async function accredited(
  body: Body,
  standard: StandardFacts,
): Promise<string> {
  const { requestAccreditation } = await retrying(() =>
    client.ok(REQUEST, { b: body.id, s: standard.id }, admin),
  );
  await withApprovedProcedure(client, body.id);
  await retrying(async () => {
    const res = await client.ok(
      ACTIVATE,
      { id: requestAccreditation.id },
      admin,
    );
    expect(res.activateAccreditation.status).toBe('ACTIVE');
  });
  return requestAccreditation.id;
}

async function person(overrides = {}): Promise<{ id: string; curp: string }> {
  const input = personMother.candidate(overrides);
  const { registerPerson } = await client.ok(REGISTER_PERSON, { input }, admin);
  return { id: registerPerson.person.id, curp: input.curp };
}

async function evaluate(
  body: Body,
  standard: StandardFacts,
  candidateId: string,
  as: AsIdentity = body.evaluator,
  overrides: Record<string, unknown> = {},
): Promise<string> {
  // Evaluations need an accepted candidacy (personal-data.test.ts): an admin
  // registers one the first time a body evaluates a person for a standard.
  const candidacy = await client.request(
    REGISTER_CANDIDACY,
    {
      input: {
        certifyingBodyId: body.id,
        personId: candidateId,
        standardId: standard.id,
      },
    },
    admin,
  );
  if (
    candidacy.errors &&
    candidacy.errors[0]?.extensions?.['reason'] !== 'CANDIDACY_EXISTS'
  )
    throw new Error(JSON.stringify(candidacy.errors));
  const { recordEvaluation } = await client.ok(
    RECORD,
    {
      input: {
        certifyingBodyId: body.id,
        candidateId,
        standardId: standard.id,
        evidenceSummary: 'Impartió una sesión de 4 horas; portafolio completo.',
        result: 'COMPETENT',
        evaluatedAt: new Date(Date.now() - 86_400_000).toISOString(),
        ...overrides,
      },
    },
    as,
  );
  return recordEvaluation.id;
}

const reasonOf = (res: {
  errors?: { extensions?: Record<string, unknown> }[];
}) => res.errors?.[0]?.extensions?.['reason'];

let standard: StandardFacts;
let udg: Body;
let union: Body;

beforeAll(async () => {
  ({ infra, service, client, network } =
    await startCertification('certification-api'));

  // The network through Kafka: three organizations nominated for a published standard.
  const orgs = [
    await network.organization('Universidad de Guadalajara'),
    await network.organization('Sindicato Nacional de Telefonistas', 'MX-NLE'),
    await network.organization('CANIETI Occidente'),
  ];
  standard = await network.publishedStandard();
  await network.nominate(standard, orgs);
  udg = await certifyingBody('Universidad de Guadalajara', orgs[0]!);
  union = await certifyingBody('Sindicato Nacional de Telefonistas', orgs[1]!);
  await accredited(udg, standard);
  await client.ok(SET_FEE, { b: udg.id, s: standard.id, a: 150_000 }, admin);
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await service?.stop();
  await infra?.cleanup();
});

describe('from projections to a verifiable certificate', () => {
  it('accredits, evaluates, certifies, verifies publicly, exports a credential and sees its revocation', async () => {
    // Where can I get certified? The accredited body, with its fee.
    const offers = await client.ok(
      OFFERS,
      { s: standard.id, state: 'MX-JAL' },
      publicCaller,
    );
    expect(offers.certificationOffers).toEqual([
      {
        certifyingBody: { id: udg.id, name: 'Universidad de Guadalajara' },
        states: ['MX-JAL'],
        feeCentavos: 150_000,
      },
    ]);

    const candidate = await person();
    const evaluationId = await evaluate(udg, standard, candidate.id);
    const { issueCertificate: certificate } = await client.ok(
      ISSUE,
      { e: evaluationId },
      udg.certifier,
    );
    expect(certificate.status).toBe('VALID');
    expect(certificate.verificationCode).toMatch(/^[A-Z2-7]{26}$/);
    expect(
      new Date(certificate.expiresAt).getUTCFullYear() -
        new Date(certificate.issuedAt).getUTCFullYear(),
    ).toBe(3);

    // Public verification: status, standard, issuer, dates, initials — no personal data.
    const verified = await client.ok(
      VERIFY,
      { c: certificate.verificationCode },
      publicCaller,
    );
    expect(verified.verifyCertificate).toMatchObject({
      status: 'VALID',
      standardCode: standard.code,
      issuerName: 'Universidad de Guadalajara',
      holderInitials: 'M.G.L.R.',
      revokedAt: null,
    });
    const text = JSON.stringify(verified);
    for (const secret of [candidate.curp, 'López', 'María', 'maria.lopez']) {
      expect(text).not.toContain(secret);
    }

    // The holder exports a Verifiable Credential; it verifies offline with the public key.
    const { exportCredential } = await client.ok(
      `query ($id: ID!) { exportCredential(certificateId: $id) { jwt credential publicKeyJwk identitySalt } }`,
      { id: certificate.id },
      { subject: candidate.id, roles: ['public'] },
    );
    const key = await importJWK(
      JSON.parse(exportCredential.publicKeyJwk),
      'EdDSA',
    );
    const { payload } = await jwtVerify(exportCredential.jwt, key, {
      typ: 'JWT',
    });
    // Open Badges 3.0 §8.2's registered claims.
    expect(payload).toMatchObject({
      iss: (payload as any).issuer.id,
      jti: `urn:uuid:${certificate.id}`,
      sub: (payload as any).credentialSubject.id,
      nbf: expect.any(Number),
      exp: Math.floor(Date.parse(certificate.expiresAt) / 1000),
    });
    expect(payload).toMatchObject({
      type: ['VerifiableCredential', 'OpenBadgeCredential'],
      issuer: { name: 'Universidad de Guadalajara' },
      credentialSubject: { achievement: { humanCode: standard.code } },
    });
    expect(exportCredential.credential).not.toContain(candidate.curp);
    // Nothing links it to the person or to another export: no subject id, no
    // salt beside the hash; the holder proves it with CURP and the salt given apart.
    for (const linkable of [candidate.id, exportCredential.identitySalt])
      expect(exportCredential.jwt + exportCredential.credential).not.toContain(
        linkable,
      );
    const [identity] = (payload as any).credentialSubject.identifier;
    expect(identity).toEqual({
      type: 'IdentityObject',
      identityType: 'identifier',
      hashed: true,
      identityHash: `sha256$${createHash('sha256')
        .update(candidate.curp + exportCredential.identitySalt)
        .digest('hex')}`,
    });
    const { exportCredential: second } = await client.ok(
      `query ($id: ID!) { exportCredential(certificateId: $id) { jwt identitySalt } }`,
      { id: certificate.id },
      { subject: candidate.id, roles: ['public'] },
    );
    expect(
      (decodeJwt(second.jwt) as any).credentialSubject.identifier[0]
        .identityHash,
    ).not.toBe(identity.identityHash);
    const VERIFY_VC = `query ($jwt: String!) { verifyCredential(jwt: $jwt) { valid signatureValid expired revoked certificateId problems } }`;
    expect(
      (await client.ok(VERIFY_VC, { jwt: exportCredential.jwt }, publicCaller))
        .verifyCredential,
    ).toMatchObject({
      valid: true,
      revoked: false,
      certificateId: certificate.id,
    });

    // Revocation: permanent, visible in verification, in the status list and to the VC check.
    const revoked = await client.ok(
      REVOKE,
      { id: certificate.id, r: 'Se comprobó suplantación en la evaluación' },
      udg.certifier,
    );
    expect(revoked.revokeCertificate.status).toBe('REVOKED');
    expect(
      (
        await client.ok(
          VERIFY,
          { c: certificate.verificationCode },
          publicCaller,
        )
      ).verifyCertificate.status,
    ).toBe('REVOKED');
    // The credential's one status entry: 2 bits in the message list it
    // names, served by URL and by GraphQL; 0x2 is revoked.
    const entry = (payload as any).credentialStatus;
    expect(entry).toMatchObject({ statusPurpose: 'message', statusSize: 2 });
    const listId = String(entry.statusListCredential).split('/').pop();
    const { credentialStatusList } = await client.ok(
      `query ($id: ID!) { credentialStatusList(id: $id) { id statusPurpose jwt encodedList } }`,
      { id: listId },
      publicCaller,
    );
    expect(credentialStatusList).toMatchObject({
      id: entry.statusListCredential,
      statusPurpose: 'message',
    });
    const listPayload = decodeJwt(credentialStatusList.jwt) as any;
    await jwtVerify(credentialStatusList.jwt, key);
    expect(listPayload.credentialSubject.encodedList).toBe(
      credentialStatusList.encodedList,
    );
    expect(
      statusInList(
        listPayload.credentialSubject.encodedList,
        Number(entry.statusListIndex),
        2,
      ),
    ).toBe(2);
    expect(
      (await client.ok(VERIFY_VC, { jwt: exportCredential.jwt }, publicCaller))
        .verifyCredential,
    ).toMatchObject({ valid: false, signatureValid: true, revoked: true });
    const again = await client.request(
      REVOKE,
      { id: certificate.id, r: 'Otra vez, por si acaso' },
      admin,
    );
    expect(reasonOf(again)).toBe('CERTIFICATE_ALREADY_REVOKED');

    // CertificateIssued reached Kafka, keyed by the certificate, with no personal data.
    const [issued] = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.certification.events`,
      until: (m) =>
        m.key === certificate.id &&
        m.event.type === 'certification.CertificateIssued',
    });
    expect(issued?.event.data).toMatchObject({
      id: certificate.id,
      personId: candidate.id,
      standardId: standard.id,
      certifyingBodyId: udg.id,
    });
    expect(JSON.stringify(issued?.event)).not.toContain(candidate.curp);
    const [revokedEvent] = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: `${infra.topicPrefix}conecta.certification.events`,
      until: (m) =>
        m.key === certificate.id &&
        m.event.type === 'certification.CertificateRevoked',
    });
    expect(revokedEvent?.event.data).toMatchObject({
      id: certificate.id,
      reason: 'Se comprobó suplantación en la evaluación',
    });
  });

  it('answers BAD_USER_INPUT for a malformed verification code and null for an unknown one', async () => {
    const bad = await client.request(VERIFY, { c: 'ABC123' }, publicCaller);
    expect(bad.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_VERIFICATION_CODE',
    });
    const unknown = await client.ok(
      VERIFY,
      { c: 'A'.repeat(26) },
      publicCaller,
    );
    expect(unknown.verifyCertificate).toBeNull();
  });
});

describe('safeguards over HTTP', () => {
  it('refuses a certificate signed by the person who evaluated', async () => {
    const candidate = await person();
    const evaluationId = await evaluate(udg, standard, candidate.id, udg.both);
    const res = await client.request(ISSUE, { e: evaluationId }, udg.both);
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'CERTIFIER_IS_EVALUATOR',
    });
  });

  it('refuses NOT_YET_COMPETENT, too-old evaluations and a second valid certificate', async () => {
    const candidate = await person();
    const notYet = await evaluate(udg, standard, candidate.id, udg.evaluator, {
      result: 'NOT_YET_COMPETENT',
    });
    expect(
      reasonOf(await client.request(ISSUE, { e: notYet }, udg.certifier)),
    ).toBe('EVALUATION_NOT_COMPETENT');
    const old = await evaluate(udg, standard, candidate.id, udg.evaluator, {
      evaluatedAt: new Date(Date.now() - 200 * 86_400_000).toISOString(),
    });
    expect(
      reasonOf(await client.request(ISSUE, { e: old }, udg.certifier)),
    ).toBe('EVALUATION_TOO_OLD');
    const first = await evaluate(udg, standard, candidate.id);
    await client.ok(ISSUE, { e: first }, udg.certifier);
    expect(
      reasonOf(await client.request(ISSUE, { e: first }, udg.certifier)),
    ).toBe('EVALUATION_ALREADY_CERTIFIED');
    const second = await evaluate(udg, standard, candidate.id);
    expect(
      reasonOf(await client.request(ISSUE, { e: second }, udg.certifier)),
    ).toBe('CERTIFICATE_ALREADY_VALID');
  });

  it('issues exactly one certificate when two certifiers race for the same person and standard', async () => {
    const candidate = await person();
    const evaluations = [
      await evaluate(udg, standard, candidate.id),
      await evaluate(udg, standard, candidate.id),
    ];
    const results = await Promise.all([
      client.request(ISSUE, { e: evaluations[0] }, udg.certifier),
      client.request(ISSUE, { e: evaluations[1] }, udg.both),
    ]);
    expect(results.filter((r) => !r.errors).length).toBe(1);
    expect(results.map(reasonOf).filter(Boolean)).toEqual([
      'CERTIFICATE_ALREADY_VALID',
    ]);
    expect(
      await service.stores.certificates.model.countDocuments({
        personId: candidate.id,
      }),
    ).toBe(1);
  });

  it('lets evaluators and certifiers act only for their own body', async () => {
    const candidate = await person();
    const foreign = await client.request(
      RECORD,
      {
        input: {
          certifyingBodyId: udg.id,
          candidateId: candidate.id,
          standardId: standard.id,
          evidenceSummary: 'Evidencia suficiente y pertinente.',
          result: 'COMPETENT',
          evaluatedAt: new Date().toISOString(),
        },
      },
      union.evaluator,
    );
    expect(foreign.errors?.[0]?.extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'NOT_BODY_EVALUATOR',
    });
    const evaluationId = await evaluate(udg, standard, candidate.id);
    expect(
      reasonOf(
        await client.request(ISSUE, { e: evaluationId }, union.certifier),
      ),
    ).toBe('NOT_BODY_CERTIFIER');
    expect(
      reasonOf(await client.request(ISSUE, { e: evaluationId }, admin)),
    ).toBe('NOT_BODY_CERTIFIER');
    const publicRes = await client.request(
      ACTIVATE,
      { id: evaluationId },
      udg.certifier,
    );
    expect(publicRes.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses dates in the future and oversized evidence, writing nothing', async () => {
    const candidate = await person();
    const base = {
      certifyingBodyId: udg.id,
      candidateId: candidate.id,
      standardId: standard.id,
      evidenceSummary: 'Evidencia suficiente y pertinente.',
      result: 'COMPETENT',
      evaluatedAt: new Date().toISOString(),
    };
    const future = await client.request(
      RECORD,
      {
        input: {
          ...base,
          evaluatedAt: new Date(Date.now() + 86_400_000).toISOString(),
        },
      },
      udg.evaluator,
    );
    expect(future.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'EVALUATED_IN_FUTURE',
    });
    const huge = await client.request(
      RECORD,
      { input: { ...base, evidenceSummary: 'x'.repeat(4_001) } },
      udg.evaluator,
    );
    expect(huge.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.evidenceSummary',
    });
    expect(
      await service.stores.evaluations.model.countDocuments({
        candidateId: candidate.id,
      }),
    ).toBe(0);
  });

  it('refuses activation without three nominations, and certificates under a suspended accreditation', async () => {
    const orgA = await network.organization('Cámara Regional A');
    const orgB = await network.organization('Cámara Regional B');
    const lonely = await network.publishedStandard();
    const nominations = await network.nominate(lonely, [orgA, orgB]);
    // A redelivered nomination is the same nomination: it must not count twice.
    await network.redeliver('committees', nominations[1]!);
    const bodyA = await certifyingBody('Cámara Regional A', orgA);
    const { requestAccreditation } = await retrying(() =>
      client.ok(REQUEST, { b: bodyA.id, s: lonely.id }, admin),
    );
    await retrying(async () => {
      const res = await client.request(
        ACTIVATE,
        { id: requestAccreditation.id },
        admin,
      );
      expect(reasonOf(res)).toBe('INSUFFICIENT_NOMINATIONS');
    });

    const suspendedStandard = await network.publishedStandard();
    await network.nominate(suspendedStandard, [
      union.organizationId,
      orgA,
      orgB,
    ]);
    const accreditationId = await accredited(union, suspendedStandard);
    const candidate = await person();
    const evaluationId = await evaluate(union, suspendedStandard, candidate.id);
    await client.ok(
      SUSPEND,
      { id: accreditationId, r: 'Auditoría con hallazgos' },
      admin,
    );
    expect(
      reasonOf(
        await client.request(ISSUE, { e: evaluationId }, union.certifier),
      ),
    ).toBe('ACCREDITATION_NOT_ACTIVE');
  });

  it('issues nothing against a withdrawn standard, while earlier certificates stay valid', async () => {
    const orgs = [
      await network.organization('Universidad Tecnológica'),
      await network.organization('Colegio de Ingenieros'),
    ];
    const withdrawn = await network.publishedStandard();
    await network.nominate(withdrawn, [udg.organizationId, ...orgs]);
    await accredited(udg, withdrawn);
    const holder = await person();
    const { issueCertificate: earlier } = await client.ok(
      ISSUE,
      { e: await evaluate(udg, withdrawn, holder.id) },
      udg.certifier,
    );
    const candidate = await person();
    const evaluationId = await evaluate(udg, withdrawn, candidate.id);
    await network.withdraw(withdrawn);
    await retrying(async () => {
      expect(
        reasonOf(
          await client.request(ISSUE, { e: evaluationId }, udg.certifier),
        ),
      ).toBe('STANDARD_NOT_PUBLISHED');
    });
    const still = await client.ok(
      VERIFY,
      { c: earlier.verificationCode },
      publicCaller,
    );
    expect(still.verifyCertificate.status).toBe('VALID');
    expect(
      (await client.ok(OFFERS, { s: withdrawn.id }, publicCaller))
        .certificationOffers,
    ).toEqual([]);
  });
});

describe('the person registry', () => {
  it('registers a CURP sent twice once, and gives the person to admins only', async () => {
    const input = personMother.candidate();
    const [a, b] = await Promise.all([
      client.ok(REGISTER_PERSON, { input }, admin),
      client.ok(
        REGISTER_PERSON,
        { input: { ...input, curp: input.curp.toLowerCase() } },
        udg.certifier,
      ),
    ]);
    expect(a.registerPerson.person.curp).toBe(input.curp);
    expect(b.registerPerson).toEqual({
      reference: expect.any(String),
      person: null,
    });
    expect(
      await service.stores.people.model.countDocuments({ curp: input.curp }),
    ).toBe(1);
  });

  it('refuses an invalid CURP with BAD_USER_INPUT and reason INVALID_CURP', async () => {
    const res = await client.request(
      REGISTER_PERSON,
      { input: personMother.candidate({ curp: 'HEGG560427MVZRRL05' }) },
      admin,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'INVALID_CURP',
      field: 'input.curp',
    });
    const asPublic = await client.request(
      REGISTER_PERSON,
      { input: personMother.candidate() },
      { subject: 'someone', roles: ['partner'] },
    );
    expect(asPublic.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('shows personal data only to the person, admins and staff of a body with an accepted candidacy', async () => {
    const candidate = await person();
    await evaluate(udg, standard, candidate.id);
    const read = async (as: AsIdentity) =>
      (await client.ok(PERSON, { id: candidate.id }, as)).person;
    for (const as of [
      { subject: candidate.id, roles: ['public' as const] },
      admin,
      udg.certifier,
    ]) {
      expect(await read(as)).toMatchObject({
        personalDataVisible: true,
        curp: candidate.curp,
        givenNames: 'María Guadalupe',
        email: 'maria.lopez@example.mx',
      });
    }
    for (const as of [
      publicCaller,
      union.certifier,
      { subject: 'partner-1', roles: ['partner' as const] },
    ]) {
      expect(await read(as)).toEqual({
        id: candidate.id,
        initials: 'M.G.L.R.',
        personalDataVisible: false,
        curp: null,
        givenNames: null,
        firstSurname: null,
        secondSurname: null,
        email: null,
        phone: null,
      });
    }
  });
});

describe('expiry reminders', () => {
  it('lists certificates expiring within N days for the body’s staff and the holder, not for others', async () => {
    const candidate = await person();
    const { issueCertificate: c } = await client.ok(
      ISSUE,
      { e: await evaluate(udg, standard, candidate.id) },
      udg.certifier,
    );
    // Three-year certificates: none expires within 30 days, this one within 4 years.
    const Q = `query ($d: Int!, $b: ID, $p: ID) { expiringCertificates(withinDays: $d, certifyingBodyId: $b, personId: $p) { id } }`;
    const soon = await client.ok(
      Q,
      { d: 30, p: candidate.id },
      { subject: candidate.id },
    );
    expect(soon.expiringCertificates).toEqual([]);
    await drained(service.stores.certificates, c.id);
    await service.stores.certificates.model.collection.updateOne(
      { _id: c.id } as never,
      { $set: { expiresAt: new Date(Date.now() + 10 * 86_400_000) } },
    );
    const mine = await client.ok(
      Q,
      { d: 30, p: candidate.id },
      { subject: candidate.id },
    );
    expect(mine.expiringCertificates).toEqual([{ id: c.id }]);
    const body = await client.ok(Q, { d: 30, b: udg.id }, udg.evaluator);
    expect(body.expiringCertificates).toContainEqual({ id: c.id });
    expect(
      (await client.request(Q, { d: 30, b: udg.id }, union.certifier))
        .errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await client.request(Q, { d: 30, p: candidate.id }, udg.certifier))
        .errors?.[0]?.extensions?.code,
    ).toBe('FORBIDDEN');
    expect(
      (await client.request(Q, { d: 30 }, admin)).errors?.[0]?.extensions?.code,
    ).toBe('BAD_USER_INPUT');
  });
});

describe('federation', () => {
  const ENTITIES = /* GraphQL */ `
    query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Person {
          id
          initials
        }
        ... on CertifyingBody {
          id
          name
        }
        ... on Certificate {
          id
          status
        }
        ... on CompetencyStandard {
          id
          certificateCount
          certifyingBodies {
            certifyingBody {
              id
            }
          }
        }
        ... on Organization {
          id
          certifyingBody {
            id
          }
        }
      }
    }
  `;
  const entities = (typename: string, ids: string[]) =>
    client.ok(
      ENTITIES,
      { representations: ids.map((id) => ({ __typename: typename, id })) },
      publicCaller,
    );

  it('resolves Person references in one query', async () => {
    const ids = [(await person()).id, (await person()).id, (await person()).id];
    const spy = jest.spyOn(service.stores.people, 'findByIds');
    const res = await entities('Person', [
      ...ids,
      '0190f0a0-0000-7000-8000-000000000000',
    ]);
    expect(res._entities.map((e: any) => e?.id ?? null)).toEqual([
      ...ids,
      null,
    ]);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('lists N people with personal data and certificates for body staff in one query per kind', async () => {
    const people = [await person(), await person(), await person()];
    for (const candidate of people.slice(0, 2)) {
      const e = await evaluate(udg, standard, candidate.id);
      await client.ok(ISSUE, { e }, udg.certifier);
    }
    const evaluated = jest.spyOn(
      service.stores.candidacies,
      'findAcceptedForRelations',
    );
    const certificates = jest.spyOn(
      service.stores.certificates,
      'findByPersons',
    );
    const res = await client.ok(
      `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Person { id curp certificates { id } } } }`,
      { r: people.map((p) => ({ __typename: 'Person', id: p.id })) },
      udg.evaluator,
    );
    // Staff of the body that evaluated them see the first two; the third stays private.
    expect(
      res._entities.map((e: any) => [e.curp, e.certificates.length]),
    ).toEqual([
      [people[0]!.curp, 1],
      [people[1]!.curp, 1],
      [null, 0],
    ]);
    expect(evaluated).toHaveBeenCalledTimes(1);
    expect(certificates).toHaveBeenCalledTimes(1);
    evaluated.mockRestore();
    certificates.mockRestore();
  });

  it('resolves CertifyingBody and Organization references in one query each', async () => {
    const spy = jest.spyOn(service.stores.bodies, 'mirrored');
    const res = await entities('CertifyingBody', [udg.id, union.id]);
    expect(res._entities.map((e: any) => e.name)).toEqual([
      'Universidad de Guadalajara',
      'Sindicato Nacional de Telefonistas',
    ]);
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
    const byOrg = jest.spyOn(service.stores.bodies, 'findByOrganizationIds');
    const orgs = await entities('Organization', [
      udg.organizationId,
      union.organizationId,
    ]);
    expect(orgs._entities.map((e: any) => e.certifyingBody.id)).toEqual([
      udg.id,
      union.id,
    ]);
    expect(byOrg).toHaveBeenCalledTimes(1);
    byOrg.mockRestore();
  });

  it('resolves Certificate references in one query', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const candidate = await person();
      ids.push(
        (
          await client.ok(
            ISSUE,
            { e: await evaluate(udg, standard, candidate.id) },
            udg.certifier,
          )
        ).issueCertificate.id,
      );
    }
    const spy = jest.spyOn(service.stores.certificates, 'findByIds');
    const res = await entities('Certificate', ids);
    expect(res._entities.map((e: any) => [e.id, e.status])).toEqual(
      ids.map((id) => [id, 'VALID']),
    );
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });

  it('adds certifyingBodies and certificateCount to CompetencyStandard, batched', async () => {
    const other = await network.publishedStandard();
    const counts = jest.spyOn(service.stores.certificates, 'countByStandards');
    const res = await entities('CompetencyStandard', [standard.id, other.id]);
    const [main, empty] = res._entities;
    expect(main.certificateCount).toBeGreaterThanOrEqual(3);
    expect(main.certifyingBodies).toEqual([{ certifyingBody: { id: udg.id } }]);
    expect(empty).toEqual({
      id: other.id,
      certificateCount: 0,
      certifyingBodies: [],
    });
    expect(counts).toHaveBeenCalledTimes(1);
    counts.mockRestore();
  });
});
