import { parseInput, runCommand } from '@conecta/service-kit';
import { requireAdminOrCertifier } from '../domain/access';
import { reasonArgs } from '../domain/accreditation';
import { revokeCertificate, type Certificate } from '../domain/certificate';
import type { Context } from '../context';
import { loadCertificate } from './load';

/**
 * An admin or a CERTIFIER of the issuing body revokes a certificate,
 * permanently, with a reason. The write is conditional on its not being
 * revoked: one revoked meanwhile is refused (`CERTIFICATE_ALREADY_REVOKED`,
 * an answer, not a race to run again).
 */
export function revokeCertificateCommand(
  ctx: Context,
  args: { id: string; reason: string },
): Promise<Certificate> {
  const { reason } = parseInput(reasonArgs, args, '');
  return runCommand(args.id, {
    load: (id) => loadCertificate(ctx, id),
    authorize: ({ body }) => requireAdminOrCertifier(ctx.identity, body),
    decide: ({ certificate }) =>
      revokeCertificate(certificate, reason, new Date()),
    save: async (_loaded, revoked) => {
      await ctx.stores.certificates.revoke(revoked, [
        ctx.events.certificateRevoked(revoked, { traceId: ctx.requestId }),
      ]);
      return revoked;
    },
  });
}
