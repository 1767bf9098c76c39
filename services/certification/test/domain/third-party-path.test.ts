import { randomUUID } from 'node:crypto';
import type { Identity } from '@conecta/service-kit';
import {
  canSeeEvaluation,
  canSeeProcedureHistory,
} from '../../src/domain/access';
import {
  accreditationScopesInput,
  activateAccreditation,
  requestAccreditation,
  suspendAccreditation,
} from '../../src/domain/accreditation';
import {
  issueCertificate,
  type IssueContext,
} from '../../src/domain/certificate';
import {
  recordEvaluation,
  recordEvaluationInput,
  requestCertification,
} from '../../src/domain/evaluation';
import {
  approveEvaluationProcedure,
  currentProcedure,
  draftEvaluationProcedure,
  draftEvaluationProcedureInput,
  isSuperseded,
  latestVersion,
  rejectEvaluationProcedure,
  submitEvaluationProcedure,
} from '../../src/domain/evaluation-procedure';
import { openBadgeCredential } from '../../src/credentials/open-badge';
import {
  accreditationMother,
  bodyMother,
  candidacyMother,
  evaluationMother,
  nominationMother,
  procedureMother,
  standardMother,
} from '../fixtures/mothers';

const now = new Date('2026-03-10T00:00:00.000Z');

function refusal(fn: () => unknown): { code: string; kind: string } {
  try {
    fn();
  } catch (error) {
    return error as { code: string; kind: string };
  }
  throw new Error('expected a refusal');
}

describe('a body’s evaluation procedure (safeguard 2)', () => {
  const input = draftEvaluationProcedureInput.parse({
    certifyingBodyId: randomUUID(),
    documentUrl: 'https://udg.mx/evaluacion/procedimiento.pdf',
    documentSha256: 'AB'.repeat(32),
  });

  it('drafts the next version, with the document’s SHA-256 in lowercase', () => {
    const draft = draftEvaluationProcedure(input, {
      id: 'p-3',
      now,
      draftedBy: 'ce-1',
      latestVersion: latestVersion([{ version: 1 }, { version: 2 }]),
    });
    expect(draft).toMatchObject({
      version: 3,
      status: 'DRAFT',
      documentSha256: 'ab'.repeat(32),
      draftedBy: 'ce-1',
    });
    expect(
      draftEvaluationProcedure(input, {
        id: 'p-1',
        now,
        draftedBy: 'ce-1',
        latestVersion: latestVersion([]),
      }).version,
    ).toBe(1);
  });

  it('refuses a document that is not https or a hash that is not SHA-256', () => {
    const problems = draftEvaluationProcedureInput.safeParse({
      ...input,
      documentUrl: 'http://udg.mx/procedimiento.pdf',
      documentSha256: 'abc',
    });
    expect(problems.success).toBe(false);
    expect(problems.error?.issues.map((i) => i.path.join('.')).sort()).toEqual([
      'documentSha256',
      'documentUrl',
    ]);
  });

  it('goes DRAFT → SUBMITTED → APPROVED, recording the admin and the time', () => {
    const approved = approveEvaluationProcedure(
      submitEvaluationProcedure(procedureMother.draft(), now),
      { admin: 'admin-1', now },
    );
    expect(approved).toMatchObject({
      status: 'APPROVED',
      submittedAt: now,
      reviewedBy: 'admin-1',
      reviewedAt: now,
    });
  });

  it('rejects a SUBMITTED version with its reason', () => {
    expect(
      rejectEvaluationProcedure(procedureMother.submitted(), {
        admin: 'admin-1',
        now,
        reason: 'Falta el instrumento de evaluación',
      }),
    ).toMatchObject({
      status: 'REJECTED',
      rejectionReason: 'Falta el instrumento de evaluación',
    });
  });

  it('approves only a SUBMITTED version, and never changes an approved or rejected one', () => {
    const moves = [
      () =>
        approveEvaluationProcedure(procedureMother.draft(), {
          admin: 'a',
          now,
        }),
      () => submitEvaluationProcedure(procedureMother.submitted(), now),
      () =>
        rejectEvaluationProcedure(procedureMother.approved(), {
          admin: 'a',
          now,
          reason: 'Tarde',
        }),
      () =>
        approveEvaluationProcedure(
          procedureMother.submitted({ status: 'REJECTED' }),
          { admin: 'a', now },
        ),
    ];
    for (const move of moves)
      expect(refusal(move)).toMatchObject({
        code: 'PROCEDURE_TRANSITION_NOT_ALLOWED',
        kind: 'CONFLICT',
      });
  });

  it('a newer approved version is current; the older stays APPROVED, superseded', () => {
    const v1 = procedureMother.approved({ version: 1 });
    const v2 = procedureMother.approved({ version: 2 });
    const v3 = procedureMother.submitted({ version: 3 });
    const all = [v2, v3, v1];
    expect(currentProcedure(all)).toBe(v2);
    expect(isSuperseded(v1, all)).toBe(true);
    expect(isSuperseded(v2, all)).toBe(false);
    expect(v1.status).toBe('APPROVED');
    expect(currentProcedure([v3, procedureMother.draft()])).toBeNull();
  });
});

