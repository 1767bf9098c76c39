import { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import { entityId } from '@conecta/events';
import { NotFoundError, parseInput, requireRole } from '@conecta/service-kit';
import {
  requireAdminOrCertifier,
  requireCertifier,
  requireEvaluator,
  requireStaff,
} from '../domain/access';
import {
  accreditationScopesInput,
  activateAccreditation,
  reasonInput,
  requestAccreditation,
  revokeAccreditation,
  suspendAccreditation,
  type Accreditation,
} from '../domain/accreditation';
import {
  issueCertificate,
  newVerificationCode,
  reinstateCertificate,
  revokeCertificate,
  suspendCertificate,
  type Certificate,
} from '../domain/certificate';
import {
  registerCertifyingBody,
  registerCertifyingBodyInput,
  setFacilitiesInput,
  setFeeInput,
  staffMemberInput,
  withFacilities,
  withFee,
  withStaffMember,
  withoutStaffMember,
  type CertifyingBody,
} from '../domain/certifying-body';
import {
  recordEvaluation,
  recordEvaluationInput,
  requestCertification,
} from '../domain/evaluation';
import { currentProcedure } from '../domain/evaluation-procedure';
import { CAN_MANAGE_NETWORK } from '../domain/permissions';
import {
  answerCandidacyCommand,
  proposeCandidacyCommand,
  registerCandidacyCommand,
} from '../commands/candidacy';
import { registerPersonCommand } from '../commands/register-person';
import {
  approveProcedureCommand,
  draftProcedureCommand,
  rejectProcedureCommand,
  submitProcedureCommand,
} from '../commands/evaluation-procedure';
import type { Context } from '../context';
import type { MutationResolvers } from '../__generated__/resolvers-types';
import { importHistoricalCertificates } from './historical-import';
import { loadOrThrow } from './load';

// A random verification code (128 bits) or a reserved status entry clashes
// only by accident (an entry written outside the counter); a few attempts
// always suffice.
const MAX_ISSUE_ATTEMPTS = 8;

/** Applies an admin's change to a body's staff, fees or facilities, with its event. */
async function changeBody(
  ctx: Context,
  bodyId: string,
  change: (body: CertifyingBody) => CertifyingBody,
): Promise<CertifyingBody> {
  requireRole(ctx.identity, ...CAN_MANAGE_NETWORK);
  const body = await loadOrThrow(ctx.loaders.body, bodyId, 'CertifyingBody');
  const next = change(body);
  const now = new Date();
  const saved = await ctx.stores.bodies.update(next, [
    ctx.events.bodyChanged(next, now, { traceId: ctx.requestId }),
  ]);
  return saved;
}

/** Applies an admin's accreditation transition, conditional on the status it was read in. */
async function transitionAccreditation(
  ctx: Context,
  id: string,
  transition: (
    a: Accreditation,
    now: Date,
  ) => Promise<Accreditation> | Accreditation,
): Promise<Accreditation> {
  requireRole(ctx.identity, ...CAN_MANAGE_NETWORK);
  const current = await loadOrThrow(
    ctx.loaders.accreditation,
    id,
    'Accreditation',
  );
  const next = await transition(current, new Date());
  await ctx.stores.accreditations.transition(next, current.status, [
    ctx.events.accreditationChanged(next, { traceId: ctx.requestId }),
  ]);
  return next;
}

const reasonArgs = z.object({ reason: reasonInput });

/**
 * Loads a certificate and checks its caller as revokeCertificate does: an
 * admin, or a CERTIFIER of the issuing body.
 */
async function certificateToChange(
  ctx: Context,
  id: string,
): Promise<Certificate> {
  const certificate = await loadOrThrow(
    ctx.loaders.certificate,
    id,
    'Certificate',
  );
  const body = await loadOrThrow(
    ctx.loaders.body,
    certificate.certifyingBodyId,
    'CertifyingBody',
  );
  requireAdminOrCertifier(ctx.identity, body);
  return certificate;
}

export const Mutation: MutationResolvers = {
  registerPerson: (_parent, args, ctx) =>
    registerPersonCommand(ctx, args.input),

  proposeCandidacy: (_parent, args, ctx) =>
    proposeCandidacyCommand(ctx, args.input),

  acceptCandidacy: (_parent, { id }, ctx) =>
    answerCandidacyCommand(ctx, id, 'ACCEPT'),

  declineCandidacy: (_parent, { id }, ctx) =>
    answerCandidacyCommand(ctx, id, 'DECLINE'),

  registerCandidacy: (_parent, args, ctx) =>
    registerCandidacyCommand(ctx, args.input),

  registerCertifyingBody: async (
    _parent,
    args,
    { identity, stores, events, requestId },
  ) => {
    requireRole(identity, ...CAN_MANAGE_NETWORK);
    const input = parseInput(registerCertifyingBodyInput, args.input);
    const organization = await stores.projections.findOrganization(
      input.organizationId,
    );
    if (!organization)
      throw new NotFoundError('Organization', input.organizationId);
    const body = registerCertifyingBody(input, {
      id: uuidv7(),
      name: organization.name,
      now: new Date(),
    });
    await stores.bodies.insert(body, [
      events.bodyRegistered(body, { traceId: requestId }),
    ]);
    return body;
  },

  setStaffMember: (_parent, args, ctx) => {
    const member = parseInput(staffMemberInput, args.member, 'member');
    return changeBody(ctx, args.certifyingBodyId, (body) =>
      withStaffMember(body, member),
    );
  },

  removeStaffMember: (_parent, args, ctx) =>
    changeBody(ctx, args.certifyingBodyId, (body) =>
      withoutStaffMember(body, args.subject),
    ),

  setFee: async (_parent, args, ctx) => {
    const fee = parseInput(setFeeInput, args, '');
    await loadOrThrow(
      ctx.loaders.standard,
      fee.standardId,
      'CompetencyStandard',
    );
    return changeBody(ctx, args.certifyingBodyId, (body) => withFee(body, fee));
  },

  setFacilities: (_parent, args, ctx) => {
    const { facilities } = parseInput(setFacilitiesInput, args, '');
    return changeBody(ctx, args.certifyingBodyId, (body) =>
      withFacilities(body, facilities),
    );
  },

  requestAccreditation: async (_parent, args, ctx) => {
    const { certifyingBodyId, standardId, scopes } = parseInput(
      z.object({
        certifyingBodyId: entityId,
        standardId: entityId,
        // Absent: both, as every accreditation was before scopes.
        scopes: accreditationScopesInput.nullish(),
      }),
      args,
      '',
    );
    const body = await loadOrThrow(
      ctx.loaders.body,
      certifyingBodyId,
      'CertifyingBody',
    );
    requireAdminOrCertifier(ctx.identity, body);
    await loadOrThrow(ctx.loaders.standard, standardId, 'CompetencyStandard');
    const accreditation = requestAccreditation(
      {
        certifyingBodyId,
        organizationId: body.organizationId,
        standardId,
        ...(scopes && { scopes }),
      },
      { id: uuidv7(), now: new Date() },
    );
    await ctx.stores.accreditations.insert(accreditation, [
      ctx.events.accreditationChanged(accreditation, {
        traceId: ctx.requestId,
      }),
    ]);
    return accreditation;
  },

  activateAccreditation: (_parent, { id }, ctx) =>
    transitionAccreditation(ctx, id, async (a, now) => {
      const [standard, nominations, procedures] = await Promise.all([
        ctx.loaders.standard.load(a.standardId),
        ctx.stores.projections.nominationsFor(a.standardId),
        ctx.loaders.proceduresOfBody.load(a.certifyingBodyId),
      ]);
      return activateAccreditation(
        a,
        standard,
        nominations,
        currentProcedure(procedures),
        now,
      );
    }),

  draftEvaluationProcedure: (_parent, args, ctx) =>
    draftProcedureCommand(ctx, args.input),

  submitEvaluationProcedure: (_parent, { id }, ctx) =>
    submitProcedureCommand(ctx, id),

  approveEvaluationProcedure: (_parent, { id }, ctx) =>
    approveProcedureCommand(ctx, id),

  rejectEvaluationProcedure: (_parent, args, ctx) =>
    rejectProcedureCommand(ctx, args),

  suspendAccreditation: (_parent, args, ctx) => {
    const { reason } = parseInput(reasonArgs, args, '');
    return transitionAccreditation(ctx, args.id, (a, now) =>
      suspendAccreditation(a, reason, now),
    );
  },

  revokeAccreditation: (_parent, args, ctx) => {
    const { reason } = parseInput(reasonArgs, args, '');
    return transitionAccreditation(ctx, args.id, (a, now) =>
      revokeAccreditation(a, reason, now),
    );
  },

  recordEvaluation: async (_parent, args, ctx) => {
    const { identity, loaders, stores, events, requestId } = ctx;
    const input = parseInput(recordEvaluationInput, args.input);
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
  },

  requestCertification: async (_parent, args, ctx) => {
    const { evaluationId, certifyingBodyId } = parseInput(
      z.object({ evaluationId: entityId, certifyingBodyId: entityId }),
      args,
      '',
    );
    const evaluation = await loadOrThrow(
      ctx.loaders.evaluation,
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
    const requestedBy = requireStaff(
      ctx.identity,
      evaluatingBody,
      'Only staff of the evaluating body may ask another body to certify its evaluation',
    );
    const [certifyingAccreditation, certificate] = await Promise.all([
      ctx.stores.accreditations.findFor(
        certifyingBody.id,
        evaluation.standardId,
      ),
      ctx.stores.certificates.findByEvaluation(evaluation.id),
    ]);
    const requested = requestCertification(evaluation, {
      evaluatingBody,
      certifyingBody,
      certifyingAccreditation,
      certified: certificate !== null,
      requestedBy,
      now: new Date(),
    });
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

  issueCertificate: async (_parent, args, ctx) => {
    const { identity, loaders, stores, events, requestId, settings } = ctx;
    const { evaluationId, certifyingBodyId } = parseInput(
      z.object({
        evaluationId: entityId,
        certifyingBodyId: entityId.nullish(),
      }),
      args,
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
        ? stores.accreditations.findFor(
            evaluatingBody.id,
            evaluation.standardId,
          )
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
  },

  suspendCertificate: async (_parent, args, ctx) => {
    const { reason } = parseInput(reasonArgs, args, '');
    const certificate = await certificateToChange(ctx, args.id);
    const suspended = suspendCertificate(certificate, reason, new Date());
    await ctx.stores.certificates.setSuspension(suspended, null, [
      ctx.events.certificateSuspended(suspended, { traceId: ctx.requestId }),
    ]);
    return suspended;
  },

  reinstateCertificate: async (_parent, args, ctx) => {
    const { reason } = parseInput(reasonArgs, args, '');
    const certificate = await certificateToChange(ctx, args.id);
    const reinstated = reinstateCertificate(certificate);
    const suspendedAt = certificate.suspendedAt as Date;
    await ctx.stores.certificates.setSuspension(reinstated, suspendedAt, [
      ctx.events.certificateReinstated(
        reinstated,
        { reason, suspendedAt, at: new Date() },
        { traceId: ctx.requestId },
      ),
    ]);
    return reinstated;
  },

  revokeCertificate: async (_parent, args, ctx) => {
    const { reason } = parseInput(reasonArgs, args, '');
    const certificate = await certificateToChange(ctx, args.id);
    const revoked = revokeCertificate(certificate, reason, new Date());
    await ctx.stores.certificates.revoke(revoked, [
      ctx.events.certificateRevoked(revoked, { traceId: ctx.requestId }),
    ]);
    return revoked;
  },

  importHistoricalCertificates: (_parent, args, ctx) =>
    importHistoricalCertificates(ctx, args.input),
};
