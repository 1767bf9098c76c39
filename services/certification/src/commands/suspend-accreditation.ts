import {
  authorizedBeforeLoad,
  parseInput,
  requireRole,
  runCommand,
} from '@conecta/service-kit';
import {
  reasonArgs,
  suspendAccreditation,
  type Accreditation,
} from '../domain/accreditation';
import { CAN_MANAGE_NETWORK } from '../domain/permissions';
import type { Context } from '../context';
import { loadFresh, saveAccreditation } from './load';

/** An admin suspends an ACTIVE accreditation, with a reason. */
export function suspendAccreditationCommand(
  ctx: Context,
  args: { id: string; reason: string },
): Promise<Accreditation> {
  const { reason } = parseInput(reasonArgs, args, '');
  requireRole(ctx.identity, ...CAN_MANAGE_NETWORK);
  return runCommand(args.id, {
    load: (id) => loadFresh(ctx.stores.accreditations, id, 'Accreditation'),
    authorize: authorizedBeforeLoad,
    decide: (accreditation) =>
      suspendAccreditation(accreditation, reason, new Date()),
    save: (before, next) => saveAccreditation(ctx, before, next),
  });
}