describe('activating an accreditation needs an approved procedure', () => {
  const standard = standardMother.published({ id: 'standard-1' });
  const nominations = nominationMother.for(standard, [
    'org-udg',
    'org-2',
    'org-3',
  ]);

  it('refuses without an APPROVED procedure of the body (NO_APPROVED_PROCEDURE)', () => {
    for (const procedure of [
      null,
      procedureMother.draft(),
      procedureMother.submitted(),
      procedureMother.submitted({ status: 'REJECTED' }),
    ])
      expect(
        refusal(() =>
          activateAccreditation(
            accreditationMother.pending(),
            standard,
            nominations,
            procedure,
            now,
          ),
        ),
      ).toMatchObject({ code: 'NO_APPROVED_PROCEDURE', kind: 'CONFLICT' });
  });

  it('activates once one is approved, and reactivating a suspended one asks again', () => {
    const active = activateAccreditation(
      accreditationMother.pending(),
      standard,
      nominations,
      procedureMother.approved(),
      now,
    );
    expect(active.status).toBe('ACTIVE');
    const suspended = suspendAccreditation(active, 'Auditoría en curso', now);
    expect(
      refusal(() =>
        activateAccreditation(suspended, standard, nominations, null, now),
      ).code,
    ).toBe('NO_APPROVED_PROCEDURE');
  });
});

describe('accreditation scopes', () => {
  it('are both unless asked, and stored in one order without repeats', () => {
    const both = requestAccreditation(
      {
        certifyingBodyId: 'b',
        organizationId: 'o',
        standardId: 's',
      },
      { id: 'a', now },
    );
    expect(both.scopes).toEqual(['EVALUATION', 'CERTIFICATION']);
    expect(
      accreditationScopesInput.parse([
        'CERTIFICATION',
        'EVALUATION',
        'CERTIFICATION',
      ]),
    ).toEqual(['EVALUATION', 'CERTIFICATION']);
    expect(accreditationScopesInput.safeParse([]).success).toBe(false);
  });
});

describe('recording an evaluation needs the EVALUATION scope', () => {
  const standard = standardMother.published();
  const input = recordEvaluationInput.parse({
    certifyingBodyId: randomUUID(),
    candidateId: randomUUID(),
    standardId: standard.id,
    evidenceSummary: 'Portafolio de evidencias y observación directa.',
    result: 'COMPETENT',
    evaluatedAt: new Date('2026-03-09T10:00:00.000Z'),
  });
  const ctx = {
    id: 'evaluation-1',
    now,
    evaluatorSubject: 'evaluator-1',
    candidacy: candidacyMother.accepted({
      personId: input.candidateId,
      certifyingBodyId: input.certifyingBodyId,
      standardId: standard.id,
    }),
    standard,
  };

  it('records the version of the body’s current procedure it followed', () => {
    expect(
      recordEvaluation(input, {
        ...ctx,
        accreditation: accreditationMother.evaluationOnly(),
        procedureVersion: 4,
      }),
    ).toMatchObject({ procedureVersion: 4, certificationRequest: null });
  });

  it('refuses a body accredited to certify only (NOT_ACCREDITED_FOR_EVALUATION)', () => {
    expect(
      refusal(() =>
        recordEvaluation(input, {
          ...ctx,
          accreditation: accreditationMother.certificationOnly(),
        }),
      ),
    ).toMatchObject({
      code: 'NOT_ACCREDITED_FOR_EVALUATION',
      kind: 'CONFLICT',
    });
  });
});

