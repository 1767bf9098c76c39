import { z } from 'zod';
import { entityId, isoDate } from '@conecta/events';
import {
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  decodeCursor,
  encodeCursor,
  hasRole,
  parseInput,
} from '@conecta/service-kit';
import {
  canActForBody,
  canSeeEvaluation,
  canSeeProcedureHistory,
  canSeeVerificationCounts,
  requireAccessLogReader,
  requireAdmin,
} from '../domain/access';
import { accessLogPageInput } from '../domain/access-log';
import {
  certificateStatus,
  evaluatingBodyOf,
  parseVerificationCode,
} from '../domain/certificate';
import { initialsOf } from '../domain/person';
import { addDays } from '../domain/time';
import { countWindow } from '../domain/verification-tally';
import {
  currentEncodedList,
  currentStatusList,
} from '../credentials/current-status-list';
import type { Context } from '../context';
import type { Disclosure } from '../credentials/open-badge';
import type { QueryResolvers } from '../__generated__/resolvers-types';
import { loadOrThrow } from '../commands/load';
import { offersFor } from './offers';

// A VC-JWT of this service is about 3 KB; anything far larger is not one of ours.
const MAX_CREDENTIAL_LENGTH = 20_000;

export const Query: QueryResolvers = {
  person: (_parent, { id }, { loaders }) => loaders.person.load(id),

  certifyingBody: (_parent, { id }, { loaders }) => loaders.body.load(id),

  certificationOffers: (_parent, { standardId, ...filter }, ctx) =>
    offersFor(ctx, standardId, filter),

  evaluation: async (_parent, { id }, ctx) => {
    const evaluation = await ctx.loaders.evaluation.load(id);
    if (!evaluation) return null;
    const requestedId = evaluation.certificationRequest?.certifyingBodyId;
    const [body, requestedBody] = await Promise.all([
      loadOrThrow(
        ctx.loaders.body,
        evaluation.certifyingBodyId,
        'CertifyingBody',
      ),
      requestedId ? ctx.loaders.body.load(requestedId) : null,
    ]);
    // Evidence is about the candidate: they, the body's staff, admins, and the
    // staff of the independent body asked to certify it read it.
    if (!canSeeEvaluation(ctx.identity, evaluation, body, requestedBody)) {
      throw new ForbiddenError(
        'Only the candidate, the evaluating body’s staff, the body asked to certify it and admins may read an evaluation',
        'EVALUATION_NOT_VISIBLE',
      );
    }
    return evaluation;
  },

  evaluationProcedure: async (_parent, { id }, { identity, loaders }) => {
    const procedure = await loaders.procedure.load(id);
    if (!procedure) return null;
    if (procedure.status === 'APPROVED') return procedure;
    // Drafts, submissions and rejections: as unknown to everyone else.
    const body = await loaders.body.load(procedure.certifyingBodyId);
    return body && canSeeProcedureHistory(identity, body) ? procedure : null;
  },

  submittedEvaluationProcedures: (_parent, _args, { identity, stores }) => {
    requireAdmin(identity);
    return stores.procedures.findSubmitted();
  },

  certificate: (_parent, { id }, { loaders }) => loaders.certificate.load(id),

  verifyCertificate: async (_parent, { code }, { stores, loaders }) => {
    // Malformed codes are refused before any lookup; well-formed ones are 128
    // random bits, so guessing is hopeless however fast (README: Decisions).
    const certificate = await stores.certificates.findByCode(
      parseVerificationCode(code),
    );
    if (!certificate) return null;
    // Counted in memory, flushed in batches: no round trip here.
    stores.verificationCounts.record(certificate, 'CODE', new Date());
    const [standard, body, holder] = await Promise.all([
      loaders.standard.load(certificate.standardId),
      loaders.body.load(certificate.certifyingBodyId),
      loaders.person.load(certificate.personId),
    ]);
    return {
      status: certificateStatus(certificate, new Date()),
      standardId: certificate.standardId,
      standardCode: standard?.code ?? '',
      standardTitle: standard?.title ?? '',
      standardLevel: standard?.level ?? null,
      certifyingBodyId: certificate.certifyingBodyId,
      evaluatingBodyId: evaluatingBodyOf(certificate),
      issuerName: body?.name ?? '',
      holderInitials: holder ? initialsOf(holder) : '',
      issuedAt: certificate.issuedAt,
      expiresAt: certificate.expiresAt,
      revokedAt: certificate.revokedAt,
      suspendedAt: certificate.suspendedAt,
    };
  },

  verifyCredential: async (_parent, { jwt }, { stores, issuer }) => {
    if (jwt.length > MAX_CREDENTIAL_LENGTH) {
      throw new InvalidInputError(
        'jwt',
        `must be at most ${MAX_CREDENTIAL_LENGTH} characters`,
        'CREDENTIAL_TOO_LARGE',
      );
    }
    // The lists the credential names, read only once its signature checks.
    const check = await issuer.verify(
      jwt.trim(),
      (ref) => currentEncodedList(stores.certificates, ref),
      new Date(),
    );
    // Signed by this issuer: counted (in memory), whatever its status.
    if (check.subjectOfCount)
      stores.verificationCounts.record(
        check.subjectOfCount,
        'CREDENTIAL',
        new Date(),
      );
    return check;
  },

  credentialStatusList: async (_parent, { id }, { stores, issuer }) => {
    // Lists 1 … the one the counter is in; any other id names no list
    // (README: Verifiable Credentials).
    const list = await currentStatusList(stores.certificates, issuer, id);
    if (!list) throw new NotFoundError('StatusList', id);
    return list;
  },

  credentialIssuerKey: (_parent, _args, { issuer }) =>
    JSON.stringify(issuer.publicJwk()),

  exportCredential: async (_parent, { certificateId }, ctx) => {
    const { jwt, credential, identitySalt, publicKeyJwk } =
      await exportedCredential(ctx, certificateId, 'FULL');
    return {
      jwt,
      credential,
      publicKeyJwk,
      identitySalt: identitySalt as string,
    };
  },

  exportMinimalCredential: async (_parent, { certificateId }, ctx) => {
    const { jwt, credential, publicKeyJwk } = await exportedCredential(
      ctx,
      certificateId,
      'MINIMAL',
    );
    return { jwt, credential, publicKeyJwk };
  },

  expiringCertificates: async (_parent, args, ctx) => {
    const { stores, loaders, identity, settings } = ctx;
    const { withinDays, certifyingBodyId, personId } = parseInput(
      z
        .object({
          withinDays: z
            .number()
            .int()
            .min(1, 'must be at least 1')
            .max(
              settings.expiryReminderMaxDays,
              `must be at most ${settings.expiryReminderMaxDays}`,
            ),
          certifyingBodyId: entityId.nullish(),
          personId: entityId.nullish(),
        })
        .refine((a) => Boolean(a.certifyingBodyId) !== Boolean(a.personId), {
          message: 'give exactly one of certifyingBodyId, personId',
          path: ['certifyingBodyId'],
        }),
      args,
      '',
    );
    const now = new Date();
    const until = addDays(now, withinDays);
    if (certifyingBodyId) {
      const body = await loadOrThrow(
        loaders.body,
        certifyingBodyId,
        'CertifyingBody',
      );
      if (!canActForBody(identity, body)) {
        throw new ForbiddenError(
          'Only the body’s staff and admins see its expiry reminders',
          'NOT_BODY_STAFF',
        );
      }
      return stores.certificates.findExpiring({ certifyingBodyId }, now, until);
    }
    const id = personId as string;
    if (identity.subject !== id && !hasRole(identity, 'admin')) {
      throw new ForbiddenError(
        'Only the person and admins see a person’s expiry reminders',
        'NOT_PERSON',
      );
    }
    return stores.certificates.findExpiring({ personId: id }, now, until);
  },

  candidacies: async (_parent, args, ctx) => {
    const { stores, loaders, identity } = ctx;
    const { certifyingBodyId, personId } = parseInput(
      z
        .object({
          certifyingBodyId: entityId.nullish(),
          personId: entityId.nullish(),
        })
        .refine((a) => Boolean(a.certifyingBodyId) !== Boolean(a.personId), {
          message: 'give exactly one of certifyingBodyId, personId',
          path: ['certifyingBodyId'],
        }),
      args,
      '',
    );
    if (certifyingBodyId) {
      const body = await loadOrThrow(
        loaders.body,
        certifyingBodyId,
        'CertifyingBody',
      );
      if (!canActForBody(identity, body)) {
        throw new ForbiddenError(
          'Only the body’s staff and admins see its candidacies',
          'NOT_BODY_STAFF',
        );
      }
      return stores.candidacies.list({ certifyingBodyId });
    }
    const id = personId as string;
    if (identity.subject !== id && !hasRole(identity, 'admin')) {
      throw new ForbiddenError(
        'Only the person and admins see a person’s candidacies',
        'NOT_PERSON',
      );
    }
    return stores.candidacies.list({ personId: id });
  },

  verificationCounts: async (_parent, args, ctx) => {
    const { identity, loaders, stores } = ctx;
    const { certifyingBodyId, standardId, from, to } = parseInput(
      z
        .object({
          certifyingBodyId: entityId.nullish(),
          standardId: entityId.nullish(),
          from: isoDate.nullish(),
          to: isoDate.nullish(),
        })
        .refine((a) => Boolean(a.certifyingBodyId || a.standardId), {
          message: 'give certifyingBodyId, standardId or both',
          path: ['certifyingBodyId'],
        }),
      args,
      '',
    );
    const window = countWindow({ from, to }, new Date());
    if ('problem' in window)
      throw new InvalidInputError(window.field, window.problem);
    const body = certifyingBodyId
      ? await loadOrThrow(loaders.body, certifyingBodyId, 'CertifyingBody')
      : null;
    if (!canSeeVerificationCounts(identity, body)) {
      throw body
        ? new ForbiddenError(
            'Only the body’s staff, admins and the council see its verification counts',
            'NOT_BODY_STAFF',
          )
        : new ForbiddenError(
            'Only admins and the council see a standard’s verification counts across bodies',
            'NOT_ADMIN_OR_COUNCIL',
          );
    }
    return stores.verificationCounts.find({
      ...(certifyingBodyId && { certifyingBodyId }),
      ...(standardId && { standardId }),
      ...window,
    });
  },

  personalDataReads: async (_parent, args, { identity, stores }) => {
    const { personId, first, after } = parseInput(accessLogPageInput, args, '');
    requireAccessLogReader(identity, personId);
    const beforeId = after ? decodeCursor(after, 'after') : null;
    // One more than asked tells whether another page follows.
    const reads = await stores.accessLog.page(personId, first + 1, beforeId);
    const page = reads.slice(0, first);
    return {
      reads: page,
      nextCursor:
        reads.length > first ? encodeCursor(page[page.length - 1]!.id) : null,
    };
  },
};

