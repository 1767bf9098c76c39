import { z } from 'zod';
import { v7 as uuidv7 } from 'uuid';
import { entityId } from '@conecta/events';
import { parseInput } from '@conecta/service-kit';
import { requireAdminOrCertifier } from '../domain/access';
import {
  accreditationScopesInput,
  requestAccreditation,
  type Accreditation,
} from '../domain/accreditation';
import type { Context } from '../context';
import { loadOrThrow } from './load';

const requestAccreditationArgs = z.object({
  certifyingBodyId: entityId,
  standardId: entityId,
  // Absent: both, as every accreditation was before scopes.
  scopes: accreditationScopesInput.nullish(),
});

/**
 * An admin or a CERTIFIER of the body asks for its accreditation for a
 * standard: a new PENDING accreditation with its event, in one insert
 * (CONFLICT `ACCREDITATION_EXISTS`), so no `runCommand`.
 */
export async function requestAccreditationCommand(
  ctx: Context,
  rawArgs: unknown,
): Promise<Accreditation> {
  const { certifyingBodyId, standardId, scopes } = parseInput(
    requestAccreditationArgs,
    rawArgs,
    '',
  );
  const body = await loadOrThrow(
    ctx.loaders.body,
    certifyingBodyId,
    'CertifyingBody',
  );
  requireAdminOrCertifier(ctx.identity, body);
  await loadOrThrow(ctx.loaders.standard, standardId, 'CompetencyStandard');
  const accreditation = requestAccreditation(
    {
      certifyingBodyId,
      organizationId: body.organizationId,
      standardId,
      ...(scopes && { scopes }),
    },
    { id: uuidv7(), now: new Date() },
  );
  await ctx.stores.accreditations.insert(accreditation, [
    ctx.events.accreditationChanged(accreditation, { traceId: ctx.requestId }),
  ]);
  return accreditation;
}
