import { z } from 'zod';
import { entityId } from '@conecta/events';
import { parseInput, runCommand } from '@conecta/service-kit';
import { requireStaff } from '../domain/access';
import { requestCertification, type Evaluation } from '../domain/evaluation';
import type { Context } from '../context';
import { loadFresh, loadOrThrow } from './load';

const requestCertificationArgs = z.object({
  evaluationId: entityId,
  certifyingBodyId: entityId,
});

const NOT_EVALUATING_STAFF =
  'Only staff of the evaluating body may ask another body to certify its evaluation';

/**
 * The evaluating body's staff ask an independent body to certify one of its
 * evaluations (README: Third-party certification path); a later request
 * replaces an earlier one. The write is conditional on the request read, so
 * a lost race runs again on the request that won.
 */
export function requestCertificationCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<Evaluation> {
  const args = parseInput(requestCertificationArgs, rawArgs, '');
  return runCommand(args, {
    load: async ({ evaluationId, certifyingBodyId }) => {
      const evaluation = await loadFresh(
        ctx.stores.evaluations,
        evaluationId,
        'Evaluation',
      );
      const [evaluatingBody, certifyingBody] = await Promise.all([
        loadOrThrow(
          ctx.loaders.body,
          evaluation.certifyingBodyId,
          'CertifyingBody',
        ),
        loadOrThrow(ctx.loaders.body, certifyingBodyId, 'CertifyingBody'),
      ]);
      return { evaluation, evaluatingBody, certifyingBody };
    },
    // The staff member's subject: who asked, recorded on the request.
    authorize: ({ evaluatingBody }) =>
      requireStaff(ctx.identity, evaluatingBody, NOT_EVALUATING_STAFF),
    decide: async (
      { evaluation, evaluatingBody, certifyingBody },
      _args,
      requestedBy,
    ) => {
      const [certifyingAccreditation, certificate] = await Promise.all([
        ctx.stores.accreditations.findFor(
          certifyingBody.id,
          evaluation.standardId,
        ),
        ctx.stores.certificates.findByEvaluation(evaluation.id),
      ]);
      return requestCertification(evaluation, {
        evaluatingBody,
        certifyingBody,
        certifyingAccreditation,
        certified: certificate !== null,
        requestedBy,
        now: new Date(),
      });
    },
    save: async ({ evaluation }, requested) => {
      await ctx.stores.evaluations.setCertificationRequest(
        requested,
        evaluation.certificationRequest?.certifyingBodyId ?? null,
        [
          ctx.events.certificationRequested(requested, {
            traceId: ctx.requestId,
          }),
        ],
      );
      return requested;
    },
  });
}
