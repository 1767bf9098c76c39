import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { decodeJwt } from 'jose';
import {
  procedureDocument,
  readEvents,
  retrying,
  type AsIdentity,
  type IsolatedInfra,
  type TestClient,
} from '@conecta/test-kit';
import type { CertificationService } from '../../src/server';
import {
  ACTIVATE,
  REQUEST_SCOPED,
  accredited,
  adminCandidacy,
  admin,
  certifyingBody,
  evaluation,
  extensionsOf,
  registeredPerson,
  type Body,
} from '../fixtures/flows';
import type { StandardFacts } from '../fixtures/network';
import { startCertification } from '../fixtures/service';

// The third-party path (issue 15, item 5), over the real service on FerretDB
// and Kafka: evaluation centres accredited to evaluate only, independent
// bodies accredited to certify, and safeguard 2 — no accreditation becomes
// ACTIVE before an admin approves the body's evaluation procedure.

const DRAFT = `mutation ($input: DraftEvaluationProcedureInput!) { draftEvaluationProcedure(input: $input) { id version status current draftedBy } }`;
const SUBMIT = `mutation ($id: ID!) { submitEvaluationProcedure(id: $id) { id status submittedAt } }`;
const APPROVE = `mutation ($id: ID!) { approveEvaluationProcedure(id: $id) { id version status current approvedBy approvedAt } }`;
const REJECT = `mutation ($id: ID!, $r: String!) { rejectEvaluationProcedure(id: $id, reason: $r) { id status rejectedBy rejectionReason } }`;
const PROCEDURES = `query ($id: ID!) { certifyingBody(id: $id) { evaluationProcedure { id version current approvedBy } evaluationProcedures { id version status current draftedBy approvedBy rejectionReason } } }`;
const PROCEDURE = `query ($id: ID!) { evaluationProcedure(id: $id) { id status } }`;
const TO_REVIEW = `{ submittedEvaluationProcedures { id certifyingBody { id } } }`;
const RECORDED = `query ($id: ID!) { evaluation(id: $id) { id result evidenceSummary evaluatorSubject procedureVersion certificationRequestedFrom { id } candidate { id initials personalDataVisible curp } } }`;
const REQUEST_CERTIFICATION = `mutation ($e: ID!, $b: ID!) { requestCertification(evaluationId: $e, certifyingBodyId: $b) { id certificationRequestedFrom { id } certificationRequestedAt } }`;
const ISSUE_BY = `mutation ($e: ID!, $b: ID) { issueCertificate(evaluationId: $e, certifyingBodyId: $b) { id status verificationCode certifyingBody { id } evaluatingBody { id } } }`;
const EXPORT = `query ($id: ID!) { exportCredential(certificateId: $id) { jwt credential } }`;
const VERIFY_VC = `query ($jwt: String!) { verifyCredential(jwt: $jwt) { valid certificateId problems } }`;
const VERIFY = `query ($c: String!) { verifyCertificate(code: $c) { status issuerName certifyingBody { id } evaluatingBody { id name } } }`;
const REGISTER_CANDIDACY = `mutation ($input: RegisterCandidacyInput!) { registerCandidacy(input: $input) { id } }`;

const publicCaller: AsIdentity = {};

let infra: IsolatedInfra;
let service: CertificationService;
let client: TestClient;
let network: Awaited<ReturnType<typeof startCertification>>['network'];
let standard: StandardFacts;
/** An evaluation centre: accredited to EVALUATE only. */
let centre: Body;
/** An independent body: accredited to CERTIFY only. */
let certifier: Body;
/** A full body: accredited for both, as every body was before. */
let full: Body;
let centreAccreditationId: string;

const topic = () => `${infra.topicPrefix}conecta.certification.events`;

/** Drafts, submits and approves a procedure version for the body, as its certifier and an admin. */
async function approvedVersion(body: Body) {
  const { draftEvaluationProcedure } = await client.ok(
    DRAFT,
    { input: { certifyingBodyId: body.id, ...procedureDocument() } },
    body.certifier,
  );
  await client.ok(SUBMIT, { id: draftEvaluationProcedure.id }, body.certifier);
  return (await client.ok(APPROVE, { id: draftEvaluationProcedure.id }, admin))
    .approveEvaluationProcedure;
}