describe('the third-party path', () => {
  const centre = bodyMother.university({
    id: 'centre-1',
    organizationId: 'org-centre',
    name: 'Centro de Evaluación Jalisco',
  });
  const certifier = bodyMother.university({
    id: 'certifier-body',
    organizationId: 'org-certifier',
    name: 'Certificadora Nacional',
  });
  const evaluation = evaluationMother.competent({
    certifyingBodyId: centre.id,
    evaluatedAt: new Date('2026-03-01T10:00:00.000Z'),
  });
  const requested = {
    ...evaluation,
    certificationRequest: {
      certifyingBodyId: certifier.id,
      requestedBy: 'evaluator-1',
      requestedAt: now,
    },
  };
  const request = {
    evaluatingBody: centre,
    certifyingBody: certifier,
    certifyingAccreditation: accreditationMother.certificationOnly(),
    certified: false,
    requestedBy: 'evaluator-1',
    now,
  };

  describe('asking an independent body to certify', () => {
    it('records the body asked', () => {
      expect(
        requestCertification(evaluation, request).certificationRequest,
      ).toEqual({
        certifyingBodyId: certifier.id,
        requestedBy: 'evaluator-1',
        requestedAt: now,
      });
    });

    it('refuses the centre itself or a body of its organization (CENTRE_CERTIFIES_ITSELF)', () => {
      for (const certifyingBody of [
        centre,
        { ...certifier, organizationId: centre.organizationId },
      ])
        expect(
          refusal(() =>
            requestCertification(evaluation, { ...request, certifyingBody }),
          ),
        ).toMatchObject({ code: 'CENTRE_CERTIFIES_ITSELF', kind: 'FORBIDDEN' });
    });

    it('refuses a body not accredited to certify the standard, a result not COMPETENT, an evaluation certified already', () => {
      expect(
        refusal(() =>
          requestCertification(evaluation, {
            ...request,
            certifyingAccreditation: accreditationMother.evaluationOnly(),
          }),
        ).code,
      ).toBe('NOT_ACCREDITED_FOR_CERTIFICATION');
      expect(
        refusal(() =>
          requestCertification(evaluation, {
            ...request,
            certifyingAccreditation: null,
          }),
        ).code,
      ).toBe('ACCREDITATION_NOT_ACTIVE');
      expect(
        refusal(() =>
          requestCertification(
            { ...evaluation, result: 'NOT_YET_COMPETENT' },
            request,
          ),
        ).code,
      ).toBe('EVALUATION_NOT_COMPETENT');
      expect(
        refusal(() =>
          requestCertification(evaluation, { ...request, certified: true }),
        ).code,
      ).toBe('EVALUATION_ALREADY_CERTIFIED');
    });
  });

  describe('certifying', () => {
    const issue = (overrides: Partial<IssueContext> = {}): IssueContext => ({
      id: 'certificate-1',
      now,
      certifierSubject: 'certifier-1',
      accreditation: accreditationMother.certificationOnly(),
      independent: {
        certifyingBody: certifier,
        evaluatingBody: centre,
        evaluatingAccreditation: accreditationMother.evaluationOnly(),
      },
      standard: standardMother.published({ id: 'standard-1' }),
      evaluationMaxAgeMonths: 6,
      validCertificate: null,
      certificateOfEvaluation: null,
      ...overrides,
    });

    it('an independent body certifies a centre’s evaluation it was asked to: the certificate names both', () => {
      expect(issueCertificate(requested, issue())).toMatchObject({
        certifyingBodyId: certifier.id,
        evaluatingBodyId: centre.id,
        personId: evaluation.candidateId,
        certifierSubject: 'certifier-1',
      });
    });

    it('never the centre itself (CENTRE_CERTIFIES_ITSELF)', () => {
      // Its own path: a centre's accreditation allows evaluation only.
      expect(
        refusal(() =>
          issueCertificate(
            requested,
            issue({
              accreditation: accreditationMother.evaluationOnly(),
              independent: null,
            }),
          ),
        ),
      ).toMatchObject({ code: 'CENTRE_CERTIFIES_ITSELF', kind: 'FORBIDDEN' });
      // Another body of the centre's organization.
      expect(
        refusal(() =>
          issueCertificate(
            requested,
            issue({
              independent: {
                certifyingBody: {
                  ...certifier,
                  organizationId: centre.organizationId,
                },
                evaluatingBody: centre,
                evaluatingAccreditation: accreditationMother.evaluationOnly(),
              },
            }),
          ),
        ).code,
      ).toBe('CENTRE_CERTIFIES_ITSELF');
    });

    it('a full body still certifies its own evaluation, as before', () => {
      expect(
        issueCertificate(
          evaluation,
          issue({
            accreditation: accreditationMother.active(),
            independent: null,
          }),
        ),
      ).toMatchObject({
        certifyingBodyId: centre.id,
        evaluatingBodyId: centre.id,
      });
    });

    it('refuses a certifier accredited to evaluate only, a body not asked, a centre no longer ACTIVE', () => {
      expect(
        refusal(() =>
          issueCertificate(
            requested,
            issue({ accreditation: accreditationMother.evaluationOnly() }),
          ),
        ),
      ).toMatchObject({
        code: 'NOT_ACCREDITED_FOR_CERTIFICATION',
        kind: 'CONFLICT',
      });
      expect(
        refusal(() => issueCertificate(evaluation, issue())),
      ).toMatchObject({
        code: 'CERTIFICATION_NOT_REQUESTED',
        kind: 'FORBIDDEN',
      });
      expect(
        refusal(() =>
          issueCertificate(
            requested,
            issue({
              independent: {
                certifyingBody: certifier,
                evaluatingBody: centre,
                evaluatingAccreditation: accreditationMother.evaluationOnly({
                  status: 'SUSPENDED',
                }),
              },
            }),
          ),
        ).code,
      ).toBe('EVALUATING_BODY_NOT_ACTIVE');
    });

    it('still refuses a certifier who evaluated', () => {
      expect(
        refusal(() =>
          issueCertificate(
            requested,
            issue({ certifierSubject: evaluation.evaluatorSubject }),
          ),
        ).code,
      ).toBe('CERTIFIER_IS_EVALUATOR');
    });
  });

  describe('who reads what', () => {
    const staffOf = (body: typeof centre, subject: string): Identity => ({
      subject,
      roles: ['certifier'],
      organizationId: body.organizationId,
      issuedAt: now.getTime(),
    });
    const certifierStaff = staffOf(certifier, 'certifier-1');

    it('the body asked reads the evaluation; a body not asked does not', () => {
      expect(
        canSeeEvaluation(certifierStaff, requested, centre, certifier),
      ).toBe(true);
      expect(canSeeEvaluation(certifierStaff, evaluation, centre, null)).toBe(
        false,
      );
      const other = bodyMother.university({ organizationId: 'org-other' });
      expect(
        canSeeEvaluation(
          staffOf(other, 'certifier-1'),
          requested,
          centre,
          certifier,
        ),
      ).toBe(false);
    });

    it('a body’s procedure history is for admins and its staff', () => {
      expect(canSeeProcedureHistory(certifierStaff, certifier)).toBe(true);
      expect(canSeeProcedureHistory(certifierStaff, centre)).toBe(false);
      expect(
        canSeeProcedureHistory(
          { subject: 'admin-1', roles: ['admin'], issuedAt: now.getTime() },
          centre,
        ),
      ).toBe(true);
    });
  });

  it('the credential’s issuer is the certifying body and its subject’s source the centre', () => {
    const facts = {
      certificateId: randomUUID(),
      issuedAt: now,
      expiresAt: new Date('2029-03-10T00:00:00.000Z'),
      standard: {
        id: 'standard-1',
        code: 'EC0217',
        title: 'Cursos',
        version: 1,
      },
      body: { id: certifier.id, name: certifier.name },
      holder: { id: 'person-1', curp: 'x', initials: 'M.G.L.' },
      statusList: 1,
      statusListIndex: 7,
      suspension: { statusList: 1, statusListIndex: 9 },
    };
    const credential = openBadgeCredential(
      { ...facts, evaluatingBody: { id: centre.id, name: centre.name } },
      'https://conecta.example/certification',
      'salt',
      'urn:uuid:x',
    );
    expect(credential.issuer).toMatchObject({
      id: `https://conecta.example/certification/bodies/${certifier.id}`,
      name: certifier.name,
    });
    expect(credential.credentialSubject.source).toEqual({
      id: `https://conecta.example/certification/bodies/${centre.id}`,
      type: ['Profile'],
      name: centre.name,
    });
    expect(
      openBadgeCredential(facts, 'https://x/certification', 's', 'urn:uuid:y')
        .credentialSubject,
    ).not.toHaveProperty('source');
  });
});
