import {
  authorizedBeforeLoad,
  requireRole,
  runCommand,
} from '@conecta/service-kit';
import {
  activateAccreditation,
  type Accreditation,
} from '../domain/accreditation';
import { currentProcedure } from '../domain/evaluation-procedure';
import { CAN_MANAGE_NETWORK } from '../domain/permissions';
import type { Context } from '../context';
import { loadFresh, saveAccreditation } from './load';

/**
 * An admin activates a PENDING (or SUSPENDED) accreditation once its
 * standard is PUBLISHED, enough certifiers are nominated and the body has an
 * APPROVED evaluation procedure.
 */
export function activateAccreditationCommand(
  ctx: Context,
  id: string,
): Promise<Accreditation> {
  requireRole(ctx.identity, ...CAN_MANAGE_NETWORK);
  return runCommand(id, {
    load: (i) => loadFresh(ctx.stores.accreditations, i, 'Accreditation'),
    authorize: authorizedBeforeLoad,
    decide: async (accreditation) => {
      const [standard, nominations, procedures] = await Promise.all([
        ctx.loaders.standard.load(accreditation.standardId),
        ctx.stores.projections.nominationsFor(accreditation.standardId),
        ctx.loaders.proceduresOfBody.load(accreditation.certifyingBodyId),
      ]);
      return activateAccreditation(
        accreditation,
        standard,
        nominations,
        currentProcedure(procedures),
        new Date(),
      );
    },
    save: (before, next) => saveAccreditation(ctx, before, next),
  });
}
