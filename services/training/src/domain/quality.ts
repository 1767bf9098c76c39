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
 * A provider's employer-survey score as outcomes releases it
 * (`outcomes.ProviderSurveyScoreChanged`): the weighted average of its
 * surveys' factors, 1–5, and how many surveys (rounded to 5 by outcomes; a
 * withheld release — fewer surveys than outcomes' threshold — reaches
 * training as no record). A provider-level aggregate: no survey, employer or
 * person.
 */
export interface SurveyRecord {
  /** Weighted average, 1 (poor) to 5 (excellent). */
  average: number;
  /** How many surveys rated the provider (as released). */
  responses: number;
}

/**
 * A survey average, 1–5, on the 0–1 scale of the certification rate:
 * `(average − 1) ÷ 4` (1 → 0, 3 → 0.5, 5 → 1).
 *
 * @throws RangeError outside 1–5
 */
export function surveyRate(average: number): number {
  if (!(average >= 1 && average <= 5))
    throw new RangeError(`a survey average is 1–5, got ${average}`);
  return (average - 1) / 4;
}

/** The survey part of the quality score. */
export interface SurveyPart {
  /** The provider's survey rate shrunk toward the peers' mean, 0–1; null when no peer has a survey score. */
  score: number | null;
  /** The peers' survey rates weighted by their responses, 0–1; null when none has one. */
  prior: number | null;
}

/** A provider's quality as matching ranks it. */
export interface ProviderQuality {
  providerId: string;
  certification: CertificationRecord;
  /** Its released survey score; null when none reached training. */
  survey: SurveyRecord | null;
  /** certified ÷ completed, null with no completer. */
  rawRate: number | null;
  /**
   * The score, 0–1: the mean of the parts that count — the certification
   * rate and the survey rate, each shrunk toward the peers' mean — or the
   * one that counts (a part counts when some peer has a record of it).
   * Null when neither counts: quality does not rank.
   */
  score: number | null;
  /** The peers' pooled certification rate (pooled certified ÷ pooled completed); null with no completer among them. */
  prior: number | null;
  /** The certification part: `(certified + m·prior) ÷ (completed + m)`; null when `prior` is. */
  certificationScore: number | null;
  /** The survey part. */
  surveyPart: SurveyPart;
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
 * `(n·x + m·mean) ÷ (n + m)`: a mean `x` of `n` observations shrunk toward
 * `mean` by `m` pseudo-observations ({@link shrunkRate}'s rule, for the
 * survey part).
 *
 * @throws RangeError on a negative count, a value or mean outside 0–1, or m ≤ 0
 */
export function shrunkMean(
  x: number,
  n: number,
  mean: number,
  m: number = QUALITY_PRIOR_WEIGHT,
): number {
  if (!(n >= 0)) throw new RangeError(`need n ≥ 0, got ${n}`);
  if (!(x >= 0 && x <= 1)) throw new RangeError(`x must be 0–1, got ${x}`);
  if (!(mean >= 0 && mean <= 1))
    throw new RangeError(`mean must be 0–1, got ${mean}`);
  if (!(m > 0)) throw new RangeError(`m must be positive, got ${m}`);
  return (n * x + m * mean) / (n + m);
}

/**
 * The quality of each provider among peers (the providers a demand's offers
 * come from): two parts, each shrunk toward the peers' mean with the same
 * `m` (README: Decisions, quality score) —
 *
 * - certification: `(certified + m·mean) ÷ (completed + m)`, `mean` the
 *   peers' pooled rate; a provider with no completer scores the mean;
 * - surveys: `(n·rate + m·mean) ÷ (n + m)` over its released responses `n`
 *   and its survey rate ({@link surveyRate}), `mean` the peers' rates
 *   weighted by their responses; a provider with no survey score scores the
 *   mean —
 *
 * and the score is the mean of the two, or the one whose mean exists (null
 * when no peer has a completer nor a survey score).
 *
 * @param surveys released survey scores by provider id (absent: none)
 */
export function providerQualities(
  records: ReadonlyMap<string, CertificationRecord>,
  surveys: ReadonlyMap<string, SurveyRecord> = new Map(),
  m: number = QUALITY_PRIOR_WEIGHT,
): Map<string, ProviderQuality> {
  const rated = (id: string): SurveyRecord | null => {
    const survey = surveys.get(id);
    return survey && survey.responses > 0 ? survey : null;
  };
  let completed = 0;
  let certified = 0;
  let responses = 0;
  let weighted = 0;
  for (const [providerId, r] of records) {
    completed += r.completed;
    certified += r.certified;
    const survey = rated(providerId);
    if (survey) {
      responses += survey.responses;
      weighted += survey.responses * surveyRate(survey.average);
    }
  }
  const prior = completed === 0 ? null : certified / completed;
  const surveyPrior = responses === 0 ? null : weighted / responses;
  const qualities = new Map<string, ProviderQuality>();
  for (const [providerId, certification] of records) {
    const survey = rated(providerId);
    const certificationScore =
      prior === null ? null : shrunkRate(certification, prior, m);
    const surveyScore =
      surveyPrior === null
        ? null
        : survey
          ? shrunkMean(
              surveyRate(survey.average),
              survey.responses,
              surveyPrior,
              m,
            )
          : surveyPrior;
    const parts = [certificationScore, surveyScore].filter(
      (p): p is number => p !== null,
    );
    qualities.set(providerId, {
      providerId,
      certification,
      survey,
      rawRate:
        certification.completed === 0
          ? null
          : certification.certified / certification.completed,
      score:
        parts.length === 0
          ? null
          : parts.reduce((a, b) => a + b, 0) / parts.length,
      prior,
      certificationScore,
      surveyPart: { score: surveyScore, prior: surveyPrior },
    });
  }
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

/**
 * The quality criterion matching ranks by: the mean of the whole points of
 * the parts that count (so it may end in .5); null when none counts. The
 * parts are rounded before they are averaged, so an offer at least as good
 * on each part and better on one always ranks higher.
 */
export function rankingPoints(quality: ProviderQuality | null): number | null {
  if (!quality) return null;
  const parts = [quality.certificationScore, quality.surveyPart.score].flatMap(
    (p) => (p === null ? [] : [Math.round(p * 100)]),
  );
  return parts.length === 0
    ? null
    : parts.reduce((a, b) => a + b, 0) / parts.length;
}
