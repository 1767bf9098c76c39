import { v7 as uuidv7 } from 'uuid';
import { assertActsForEmployer } from '../domain/permissions';
import {
  newSurvey,
  type EmployerSurvey,
  type SurveyFactor,
} from '../domain/survey';
import type { Context } from '../context';

/** A survey as the API sends it: each subject optional. */
export interface SubmitEmployerSurveyInput {
  employerId: string;
  cohortId?: string | null;
  providerId?: string | null;
  standardId?: string | null;
  credentialId?: string | null;
  ratings: Array<{ factor: SurveyFactor; score: number }>;
}

/**
 * The employer, a broker or an admin submits an employer survey: a new
 * survey in one insert, so no `runCommand`; then, when it rates a provider,
 * the provider's released score is refreshed (a second write, which the
 * survey does not wait on to stand).
 */
export async function submitEmployerSurveyCommand(
  context: Context,
  input: SubmitEmployerSurveyInput,
): Promise<EmployerSurvey> {
  const { identity, stores } = context;
  // Anyone else: UNAUTHENTICATED when anonymous, FORBIDDEN saying who may.
  assertActsForEmployer(identity, input.employerId, 'submitEmployerSurvey');
  const survey = newSurvey(
    uuidv7(),
    {
      employerId: input.employerId,
      cohortId: input.cohortId ?? null,
      providerId: input.providerId ?? null,
      standardId: input.standardId ?? null,
      credentialId: input.credentialId ?? null,
      ratings: input.ratings,
    },
    new Date(),
  );
  await stores.surveys.insert(survey);
  if (survey.providerId)
    // The provider's released score, for training's ranking (issue 17).
    // The survey is recorded either way: a refresh that fails here is
    // redone by the next survey of the provider or at the next start
    // (README: Decisions, the provider survey score event).
    await stores.providerScores
      .refresh(survey.providerId, {
        weights: context.surveyWeights,
        threshold: context.disclosure.threshold,
      })
      .catch((err: unknown) =>
        context.logger.warn(
          { err, providerId: survey.providerId },
          'provider survey score not published; retried at the next start',
        ),
      );
  return survey;
}
