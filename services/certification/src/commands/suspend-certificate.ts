import { parseInput, runCommand } from '@conecta/service-kit';
import { requireAdminOrCertifier } from '../domain/access';
import { reasonArgs } from '../domain/accreditation';
import { suspendCertificate, type Certificate } from '../domain/certificate';
import type { Context } from '../context';
import { loadCertificate } from './load';

/**
 * An admin or a CERTIFIER of the issuing body suspends a VALID certificate,
 * with a reason; the write is conditional on the suspension read.
 */
export function suspendCertificateCommand(
  ctx: Context,
  args: { id: string; reason: string },
): Promise<Certificate> {
  const { reason } = parseInput(reasonArgs, args, '');
  return runCommand(args.id, {
    load: (id) => loadCertificate(ctx, id),
    authorize: ({ body }) => requireAdminOrCertifier(ctx.identity, body),
    decide: ({ certificate }) =>
      suspendCertificate(certificate, reason, new Date()),
    save: async (_loaded, suspended) => {
      await ctx.stores.certificates.setSuspension(suspended, null, [
        ctx.events.certificateSuspended(suspended, { traceId: ctx.requestId }),
      ]);
      return suspended;
    },
  });
}
