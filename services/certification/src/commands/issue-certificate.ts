import { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import { entityId } from '@conecta/events';
import { parseInput } from '@conecta/service-kit';
import { requireCertifier } from '../domain/access';
import {
  issueCertificate,
  newVerificationCode,
  type Certificate,
} from '../domain/certificate';
import type { Context } from '../context';
import { loadOrThrow } from './load';

const issueCertificateArgs = z.object({
  evaluationId: entityId,
  certifyingBodyId: entityId.nullish(),
});

// A random verification code (128 bits) or a reserved status entry clashes
// only by accident (an entry written outside the counter); a few attempts
// always suffice.
const MAX_ISSUE_ATTEMPTS = 8;

/**
 * A CERTIFIER of the certifying body — the evaluating body itself, or the
 * independent body named (README: Third-party path) — issues the
 * certificate of a COMPETENT evaluation: a new certificate with its event,
 * in one insert. No version to race, so no `runCommand`: the unique indexes
 * refuse a second certificate of the evaluation
 * (`EVALUATION_ALREADY_CERTIFIED`) or a second VALID one of the person and
 * standard (`CERTIFICATE_ALREADY_VALID`); a clash of the random code or
 * the status entry draws them again.
 */
export async function issueCertificateCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<Certificate> {
  const { identity, loaders, stores, events, requestId, settings } = ctx;
  const { evaluationId, certifyingBodyId } = parseInput(
    issueCertificateArgs,
    rawArgs,
    '',
  );
  const evaluation = await loadOrThrow(
    loaders.evaluation,
    evaluationId,
    'Evaluation',
  );
  const [evaluatingBody, body] = await Promise.all([
    loadOrThrow(loaders.body, evaluation.certifyingBodyId, 'CertifyingBody'),
    loadOrThrow(
      loaders.body,
      certifyingBodyId ?? evaluation.certifyingBodyId,
      'CertifyingBody',
    ),
  ]);
  // The certifier acts for the certifying body: the evaluating body
  // itself, or the independent body named (README: Third-party path).
  const certifierSubject = requireCertifier(identity, body);
  const thirdParty = body.id !== evaluatingBody.id;
  const now = new Date();
  const [
    accreditation,
    evaluatingAccreditation,
    standard,
    validCertificate,
    certificateOfEvaluation,
  ] = await Promise.all([
    stores.accreditations.findFor(body.id, evaluation.standardId),
    thirdParty
      ? stores.accreditations.findFor(evaluatingBody.id, evaluation.standardId)
      : null,
    loaders.standard.load(evaluation.standardId),
    stores.certificates.findValid(
      evaluation.candidateId,
      evaluation.standardId,
      now,
    ),
    stores.certificates.findByEvaluation(evaluation.id),
  ]);
  // Decided once, before a status entry is reserved: a refusal spends none.
  const draft = issueCertificate(evaluation, {
    id: uuidv7(),
    now,
    certifierSubject,
    accreditation,
    independent: thirdParty
      ? { certifyingBody: body, evaluatingBody, evaluatingAccreditation }
      : null,
    standard,
    evaluationMaxAgeMonths: settings.evaluationMaxAgeMonths,
    validCertificate,
    certificateOfEvaluation,
  });
  for (let attempt = 1; ; attempt += 1) {
    // The next position of the one counter, as imports take theirs.
    const [entry] = await stores.certificates.reserveStatusEntries(1);
    const certificate = {
      ...draft,
      verificationCode: newVerificationCode(),
      ...entry!,
    };
    const outcome = await stores.certificates.insert(certificate, [
      events.certificateIssued(certificate, { traceId: requestId }),
    ]);
    if (outcome === 'inserted') {
      return certificate;
    }
    if (attempt >= MAX_ISSUE_ATTEMPTS) {
      throw new Error(
        'Could not draw a free verification code and status entry',
      );
    }
  }
}
