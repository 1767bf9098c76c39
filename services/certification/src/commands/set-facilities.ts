import {
  authorizedBeforeLoad,
  parseInput,
  requireRole,
  runCommand,
} from '@conecta/service-kit';
import {
  setFacilitiesInput,
  withFacilities,
  type CertifyingBody,
} from '../domain/certifying-body';
import { CAN_MANAGE_NETWORK } from '../domain/permissions';
import type { Context } from '../context';
import { loadFresh, saveBody } from './load';

/** An admin replaces a body's evaluation facilities. */
export function setFacilitiesCommand(
  ctx: Context,
  args: { certifyingBodyId: string; facilities: unknown },
): Promise<CertifyingBody> {
  const { facilities } = parseInput(setFacilitiesInput, args, '');
  requireRole(ctx.identity, ...CAN_MANAGE_NETWORK);
  return runCommand(args.certifyingBodyId, {
    load: (id) => loadFresh(ctx.stores.bodies, id, 'CertifyingBody'),
    authorize: authorizedBeforeLoad,
    decide: (body) => withFacilities(body, facilities),
    save: (_body, next) => saveBody(ctx, next),
  });
}
