import type { Target } from './common';
import type { Enrollment } from './enrollment';

/** A certificate as certification's events describe it (a read model here). */
export interface CertificateFact {
  id: string;
  personId: string;
  standardId: string;
  issuedAt: Date;
  revoked: boolean;
}

/**
 * The competency standard whose certificates count as "certified" for a
 * target: the standard itself, or the one a vendor credential is aligned with
 * (null: nothing counts).
 */
export function certificationStandardOf(
  target: Target,
  credentialStandardId: string | null,
): string | null {
  return target.kind === 'STANDARD' ? target.id : credentialStandardId;
}

/**
 * An enrollment is certified when its person holds an unrevoked certificate
 * against the cohort's certification standard issued on or after enrolling
 * (certificates earned before the training are not its result).
 */
export function isCertified(
  enrollment: Enrollment,
  standardId: string | null,
  certificates: readonly CertificateFact[],
): boolean {
  if (!standardId || enrollment.status === 'DROPPED') return false;
  return certificates.some(
    (c) =>
      !c.revoked &&
      c.personId === enrollment.personId &&
      c.standardId === standardId &&
      c.issuedAt.getTime() >= enrollment.enrolledAt.getTime(),
  );
}

/** What a cohort or a project achieved. */
export interface Indicators {
  /** People who took part: ENROLLED or COMPLETED (drop-outs excluded). */
  trained: number;
  completed: number;
  dropped: number;
  vouchersIssued: number;
  vouchersUsed: number;
  vendorExamsPassed: number;
  certified: number;
  /** certified ÷ trained; null with nobody trained. */
  certificationRate: number | null;
  /** completed ÷ trained; null with nobody trained. */
  completionRate: number | null;
}

export function computeIndicators(
  enrollments: readonly Enrollment[],
  certified: (e: Enrollment) => boolean,
): Indicators {
  const active = enrollments.filter((e) => e.status !== 'DROPPED');
  const trained = active.length;
  const count = (pred: (e: Enrollment) => boolean) =>
    active.filter(pred).length;
  const certifiedCount = count(certified);
  const completed = count((e) => e.status === 'COMPLETED');
  return {
    trained,
    completed,
    dropped: enrollments.length - trained,
    vouchersIssued: count((e) => e.voucherIssuedAt !== null),
    vouchersUsed: count((e) => e.voucherUsedAt !== null),
    vendorExamsPassed: count((e) => e.examPassed === true),
    certified: certifiedCount,
    certificationRate: trained === 0 ? null : certifiedCount / trained,
    completionRate: trained === 0 ? null : completed / trained,
  };
}
