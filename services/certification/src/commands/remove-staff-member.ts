import {
  authorizedBeforeLoad,
  requireRole,
  runCommand,
} from '@conecta/service-kit';
import {
  withoutStaffMember,
  type CertifyingBody,
} from '../domain/certifying-body';
import { CAN_MANAGE_NETWORK } from '../domain/permissions';
import type { Context } from '../context';
import { loadFresh, saveBody } from './load';

/** An admin takes a member off a body's staff (unchanged if absent). */
export function removeStaffMemberCommand(
  ctx: Context,
  args: { certifyingBodyId: string; subject: string },
): Promise<CertifyingBody> {
  requireRole(ctx.identity, ...CAN_MANAGE_NETWORK);
  return runCommand(args.certifyingBodyId, {
    load: (id) => loadFresh(ctx.stores.bodies, id, 'CertifyingBody'),
    authorize: authorizedBeforeLoad,
    decide: (body) => withoutStaffMember(body, args.subject),
    save: (_body, next) => saveBody(ctx, next),
  });
}
