import {
  InvalidInputError,
  type FieldProblem,
} from '@conecta/service-kit/errors';
import {
  SCORE_STEP,
  disclose,
  roundTo,
  type DisclosurePolicy,
  type OutcomeCount,
} from './suppression';

/** What employers rate, 1 (poor) to 5 (excellent). */
export const SURVEY_FACTORS = [
  'TECHNICAL_SKILL',
  'PRODUCTIVITY',
  'TEAMWORK',
  'ENGLISH',
  'PROBLEM_SOLVING',
  'COMMUNICATION',
] as const;
export type SurveyFactor = (typeof SURVEY_FACTORS)[number];

/** Relative weight of each factor in the weighted average (SURVEY_WEIGHTS). */
export type SurveyWeights = Record<SurveyFactor, number>;

/** Equal weights: every factor counts the same. */
export const EQUAL_WEIGHTS: SurveyWeights = Object.fromEntries(
  SURVEY_FACTORS.map((f) => [f, 1]),
) as SurveyWeights;

/** What a survey is about; each is optional, the averages are kept per each. */
export interface SurveySubjects {
  cohortId: string | null;
  providerId: string | null;
  standardId: string | null;
  credentialId: string | null;
}

/** An employer's ratings of people trained through the program. */
export interface EmployerSurvey extends SurveySubjects {
  id: string;
  employerId: string;
  ratings: Array<{ factor: SurveyFactor; score: number }>;
  submittedAt: Date;
}

/**
 * A new survey: scores are whole numbers 1–5, each factor at most once, at
 * least one rating.
 *
 * @throws InvalidInputError naming each bad field
 */
export function newSurvey(
  id: string,
  input: Omit<EmployerSurvey, 'id' | 'submittedAt'>,
  now: Date,
): EmployerSurvey {
  const problems: FieldProblem[] = [];
  if (input.ratings.length === 0)
    problems.push({ field: 'ratings', message: 'rate at least one factor' });
  const seen = new Set<SurveyFactor>();
  for (const { factor, score } of input.ratings) {
    if (seen.has(factor))
      problems.push({ field: 'ratings', message: `${factor} is rated twice` });
    seen.add(factor);
    if (!Number.isInteger(score) || score < 1 || score > 5)
      problems.push({
        field: 'ratings',
        message: `${factor} must be scored 1 to 5`,
      });
  }
  if (problems.length > 0) throw InvalidInputError.fromProblems(problems);
  return { ...input, id, submittedAt: now };
}

/** One factor's average over the surveys that rated it. */
export interface FactorScore {
  factor: SurveyFactor;
  weight: number;
  /** sum ÷ count of its scores; null when no survey rated it, or (but for admins) fewer than the threshold did. */
  average: number | null;
}

/** The scores of a cohort, provider, standard or credential. */
export interface SurveyScore {
  responses: OutcomeCount;
  /** Σ weight × factor average ÷ Σ weight, over the factors rated; null when none or withheld. */
  weightedAverage: number | null;
  factors: FactorScore[];
}

/**
 * Factor averages (sum ÷ count) and their weighted average. Weights apply at
 * read time, so changing them needs no recomputation. But for admins, a
 * factor's average is given only over at least the threshold's ratings (a
 * factor rated by one survey would show that employer's score), and averages
 * are rounded to one decimal ({@link SCORE_STEP}) beside rounded counts.
 */
export function surveyScore(
  surveys: readonly EmployerSurvey[],
  weights: SurveyWeights,
  policy: DisclosurePolicy,
): SurveyScore {
  const responses = disclose(surveys.length, policy);
  if (responses.value === null || responses.value === 0)
    return {
      responses,
      weightedAverage: null,
      factors: SURVEY_FACTORS.map((factor) => ({
        factor,
        weight: weights[factor],
        average: null,
      })),
    };
  const factors = SURVEY_FACTORS.map((factor) => {
    let sum = 0;
    let count = 0;
    for (const survey of surveys)
      for (const rating of survey.ratings)
        if (rating.factor === factor) {
          sum += rating.score;
          count += 1;
        }
    const shown = count > 0 && (policy.revealAll || count >= policy.threshold);
    return {
      factor,
      weight: weights[factor],
      average: shown ? sum / count : null,
    };
  });
  let weighted = 0;
  let totalWeight = 0;
  for (const { weight, average } of factors)
    if (average !== null) {
      weighted += weight * average;
      totalWeight += weight;
    }
  const round = (value: number) =>
    policy.revealAll ? value : roundTo(value, SCORE_STEP);
  return {
    responses,
    weightedAverage: totalWeight === 0 ? null : round(weighted / totalWeight),
    factors: factors.map((f) => ({
      ...f,
      average: f.average === null ? null : round(f.average),
    })),
  };
}

/**
 * A provider's survey score as outcomes releases it outside (issue 17:
 * `outcomes.ProviderSurveyScoreChanged`, which training ranks providers by):
 * exactly what a non-admin reads from `surveyScores(PROVIDER, id)` — the
 * responses rounded to 5 (null below the threshold) and the weighted average
 * to one decimal (null when withheld or no factor was rated often enough).
 * A provider-level aggregate: no survey, employer or person in it.
 */
export interface ReleasedProviderScore {
  responses: number | null;
  score: number | null;
}

/**
 * {@link surveyScore} of a provider's surveys under the anonymous policy
 * (never `revealAll`): what may leave outcomes about them.
 */
export function releasedProviderScore(
  surveys: readonly EmployerSurvey[],
  weights: SurveyWeights,
  threshold: number,
): ReleasedProviderScore {
  const released = surveyScore(surveys, weights, {
    threshold,
    revealAll: false,
  });
  return {
    responses: released.responses.value,
    score: released.weightedAverage,
  };
}

/**
 * Whether a release differs from the last one published (`null`: none yet,
 * read as everything withheld — a provider whose surveys are all below the
 * threshold has nothing to announce).
 */
export function releaseChanged(
  before: ReleasedProviderScore | null,
  after: ReleasedProviderScore,
): boolean {
  const last = before ?? { responses: null, score: null };
  return last.responses !== after.responses || last.score !== after.score;
}
