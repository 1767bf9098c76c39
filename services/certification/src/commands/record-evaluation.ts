import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import { requireEvaluator } from '../domain/access';
import {
  recordEvaluation,
  recordEvaluationInput,
  type Evaluation,
} from '../domain/evaluation';
import { currentProcedure } from '../domain/evaluation-procedure';
import type { Context } from '../context';
import { loadOrThrow } from './load';

/**
 * An EVALUATOR of the body records an evaluation under the person's ACCEPTED
 * candidacy: a new evaluation (immutable, but for a later certification
 * request) with its event, in one insert, so no `runCommand`.
 */
export async function recordEvaluationCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Evaluation> {
  const { identity, loaders, stores, events, requestId } = ctx;
  const input = parseInput(recordEvaluationInput, rawInput);
  const body = await loadOrThrow(
    loaders.body,
    input.certifyingBodyId,
    'CertifyingBody',
  );
  const evaluatorSubject = requireEvaluator(identity, body);
  const [accreditation, standard, candidacy, procedures] = await Promise.all([
    stores.accreditations.findFor(body.id, input.standardId),
    loaders.standard.load(input.standardId),
    // The relationship comes first: without an accepted candidacy the
    // answer is the same whether the person exists or not.
    stores.candidacies.findFor({
      certifyingBodyId: body.id,
      personId: input.candidateId,
      standardId: input.standardId,
    }),
    loaders.proceduresOfBody.load(body.id),
  ]);
  const evaluation = recordEvaluation(input, {
    id: uuidv7(),
    now: new Date(),
    evaluatorSubject,
    candidacy,
    accreditation,
    standard,
    procedureVersion: currentProcedure(procedures)?.version ?? null,
  });
  await stores.evaluations.insert(evaluation, [
    events.evaluationRecorded(evaluation, { traceId: requestId }),
  ]);
  return evaluation;
}
