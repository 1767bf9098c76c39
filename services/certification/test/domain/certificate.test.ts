import {
  certificateStatus,
  issueCertificate,
  newVerificationCode,
  parseVerificationCode,
  holdsValidKey,
  reinstateCertificate,
  revokeCertificate,
  suspendCertificate,
  VERIFICATION_CODE_LENGTH,
  type IssueContext,
} from '../../src/domain/certificate';
import { addYears } from '../../src/domain/time';
import {
  accreditationMother,
  certificateMother,
  evaluationMother,
  standardMother,
} from '../fixtures/mothers';

const now = new Date('2026-03-10T00:00:00.000Z');
const context = (overrides: Partial<IssueContext> = {}): IssueContext => ({
  id: 'certificate-1',
  now,
  certifierSubject: 'certifier-1',
  accreditation: accreditationMother.active(),
  standard: standardMother.published({ id: 'standard-1' }),
  evaluationMaxAgeMonths: 6,
  validCertificate: null,
  certificateOfEvaluation: null,
  ...overrides,
});

function refusal(fn: () => unknown): { code: string; kind: string } {
  try {
    fn();
  } catch (error) {
    return error as { code: string; kind: string };
  }
  throw new Error('expected a refusal');
}

describe('issuing a certificate', () => {
  it('issues for a COMPETENT evaluation, expiring after the standard’s validity', () => {
    const certificate = issueCertificate(
      evaluationMother.competent(),
      context(),
    );
    expect(certificate).toMatchObject({
      personId: 'person-1',
      standardId: 'standard-1',
      certifierSubject: 'certifier-1',
      issuedAt: now,
      expiresAt: new Date('2029-03-10T00:00:00.000Z'),
      revokedAt: null,
    });
  });

  it('refuses a certificate signed by the person who evaluated', () => {
    expect(
      refusal(() =>
        issueCertificate(
          evaluationMother.competent({ evaluatorSubject: 'both-1' }),
          context({ certifierSubject: 'both-1' }),
        ),
      ),
    ).toMatchObject({ code: 'CERTIFIER_IS_EVALUATOR', kind: 'FORBIDDEN' });
  });

  it('refuses when the body’s accreditation is not ACTIVE', () => {
    for (const accreditation of [
      null,
      accreditationMother.pending(),
      accreditationMother.active({ status: 'SUSPENDED' }),
      accreditationMother.active({ status: 'REVOKED' }),
    ]) {
      expect(
        refusal(() =>
          issueCertificate(
            evaluationMother.competent(),
            context({ accreditation }),
          ),
        ).code,
      ).toBe('ACCREDITATION_NOT_ACTIVE');
    }
  });

  it('refuses against a withdrawn or superseded standard', () => {
    for (const status of ['WITHDRAWN', 'SUPERSEDED'] as const) {
      expect(
        refusal(() =>
          issueCertificate(
            evaluationMother.competent(),
            context({ standard: standardMother.published({ status }) }),
          ),
        ).code,
      ).toBe('STANDARD_NOT_PUBLISHED');
    }
  });

  it('refuses a NOT_YET_COMPETENT evaluation', () => {
    expect(
      refusal(() =>
        issueCertificate(
          evaluationMother.competent({ result: 'NOT_YET_COMPETENT' }),
          context(),
        ),
      ).code,
    ).toBe('EVALUATION_NOT_COMPETENT');
  });

  it('refuses an evaluation older than the configured months, accepts one just inside', () => {
    const old = evaluationMother.competent({
      evaluatedAt: new Date('2025-09-09T23:59:59.000Z'),
    });
    expect(refusal(() => issueCertificate(old, context())).code).toBe(
      'EVALUATION_TOO_OLD',
    );
    const recent = evaluationMother.competent({
      evaluatedAt: new Date('2025-09-10T00:00:00.000Z'),
    });
    expect(() => issueCertificate(recent, context())).not.toThrow();
    expect(
      refusal(() =>
        issueCertificate(recent, context({ evaluationMaxAgeMonths: 3 })),
      ).code,
    ).toBe('EVALUATION_TOO_OLD');
  });

  it('refuses while the person holds a VALID certificate for the same standard', () => {
    expect(
      refusal(() =>
        issueCertificate(
          evaluationMother.competent(),
          context({ validCertificate: { id: 'older' } }),
        ),
      ),
    ).toMatchObject({ code: 'CERTIFICATE_ALREADY_VALID', kind: 'CONFLICT' });
  });

  it('refuses a second certificate for the same evaluation', () => {
    expect(
      refusal(() =>
        issueCertificate(
          evaluationMother.competent(),
          context({ certificateOfEvaluation: { id: 'first' } }),
        ),
      ).code,
    ).toBe('EVALUATION_ALREADY_CERTIFIED');
  });
});

