import { v7 as uuidv7 } from 'uuid';
import { parseInput } from '@conecta/service-kit';
import {
  signAgreement,
  signAgreementInput,
  type Agreement,
} from '../domain/catalog';
import { assertBroker } from '../domain/permissions';
import type { Context } from '../context';
import { metaOf, requireOrganization, requireTarget } from './load';

/**
 * The broker signs an agreement with a provider (discount at most the
 * configured cap). A new agreement (an insert), so no version to race and
 * no `runCommand`.
 */
export async function signAgreementCommand(
  ctx: Context,
  rawInput: unknown,
): Promise<Agreement> {
  assertBroker(ctx.identity);
  const input = parseInput(
    signAgreementInput(ctx.pricing.vendorDiscountCapBps),
    rawInput,
  );
  await requireOrganization(ctx, input.providerId, 'input.providerId');
  await requireTarget(ctx, input.target, 'input.target');
  const credential =
    input.target.kind === 'CREDENTIAL'
      ? await ctx.loaders.credential.load(input.target.id)
      : null;
  const now = new Date();
  const agreement = signAgreement(input, credential, { id: uuidv7(), now });
  await ctx.stores.agreements.insert(agreement, [
    ctx.events.agreementSigned(agreement, metaOf(ctx, now)),
  ]);
  return agreement;
}
