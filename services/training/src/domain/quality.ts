import type { Enrollment } from './enrollment';
import { isCertified, type CertificateFact } from './indicators';

/**
 * How many pseudo-completions of the peers' mean a provider's own record is
 * blended with (the Beta prior's weight, `m`): 10, one typical cohort (the
 * demo's and most agreements' minimum cohort size). A provider with fewer
 * than 10 completers is scored mostly as the average of its peers; with 10 it
 * is half its own record; with 90 it is 90 % its own. Small enough that one
 * or two cohorts move the score, large enough that 1 certified of 1
 * completed does not beat 80 of 100.
 */
export const QUALITY_PRIOR_WEIGHT = 10;

/** What training knows of a provider's cohorts: completers, and certified among them. */
export interface CertificationRecord {
  /** Enrollments COMPLETED in the provider's cohorts whose target has a certification standard. */
  completed: number;
  /** Of those, certified on the cohort's standard after enrolling (certification's events). */
  certified: number;
}

/**
 * Employer survey scores of a provider (outcomes), 0–1 after normalising.
 * No survey score reaches training today: outcomes publishes no survey event
 * (README: Decisions, quality score). The slot is here so the score can take
 * them once an event carries them.
 */
export interface SurveyRecord {
  /** Mean score, normalised to 0–1. */
  mean: number;
  /** How many surveys rated the provider. */
  count: number;
}

/** A provider's quality as matching ranks it. */
export interface ProviderQuality {
  providerId: string;
  certification: CertificationRecord;
  /** Always null for now (see {@link SurveyRecord}). */
  survey: SurveyRecord | null;
  /** certified ÷ completed, null with no completer. */
  rawRate: number | null;
  /**
   * The shrunk certification rate, `(certified + m·mean) ÷ (completed + m)`:
   * the score, 0–1. Null when no peer has any completer (there is no mean to
   * shrink toward: every provider is unknown and quality does not rank).
   */
  score: number | null;
  /** The peers' mean it was shrunk toward (pooled certified ÷ pooled completed). */
  prior: number | null;
}

/**
 * `(certified + m·mean) ÷ (completed + m)`: the posterior mean of a
 * Beta(m·mean, m·(1 − mean)) prior after `completed` trials with `certified`
 * successes (empirical Bayes: the prior's mean is the peers' pooled rate).
 *
 * @throws RangeError on negative counts, certified above completed, a mean outside 0–1 or m ≤ 0
 */
export function shrunkRate(
  record: CertificationRecord,
  mean: number,
  m: number = QUALITY_PRIOR_WEIGHT,
): number {
  const { completed, certified } = record;
  if (
    !Number.isInteger(completed) ||
    !Number.isInteger(certified) ||
    completed < 0 ||
    certified < 0 ||
    certified > completed
  )
    throw new RangeError(
      `need 0 ≤ certified ≤ completed, got ${certified} of ${completed}`,
    );
  if (!(mean >= 0 && mean <= 1))
    throw new RangeError(`mean must be 0–1, got ${mean}`);
  if (!(m > 0)) throw new RangeError(`m must be positive, got ${m}`);
  return (certified + m * mean) / (completed + m);
}

/**
 * The quality of each provider among peers (the providers a demand's offers
 * come from): each one's certification rate shrunk toward the peers' pooled
 * rate. A provider with no record scores the mean.
 */
export function providerQualities(
  records: ReadonlyMap<string, CertificationRecord>,
  m: number = QUALITY_PRIOR_WEIGHT,
): Map<string, ProviderQuality> {
  let completed = 0;
  let certified = 0;
  for (const r of records.values()) {
    completed += r.completed;
    certified += r.certified;
  }
  const prior = completed === 0 ? null : certified / completed;
  const qualities = new Map<string, ProviderQuality>();
  for (const [providerId, certification] of records)
    qualities.set(providerId, {
      providerId,
      certification,
      survey: null,
      rawRate:
        certification.completed === 0
          ? null
          : certification.certified / certification.completed,
      score: prior === null ? null : shrunkRate(certification, prior, m),
      prior,
    });
  return qualities;
}

/**
 * A provider's certification record from its cohorts' enrollments: COMPLETED
 * ones count as completed when their cohort's target has a certification
 * standard (else "certified" cannot be measured and the cohort is left out),
 * and as certified when {@link isCertified} (a certificate on that standard
 * issued on or after enrolling, not revoked).
 *
 * @param standardOfCohort the certification standard of each cohort (null: unmeasurable)
 */
export function certificationRecord(
  enrollments: readonly Enrollment[],
  standardOfCohort: (cohortId: string) => string | null,
  certificates: readonly CertificateFact[],
): CertificationRecord {
  let completed = 0;
  let certified = 0;
  for (const e of enrollments) {
    if (e.status !== 'COMPLETED') continue;
    const standardId = standardOfCohort(e.cohortId);
    if (!standardId) continue;
    completed += 1;
    if (isCertified(e, standardId, certificates)) certified += 1;
  }
  return { completed, certified };
}

/** A score as matching compares it: whole percentage points (finer differences are noise). */
export const qualityPoints = (score: number | null): number | null =>
  score === null ? null : Math.round(score * 100);
