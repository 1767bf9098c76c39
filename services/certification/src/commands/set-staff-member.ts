import {
  authorizedBeforeLoad,
  parseInput,
  requireRole,
  runCommand,
} from '@conecta/service-kit';
import {
  staffMemberInput,
  withStaffMember,
  type CertifyingBody,
} from '../domain/certifying-body';
import { CAN_MANAGE_NETWORK } from '../domain/permissions';
import type { Context } from '../context';
import { loadFresh, saveBody } from './load';

/** An admin adds a member to a body's staff, or changes the member's name and roles. */
export function setStaffMemberCommand(
  ctx: Context,
  args: { certifyingBodyId: string; member: unknown },
): Promise<CertifyingBody> {
  const member = parseInput(staffMemberInput, args.member, 'member');
  requireRole(ctx.identity, ...CAN_MANAGE_NETWORK);
  return runCommand(args.certifyingBodyId, {
    load: (id) => loadFresh(ctx.stores.bodies, id, 'CertifyingBody'),
    authorize: authorizedBeforeLoad,
    decide: (body) => withStaffMember(body, member),
    save: (_body, next) => saveBody(ctx, next),
  });
}