/** A new person, an admin's candidacy with `body` and a COMPETENT evaluation by its evaluator. */
async function evaluatedBy(body: Body) {
  const person = await registeredPerson(client);
  await adminCandidacy(client, body, standard, person.id);
  return {
    person,
    evaluationId: await evaluation(client, body, standard, person.id),
  };
}

beforeAll(async () => {
  ({ infra, service, client, network } = await startCertification(
    'certification-third-party',
  ));
  const orgs = [
    await network.organization('Centro de Evaluación Occidente'),
    await network.organization('Certificadora Nacional de Competencias'),
    await network.organization('Universidad Tecnológica de Jalisco'),
  ];
  standard = await network.publishedStandard();
  await network.nominate(standard, orgs);
  centre = await certifyingBody(
    client,
    'Centro de Evaluación Occidente',
    orgs[0]!,
  );
  certifier = await certifyingBody(
    client,
    'Certificadora Nacional de Competencias',
    orgs[1]!,
  );
  full = await certifyingBody(
    client,
    'Universidad Tecnológica de Jalisco',
    orgs[2]!,
  );
  await accredited(client, certifier, standard, ['CERTIFICATION']);
  await accredited(client, full, standard);
}, 120_000);

afterAll(async () => {
  await network?.stop();
  await service?.stop();
  await infra?.cleanup();
});