describe('a certificate’s status and revocation', () => {
  it('is VALID until expiry, then EXPIRED; REVOKED wins', () => {
    const c = certificateMother.issued();
    expect(certificateStatus(c, now)).toBe('VALID');
    expect(certificateStatus(c, c.expiresAt)).toBe('EXPIRED');
    const revoked = revokeCertificate(c, 'Evidencia falsificada', now);
    expect(certificateStatus(revoked, now)).toBe('REVOKED');
    expect(revoked.revocationReason).toBe('Evidencia falsificada');
  });

  it('makes revocation permanent: a second revocation is refused', () => {
    const revoked = revokeCertificate(
      certificateMother.issued(),
      'Fraude',
      now,
    );
    expect(
      refusal(() => revokeCertificate(revoked, 'Otra vez', now)).code,
    ).toBe('CERTIFICATE_ALREADY_REVOKED');
  });

  it('expires on 28 February when issued on 29 February', () => {
    expect(
      addYears(new Date('2028-02-29T12:00:00.000Z'), 1).toISOString(),
    ).toBe('2029-02-28T12:00:00.000Z');
  });
});

describe('suspension and reinstatement', () => {
  it('suspends a VALID certificate with its reason: SUSPENDED until reinstated, then VALID again', () => {
    const c = certificateMother.issued();
    const suspended = suspendCertificate(c, 'Queja bajo investigación', now);
    expect(certificateStatus(suspended, now)).toBe('SUSPENDED');
    expect(suspended).toMatchObject({
      suspendedAt: now,
      suspensionReason: 'Queja bajo investigación',
      revokedAt: null,
    });
    const reinstated = reinstateCertificate(suspended);
    expect(certificateStatus(reinstated, now)).toBe('VALID');
    expect(reinstated).toMatchObject({
      suspendedAt: null,
      suspensionReason: null,
    });
    // And it may be suspended again later.
    expect(
      certificateStatus(suspendCertificate(reinstated, 'Otra queja', now), now),
    ).toBe('SUSPENDED');
  });

  it('keeps the person+standard key while suspended, so no second certificate is issued meanwhile', () => {
    const suspended = suspendCertificate(
      certificateMother.issued(),
      'Queja bajo investigación',
      now,
    );
    expect(holdsValidKey(suspended, now)).toBe(true);
    expect(holdsValidKey(suspended, suspended.expiresAt)).toBe(false);
  });

  it('reports SUSPENDED over EXPIRED, REVOKED over both', () => {
    const suspended = suspendCertificate(
      certificateMother.issued(),
      'Queja bajo investigación',
      now,
    );
    expect(certificateStatus(suspended, suspended.expiresAt)).toBe('SUSPENDED');
    // Reinstated after its expiry: simply EXPIRED.
    expect(
      certificateStatus(reinstateCertificate(suspended), suspended.expiresAt),
    ).toBe('EXPIRED');
  });

  it('lets a suspended certificate be revoked, which ends the suspension for good', () => {
    const suspended = suspendCertificate(
      certificateMother.issued(),
      'Queja bajo investigación',
      now,
    );
    const revoked = revokeCertificate(suspended, 'Evidencia falsificada', now);
    expect(certificateStatus(revoked, now)).toBe('REVOKED');
    expect(revoked).toMatchObject({
      suspendedAt: null,
      suspensionReason: null,
    });
    expect(refusal(() => reinstateCertificate(revoked)).code).toBe(
      'CERTIFICATE_ALREADY_REVOKED',
    );
    expect(
      refusal(() => suspendCertificate(revoked, 'Otra queja', now)).code,
    ).toBe('CERTIFICATE_ALREADY_REVOKED');
  });

  it('refuses to suspend twice, to suspend an expired certificate, and to reinstate one not suspended', () => {
    const c = certificateMother.issued();
    const suspended = suspendCertificate(c, 'Queja bajo investigación', now);
    expect(
      refusal(() => suspendCertificate(suspended, 'Otra queja', now)).code,
    ).toBe('CERTIFICATE_ALREADY_SUSPENDED');
    expect(
      refusal(() => suspendCertificate(c, 'Queja tardía', c.expiresAt)).code,
    ).toBe('CERTIFICATE_EXPIRED');
    expect(refusal(() => reinstateCertificate(c)).code).toBe(
      'CERTIFICATE_NOT_SUSPENDED',
    );
  });
});

describe('verification codes', () => {
  it('are 26 base32 characters from 128 random bits, never repeating', () => {
    const codes = new Set(
      Array.from({ length: 1_000 }, () => newVerificationCode()),
    );
    expect(codes.size).toBe(1_000);
    for (const code of codes) {
      expect(code).toMatch(/^[A-Z2-7]{26}$/);
    }
    expect(VERIFICATION_CODE_LENGTH).toBe(26);
  });

  it('encode the random bytes as RFC 4648 base32', () => {
    const zeros = newVerificationCode((size) => Buffer.alloc(size));
    expect(zeros).toBe('A'.repeat(26));
    const ones = newVerificationCode((size) => Buffer.alloc(size, 0xff));
    expect(ones).toBe(`${'7'.repeat(25)}4`); // 3 bits left: 111 + 00
  });

  it('accept what people type (case, spaces, hyphens) and refuse malformed codes before any lookup', () => {
    const code = newVerificationCode();
    expect(
      parseVerificationCode(
        ` ${code.slice(0, 13).toLowerCase()}-${code.slice(13)} `,
      ),
    ).toBe(code);
    for (const bad of ['', 'ABC', `${code}A`, `${code.slice(0, 25)}1`]) {
      expect(() => parseVerificationCode(bad)).toThrow(
        expect.objectContaining({ code: 'INVALID_VERIFICATION_CODE' }),
      );
    }
  });
});
