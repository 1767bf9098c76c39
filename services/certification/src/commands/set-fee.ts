import {
  authorizedBeforeLoad,
  parseInput,
  requireRole,
  runCommand,
} from '@conecta/service-kit';
import {
  setFeeInput,
  withFee,
  type CertifyingBody,
} from '../domain/certifying-body';
import { CAN_MANAGE_NETWORK } from '../domain/permissions';
import type { Context } from '../context';
import { loadFresh, loadOrThrow, saveBody } from './load';

/**
 * An admin sets a body's fee for a standard (replacing any previous one).
 * The standard is checked before the caller's role, as it always was: the
 * catalogue is public, so a refused caller learns nothing from it.
 */
export async function setFeeCommand(
  ctx: Context,
  args: {
    certifyingBodyId: string;
    standardId: string;
    amountCentavos: number;
  },
): Promise<CertifyingBody> {
  const fee = parseInput(setFeeInput, args, '');
  await loadOrThrow(ctx.loaders.standard, fee.standardId, 'CompetencyStandard');
  requireRole(ctx.identity, ...CAN_MANAGE_NETWORK);
  return runCommand(args.certifyingBodyId, {
    load: (id) => loadFresh(ctx.stores.bodies, id, 'CertifyingBody'),
    authorize: authorizedBeforeLoad,
    decide: (body) => withFee(body, fee),
    save: (_body, next) => saveBody(ctx, next),
  });
}