/**
 * A certificate exported as a signed credential, full or minimal (README:
 * Unlinkable exports): the holder, the issuing body's staff and admins only,
 * as before.
 *
 * @throws ForbiddenError CREDENTIAL_NOT_EXPORTABLE for anyone else
 */
async function exportedCredential(
  ctx: Context,
  certificateId: string,
  disclosure: Disclosure,
) {
  const { loaders, identity, issuer } = ctx;
  const certificate = await loadOrThrow(
    loaders.certificate,
    certificateId,
    'Certificate',
  );
  const body = await loadOrThrow(
    loaders.body,
    certificate.certifyingBodyId,
    'CertifyingBody',
  );
  if (
    identity.subject !== certificate.personId &&
    !canActForBody(identity, body)
  ) {
    throw new ForbiddenError(
      'Only the holder, the issuing body’s staff and admins may export a credential',
      'CREDENTIAL_NOT_EXPORTABLE',
    );
  }
  const evaluatingBodyId = evaluatingBodyOf(certificate);
  const [standard, holder, evaluatingBody] = await Promise.all([
    loadOrThrow(loaders.standard, certificate.standardId, 'CompetencyStandard'),
    loadOrThrow(loaders.person, certificate.personId, 'Person'),
    // Named in the credential only when another body evaluated.
    evaluatingBodyId !== body.id
      ? loadOrThrow(loaders.body, evaluatingBodyId, 'CertifyingBody')
      : null,
  ]);
  const { credential, jwt, identitySalt } = await issuer.issue(
    {
      certificateId: certificate.id,
      issuedAt: certificate.issuedAt,
      expiresAt: certificate.expiresAt,
      standard,
      body: { id: body.id, name: body.name },
      evaluatingBody: evaluatingBody
        ? { id: evaluatingBody.id, name: evaluatingBody.name }
        : null,
      holder: {
        id: holder.id,
        curp: holder.curp,
        initials: initialsOf(holder),
      },
      statusList: certificate.statusList,
      statusListIndex: certificate.statusListIndex,
    },
    disclosure,
  );
  return {
    jwt,
    credential: JSON.stringify(credential),
    publicKeyJwk: JSON.stringify(issuer.publicJwk()),
    identitySalt,
  };
}
