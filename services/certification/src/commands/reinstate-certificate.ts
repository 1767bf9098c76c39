import { parseInput, runCommand } from '@conecta/service-kit';
import { requireAdminOrCertifier } from '../domain/access';
import { reasonArgs } from '../domain/accreditation';
import { reinstateCertificate, type Certificate } from '../domain/certificate';
import type { Context } from '../context';
import { loadCertificate } from './load';

/**
 * An admin or a CERTIFIER of the issuing body lifts a suspension, with a
 * reason; the write is conditional on the suspension read.
 */
export function reinstateCertificateCommand(
  ctx: Context,
  args: { id: string; reason: string },
): Promise<Certificate> {
  const { reason } = parseInput(reasonArgs, args, '');
  return runCommand(args.id, {
    load: (id) => loadCertificate(ctx, id),
    authorize: ({ body }) => requireAdminOrCertifier(ctx.identity, body),
    decide: ({ certificate }) => reinstateCertificate(certificate),
    save: async ({ certificate }, reinstated) => {
      // reinstateCertificate refused one that was not suspended.
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
  });
}
