import { randomUUID } from 'node:crypto';
import type { Identity } from '@conecta/service-kit';
import {
  canReadPersonalData,
  requireCertifier,
  requireEvaluator,
} from '../../src/domain/access';
import {
  recordEvaluation,
  recordEvaluationInput,
} from '../../src/domain/evaluation';
import { certificationOffers } from '../../src/domain/offers';
import { initialsOf, registerPersonInput } from '../../src/domain/person';
import {
  accreditationMother,
  bodyMother,
  candidacyMother,
  personMother,
  standardMother,
} from '../fixtures/mothers';

const now = new Date('2026-03-10T00:00:00.000Z');
const as = (overrides: Partial<Identity>): Identity => ({
  roles: ['certifier'],
  organizationId: 'org-udg',
  issuedAt: now.getTime(),
  ...overrides,
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as { code: string }).code;
  }
  throw new Error('expected a refusal');
}

describe('recording an evaluation', () => {
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
      id: 'candidacy-1',
      personId: input.candidateId,
      certifyingBodyId: input.certifyingBodyId,
      standardId: standard.id,
    }),
    accreditation: accreditationMother.active({ standardId: standard.id }),
    standard,
  };

  it('records it under an accepted candidacy and an ACTIVE accreditation of a PUBLISHED standard', () => {
    expect(recordEvaluation(input, ctx)).toMatchObject({
      id: 'evaluation-1',
      evaluatorSubject: 'evaluator-1',
      result: 'COMPETENT',
      candidacyId: 'candidacy-1',
    });
  });

  it('refuses a candidate without a candidacy (FORBIDDEN) or whose candidacy is not accepted (CONFLICT), naming input.candidateId', () => {
    const refusal = (candidacy: typeof ctx.candidacy | null) => {
      try {
        recordEvaluation(input, { ...ctx, candidacy });
      } catch (error) {
        const e = error as { kind: string; code: string; field: string };
        return [e.kind, e.code, e.field];
      }
      throw new Error('expected a refusal');
    };
    expect(refusal(null)).toEqual([
      'FORBIDDEN',
      'NO_CANDIDACY',
      'input.candidateId',
    ]);
    for (const status of ['PROPOSED', 'DECLINED'] as const)
      expect(
        refusal(
          candidacyMother.proposed({ personId: input.candidateId, status }),
        ),
      ).toEqual(['CONFLICT', 'CANDIDACY_NOT_ACCEPTED', 'input.candidateId']);
  });

  it('refuses a date in the future, an evaluator evaluating themself, and a body not accredited', () => {
    expect(
      codeOf(() =>
        recordEvaluation(
          { ...input, evaluatedAt: new Date('2026-03-11T00:00:00.000Z') },
          ctx,
        ),
      ),
    ).toBe('EVALUATED_IN_FUTURE');
    expect(
      codeOf(() =>
        recordEvaluation(input, {
          ...ctx,
          evaluatorSubject: input.candidateId,
        }),
      ),
    ).toBe('EVALUATOR_IS_CANDIDATE');
    expect(
      codeOf(() =>
        recordEvaluation(input, {
          ...ctx,
          accreditation: accreditationMother.active({ status: 'SUSPENDED' }),
        }),
      ),
    ).toBe('ACCREDITATION_NOT_ACTIVE');
    expect(
      codeOf(() =>
        recordEvaluation(input, {
          ...ctx,
          standard: { ...standard, status: 'WITHDRAWN' },
        }),
      ),
    ).toBe('STANDARD_NOT_PUBLISHED');
  });

  it('refuses oversized evidence', () => {
    const result = recordEvaluationInput.safeParse({
      ...input,
      evidenceSummary: 'x'.repeat(4_001),
    });
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'evidenceSummary',
    ]);
  });
});

describe('who may act for a certifying body', () => {
  const body = bodyMother.university();

  it('lets an EVALUATOR of the body, acting for its organization, record evaluations', () => {
    expect(requireEvaluator(as({ subject: 'evaluator-1' }), body)).toBe(
      'evaluator-1',
    );
  });

  it('refuses evaluators of another organization, certifiers, and callers without the certifier role', () => {
    expect(
      codeOf(() =>
        requireEvaluator(
          as({ subject: 'evaluator-1', organizationId: 'org-other' }),
          body,
        ),
      ),
    ).toBe('NOT_BODY_EVALUATOR');
    expect(
      codeOf(() => requireEvaluator(as({ subject: 'certifier-1' }), body)),
    ).toBe('NOT_BODY_EVALUATOR');
    expect(
      codeOf(() =>
        requireEvaluator(
          as({ subject: 'evaluator-1', roles: ['partner'] }),
          body,
        ),
      ),
    ).toBe('NOT_BODY_EVALUATOR');
    expect(
      codeOf(() => requireCertifier(as({ subject: 'evaluator-1' }), body)),
    ).toBe('NOT_BODY_CERTIFIER');
    expect(
      codeOf(() =>
        requireCertifier(
          as({ subject: 'certifier-1', roles: ['admin'] }),
          body,
        ),
      ),
    ).toBe('NOT_BODY_CERTIFIER');
  });

  it('asks anonymous callers to sign in', () => {
    expect(
      codeOf(() => requireCertifier({ roles: ['public'], issuedAt: 0 }, body)),
    ).toBe('UNAUTHENTICATED');
  });
});