describe('safeguard 2: an accreditation becomes ACTIVE only with an approved procedure', () => {
  it('refuses activation without an APPROVED procedure, and activates once an admin approves one', async () => {
    const { requestAccreditation } = await client.ok(
      REQUEST_SCOPED,
      { b: centre.id, s: standard.id, scopes: ['EVALUATION'] },
      centre.certifier,
    );
    centreAccreditationId = requestAccreditation.id;
    expect(requestAccreditation).toMatchObject({
      status: 'PENDING',
      scopes: ['EVALUATION'],
    });
    // The nominations reach the projection through Kafka: the refusal
    // settles on the body's own missing procedure.
    await retrying(async () => {
      const res = await client.request(
        ACTIVATE,
        { id: centreAccreditationId },
        admin,
      );
      expect(extensionsOf(res)).toMatchObject({
        code: 'CONFLICT',
        reason: 'NO_APPROVED_PROCEDURE',
      });
    });

    // A draft, then a submitted version, still are not enough.
    const { draftEvaluationProcedure: draft } = await client.ok(
      DRAFT,
      { input: { certifyingBodyId: centre.id, ...procedureDocument() } },
      centre.certifier,
    );
    expect(draft).toMatchObject({
      version: 1,
      status: 'DRAFT',
      current: false,
    });
    await client.ok(SUBMIT, { id: draft.id }, centre.certifier);
    expect(
      extensionsOf(
        await client.request(ACTIVATE, { id: centreAccreditationId }, admin),
      ),
    ).toMatchObject({ reason: 'NO_APPROVED_PROCEDURE' });
    const { submittedEvaluationProcedures } = await client.ok(
      TO_REVIEW,
      {},
      admin,
    );
    expect(submittedEvaluationProcedures.map((p: any) => p.id)).toContain(
      draft.id,
    );

    const { approveEvaluationProcedure } = await client.ok(
      APPROVE,
      { id: draft.id },
      admin,
    );
    expect(approveEvaluationProcedure).toMatchObject({
      status: 'APPROVED',
      current: true,
      approvedBy: admin.subject,
    });
    const { activateAccreditation } = await client.ok(
      ACTIVATE,
      { id: centreAccreditationId },
      admin,
    );
    expect(activateAccreditation.status).toBe('ACTIVE');

    const events = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: topic(),
      until: (m) =>
        m.key === draft.id &&
        (m.event.type === 'certification.EvaluationProcedureSubmitted' ||
          m.event.type === 'certification.EvaluationProcedureApproved'),
      count: 2,
    });
    expect(
      events.find(
        (m) => m.event.type === 'certification.EvaluationProcedureApproved',
      )?.event.data,
    ).toMatchObject({
      id: draft.id,
      certifyingBodyId: centre.id,
      version: 1,
      approvedBy: admin.subject,
    });
  });

  it('a newer approved version supersedes the older without suspending anything', async () => {
    const v2 = await approvedVersion(centre);
    expect(v2).toMatchObject({ version: 2, current: true });
    const { certifyingBody } = await client.ok(
      PROCEDURES,
      { id: centre.id },
      centre.evaluator,
    );
    expect(certifyingBody.evaluationProcedure).toMatchObject({
      id: v2.id,
      version: 2,
    });
    expect(
      certifyingBody.evaluationProcedures.map((p: any) => [
        p.version,
        p.status,
        p.current,
      ]),
    ).toEqual([
      [1, 'APPROVED', false],
      [2, 'APPROVED', true],
    ]);
    const accreditations = await client.ok(
      `query ($id: ID!) { certifyingBody(id: $id) { accreditations { id status } } }`,
      { id: centre.id },
      publicCaller,
    );
    expect(accreditations.certifyingBody.accreditations).toEqual([
      { id: centreAccreditationId, status: 'ACTIVE' },
    ]);
  });

  it('only admins approve or reject; only the body’s certifiers and admins draft; the history is the body’s and admins’', async () => {
    const { draftEvaluationProcedure: draft } = await client.ok(
      DRAFT,
      { input: { certifyingBodyId: centre.id, ...procedureDocument() } },
      centre.certifier,
    );
    await client.ok(SUBMIT, { id: draft.id }, centre.certifier);
    for (const caller of [centre.certifier, certifier.certifier])
      expect(
        extensionsOf(await client.request(APPROVE, { id: draft.id }, caller)),
      ).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_ADMIN' });
    expect(
      extensionsOf(
        await client.request(APPROVE, { id: draft.id }, publicCaller),
      ),
    ).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(
      extensionsOf(
        await client.request(
          DRAFT,
          { input: { certifyingBodyId: centre.id, ...procedureDocument() } },
          certifier.certifier,
        ),
      ),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_BODY_CERTIFIER' });
    expect(
      extensionsOf(await client.request(TO_REVIEW, {}, centre.certifier)),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_ADMIN' });
    expect(
      extensionsOf(
        await client.request(
          DRAFT,
          {
            input: {
              certifyingBodyId: centre.id,
              documentUrl: 'http://sin-tls.example/p.pdf',
              documentSha256: 'no',
            },
          },
          centre.certifier,
        ),
      ),
    ).toMatchObject({ code: 'BAD_USER_INPUT' });

    const { rejectEvaluationProcedure } = await client.ok(
      REJECT,
      { id: draft.id, r: 'Falta el instrumento de evaluación del elemento 2' },
      admin,
    );
    expect(rejectEvaluationProcedure).toMatchObject({
      status: 'REJECTED',
      rejectedBy: admin.subject,
    });
    expect(
      extensionsOf(await client.request(APPROVE, { id: draft.id }, admin)),
    ).toMatchObject({
      code: 'CONFLICT',
      reason: 'PROCEDURE_TRANSITION_NOT_ALLOWED',
    });

    // The public sees the current approved version, not the history nor who reviewed.
    const seen = await client.ok(PROCEDURES, { id: centre.id }, publicCaller);
    expect(seen.certifyingBody.evaluationProcedure).toMatchObject({
      version: 2,
      approvedBy: null,
    });
    expect(seen.certifyingBody.evaluationProcedures).toEqual([]);
    expect(
      (await client.ok(PROCEDURE, { id: draft.id }, certifier.certifier))
        .evaluationProcedure,
    ).toBeNull();
    const own = await client.ok(
      PROCEDURES,
      { id: centre.id },
      centre.evaluator,
    );
    expect(
      own.certifyingBody.evaluationProcedures.find(
        (p: any) => p.id === draft.id,
      ),
    ).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Falta el instrumento de evaluación del elemento 2',
      draftedBy: centre.certifier.subject,
    });
  });
});

