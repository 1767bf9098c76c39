import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import { ConflictError } from '@conecta/service-kit/errors';
import {
  registerCredential,
  registerCredentialInput,
  type VendorCredential,
} from '../domain/catalog';
import { assertBroker } from '../domain/permissions';
import type { Context } from '../context';
import { metaOf, requirePublishedStandard } from './load';

/**
 * The broker enters a vendor credential in the catalog (prices in
 * centavos). A new credential (an insert; its code is unique per vendor),
 * so no version to race and no `runCommand`.
 */
export async function registerVendorCredentialCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<VendorCredential> {
  assertBroker(ctx.identity);
  const input = parseInput(registerCredentialInput, rawInput);
  if (input.standardId)
    await requirePublishedStandard(ctx, input.standardId, 'input.standardId');
  const now = new Date();
  const credential = registerCredential(input, { id: uuidv7(), now });
  await ctx.stores.credentials.insert(
    credential,
    [ctx.events.credentialRegistered(credential, metaOf(ctx, now))],
    () =>
      new ConflictError(
        'CREDENTIAL_CODE_TAKEN',
        `${credential.vendor} ${credential.code} is already in the catalog`,
        'input.code',
      ),
  );
  return credential;
}