describe('personal data', () => {
  const body = bodyMother.university();

  it('is readable by the person, admins and staff of a body that evaluated them', () => {
    expect(
      canReadPersonalData(
        as({ subject: 'person-1', roles: [] }),
        'person-1',
        [],
      ),
    ).toBe(true);
    expect(
      canReadPersonalData(
        as({ subject: 'admin-1', roles: ['admin'] }),
        'person-1',
        [],
      ),
    ).toBe(true);
    expect(
      canReadPersonalData(as({ subject: 'certifier-1' }), 'person-1', [body]),
    ).toBe(true);
  });

  it('is hidden from staff of bodies without an open relationship with them, and from everyone else', () => {
    expect(
      canReadPersonalData(as({ subject: 'certifier-1' }), 'person-1', []),
    ).toBe(false);
    expect(
      canReadPersonalData({ roles: ['public'], issuedAt: 0 }, 'person-1', []),
    ).toBe(false);
    expect(
      canReadPersonalData(
        as({ subject: 'someone', roles: ['partner'] }),
        'person-1',
        [body],
      ),
    ).toBe(false);
  });

  it('shows the public only initials', () => {
    expect(initialsOf(personMother.candidate())).toBe('M.G.L.R.');
    expect(
      initialsOf({
        givenNames: 'Juan',
        firstSurname: 'Pérez',
        secondSurname: null,
      }),
    ).toBe('J.P.');
  });

  it('leaves name particles out of initials and keeps them within what events carry (20 characters)', () => {
    expect(
      initialsOf({
        givenNames: 'María de los Ángeles',
        firstSurname: 'del Río',
        secondSurname: 'de la Garza',
      }),
    ).toBe('M.Á.R.G.');
    // Seen in the demo at scale 10: a registration refused INTERNAL because the
    // PersonRegistered event allows at most 20 characters of initials.
    const long = initialsOf({
      givenNames: 'Ana Bertha Carla Diana Elena Fernanda Gabriela',
      firstSurname: 'Hernández Ibarra',
      secondSurname: 'Juárez Klein',
    });
    expect(long).toBe('A.B.C.D.E.F.G.H.I.J.');
    expect(long.length).toBeLessThanOrEqual(20);
  });

  it('refuses an invalid CURP with reason INVALID_CURP and normalises a valid one', () => {
    const bad = registerPersonInput.safeParse(
      personMother.candidate({ curp: 'HEGG560427MVZRRL05' }),
    );
    expect(bad.error?.issues[0]).toMatchObject({
      path: ['curp'],
      params: { code: 'INVALID_CURP' },
    });
    expect(
      registerPersonInput.parse(
        personMother.candidate({ curp: 'hegg560427mvzrrl04' }),
      ).curp,
    ).toBe('HEGG560427MVZRRL04');
  });
});

describe('where can I get certified?', () => {
  const standard = standardMother.published();
  const udg = bodyMother.university({
    fees: [{ standardId: standard.id, amountCentavos: 150_000 }],
  });
  const union = bodyMother.university({
    name: 'Sindicato de Telefonistas',
    kind: 'TRADE_UNION',
    facilities: [{ state: 'MX-NLE', city: 'Monterrey' }],
  });
  const pending = bodyMother.university({ name: 'Cámara pendiente' });
  const accreditations = [
    accreditationMother.active({
      certifyingBodyId: udg.id,
      standardId: standard.id,
    }),
    accreditationMother.active({
      certifyingBodyId: union.id,
      standardId: standard.id,
    }),
    accreditationMother.pending({
      certifyingBodyId: pending.id,
      standardId: standard.id,
    }),
  ];

  it('lists bodies with an ACTIVE accreditation, with fees, filtered by state and kind', () => {
    const all = certificationOffers(
      standard,
      accreditations,
      [udg, union, pending],
      {},
    );
    expect(all.map((o) => [o.certifyingBody.name, o.feeCentavos])).toEqual([
      ['Sindicato de Telefonistas', null],
      ['Universidad de Guadalajara', 150_000],
    ]);
    expect(
      certificationOffers(standard, accreditations, [udg, union], {
        state: 'MX-NLE',
      }).map((o) => o.certifyingBody.id),
    ).toEqual([union.id]);
    expect(
      certificationOffers(standard, accreditations, [udg, union], {
        kind: 'UNIVERSITY',
      }).map((o) => o.certifyingBody.id),
    ).toEqual([udg.id]);
  });

  it('lists nobody for a withdrawn standard', () => {
    expect(
      certificationOffers(
        { ...standard, status: 'WITHDRAWN' },
        accreditations,
        [udg, union],
        {},
      ),
    ).toEqual([]);
  });
});