describe('a centre’s evaluation certified by an independent body', () => {
  it('goes from the centre’s evaluation to a credential that verifies, issued by the certifier and naming the centre', async () => {
    const { person, evaluationId } = await evaluatedBy(centre);

    // Before the centre asks, the certifier neither reads nor certifies it.
    expect(
      extensionsOf(
        await client.request(
          RECORDED,
          { id: evaluationId },
          certifier.certifier,
        ),
      ),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'EVALUATION_NOT_VISIBLE' });
    expect(
      extensionsOf(
        await client.request(
          ISSUE_BY,
          { e: evaluationId, b: certifier.id },
          certifier.certifier,
        ),
      ),
    ).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'CERTIFICATION_NOT_REQUESTED',
    });

    const { requestCertification } = await client.ok(
      REQUEST_CERTIFICATION,
      { e: evaluationId, b: certifier.id },
      centre.evaluator,
    );
    expect(requestCertification.certificationRequestedFrom.id).toBe(
      certifier.id,
    );

    // The certifier reads the evaluation, not the person's personal data nor
    // who at the centre evaluated; the centre's staff see their evaluator.
    const { evaluation: read } = await client.ok(
      RECORDED,
      { id: evaluationId },
      certifier.certifier,
    );
    const { evaluation: own } = await client.ok(
      RECORDED,
      { id: evaluationId },
      centre.evaluator,
    );
    expect(own.evaluatorSubject).toBe(centre.evaluator.subject);
    expect(read).toMatchObject({
      result: 'COMPETENT',
      evaluatorSubject: null,
      procedureVersion: 2,
      certificationRequestedFrom: { id: certifier.id },
      candidate: {
        id: person.id,
        personalDataVisible: false,
        curp: null,
      },
    });
    expect(read.evidenceSummary.length).toBeGreaterThan(10);

    const { issueCertificate } = await client.ok(
      ISSUE_BY,
      { e: evaluationId, b: certifier.id },
      certifier.certifier,
    );
    expect(issueCertificate).toMatchObject({
      status: 'VALID',
      certifyingBody: { id: certifier.id },
      evaluatingBody: { id: centre.id },
    });
    // The certifier got no relationship with the person.
    const afterwards = await client.ok(
      `query ($id: ID!) { person(id: $id) { personalDataVisible curp } }`,
      { id: person.id },
      certifier.certifier,
    );
    expect(afterwards.person).toEqual({
      personalDataVisible: false,
      curp: null,
    });

    expect(
      (
        await client.ok(
          VERIFY,
          { c: issueCertificate.verificationCode },
          publicCaller,
        )
      ).verifyCertificate,
    ).toMatchObject({
      status: 'VALID',
      issuerName: 'Certificadora Nacional de Competencias',
      certifyingBody: { id: certifier.id },
      evaluatingBody: { id: centre.id, name: 'Centro de Evaluación Occidente' },
    });

    // The holder exports it: issued by the certifier, its source the centre.
    const { exportCredential } = await client.ok(
      EXPORT,
      { id: issueCertificate.id },
      { subject: person.id, roles: ['public'] },
    );
    const credential = JSON.parse(exportCredential.credential);
    for (const form of [credential, decodeJwt(exportCredential.jwt) as any]) {
      expect(form.issuer).toMatchObject({
        id: expect.stringMatching(new RegExp(`/bodies/${certifier.id}$`)),
        name: 'Certificadora Nacional de Competencias',
      });
      expect(form.credentialSubject.source).toEqual({
        id: expect.stringMatching(new RegExp(`/bodies/${centre.id}$`)),
        type: ['Profile'],
        name: 'Centro de Evaluación Occidente',
      });
    }
    expect(
      (await client.ok(VERIFY_VC, { jwt: exportCredential.jwt }, publicCaller))
        .verifyCredential,
    ).toEqual({
      valid: true,
      certificateId: issueCertificate.id,
      problems: [],
    });
    // Still an Open Badges 3.0 AchievementCredential, whole (its one
    // status entry included: see the schema test of credentials-from-nothing).
    const validate = openBadgesSchema();
    expect(validate(credential)).toBe(true);
    expect(validate.errors ?? []).toEqual([]);

    const events = await readEvents({
      brokers: infra.kafkaBrokers,
      topic: topic(),
      until: (m) =>
        (m.key === evaluationId &&
          (m.event.type === 'certification.EvaluationRecorded' ||
            m.event.type === 'certification.CertificationRequested')) ||
        (m.key === issueCertificate.id &&
          m.event.type === 'certification.CertificateIssued'),
      count: 3,
    });
    const data = (type: string) =>
      events.find((m) => m.event.type === type)?.event.data;
    expect(data('certification.EvaluationRecorded')).toMatchObject({
      certifyingBodyId: centre.id,
      procedureVersion: 2,
    });
    expect(data('certification.CertificationRequested')).toMatchObject({
      evaluationId,
      evaluatingBodyId: centre.id,
      certifyingBodyId: certifier.id,
    });
    expect(data('certification.CertificateIssued')).toMatchObject({
      certifyingBodyId: certifier.id,
      evaluatingBodyId: centre.id,
      evaluationId,
    });
  });

  it('offers candidates the bodies that evaluate: the centre and the full body, not the certification-only body', async () => {
    const { certificationOffers } = await client.ok(
      `query ($s: ID!) { certificationOffers(standardId: $s) { certifyingBody { id } } }`,
      { s: standard.id },
      publicCaller,
    );
    expect(
      certificationOffers.map((o: any) => o.certifyingBody.id).sort(),
    ).toEqual([centre.id, full.id].sort());
  });

  it('refuses the centre certifying its own evaluation (CENTRE_CERTIFIES_ITSELF)', async () => {
    const { evaluationId } = await evaluatedBy(centre);
    for (const b of [null, centre.id])
      expect(
        extensionsOf(
          await client.request(ISSUE_BY, { e: evaluationId, b }, centre.both),
        ),
      ).toMatchObject({ code: 'FORBIDDEN', reason: 'CENTRE_CERTIFIES_ITSELF' });
    expect(
      extensionsOf(
        await client.request(
          REQUEST_CERTIFICATION,
          { e: evaluationId, b: centre.id },
          centre.evaluator,
        ),
      ),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'CENTRE_CERTIFIES_ITSELF' });
    // Nor may the independent body ask for itself: the centre's staff ask.
    expect(
      extensionsOf(
        await client.request(
          REQUEST_CERTIFICATION,
          { e: evaluationId, b: certifier.id },
          certifier.both,
        ),
      ),
    ).toMatchObject({ code: 'FORBIDDEN', reason: 'NOT_BODY_STAFF' });
    // Still certifiable by an independent body: nothing was written.
    await client.ok(
      REQUEST_CERTIFICATION,
      { e: evaluationId, b: certifier.id },
      centre.evaluator,
    );
    expect(
      (
        await client.ok(
          ISSUE_BY,
          { e: evaluationId, b: certifier.id },
          certifier.both,
        )
      ).issueCertificate.certifyingBody.id,
    ).toBe(certifier.id);
  });

  it('refuses an evaluation-only centre as a certifier, and a certification-only body as an evaluator', async () => {
    const { evaluationId } = await evaluatedBy(full);
    expect(
      extensionsOf(
        await client.request(
          REQUEST_CERTIFICATION,
          { e: evaluationId, b: centre.id },
          full.evaluator,
        ),
      ),
    ).toMatchObject({
      code: 'CONFLICT',
      reason: 'NOT_ACCREDITED_FOR_CERTIFICATION',
      field: 'certifyingBodyId',
    });
    expect(
      extensionsOf(
        await client.request(
          ISSUE_BY,
          { e: evaluationId, b: centre.id },
          centre.certifier,
        ),
      ),
    ).toMatchObject({
      code: 'CONFLICT',
      reason: 'NOT_ACCREDITED_FOR_CERTIFICATION',
    });
    // A full body still certifies its own evaluation, as before.
    expect(
      (await client.ok(ISSUE_BY, { e: evaluationId }, full.certifier))
        .issueCertificate,
    ).toMatchObject({
      certifyingBody: { id: full.id },
      evaluatingBody: { id: full.id },
    });

    const person = await registeredPerson(client);
    expect(
      extensionsOf(
        await client.request(
          REGISTER_CANDIDACY,
          {
            input: {
              certifyingBodyId: certifier.id,
              personId: person.id,
              standardId: standard.id,
            },
          },
          admin,
        ),
      ),
    ).toMatchObject({
      code: 'CONFLICT',
      reason: 'NOT_ACCREDITED_FOR_EVALUATION',
      field: 'input.standardId',
    });
  });
});

/** The Open Badges 3.0 AchievementCredential JSON Schema (vendored), compiled. */
function openBadgesSchema() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(
    JSON.parse(
      readFileSync(
        join(
          __dirname,
          '..',
          'fixtures',
          'ob_v3p0_achievementcredential_schema.json',
        ),
        'utf8',
      ),
    ),
  );
}
