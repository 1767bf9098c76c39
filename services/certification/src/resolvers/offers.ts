import { z } from 'zod';
import { CERTIFYING_BODY_KINDS } from '@conecta/events';
import { stateCodeSchema } from '@conecta/mexico';
import { parseInput } from '@conecta/service-kit';
import type { CertifyingBody } from '../domain/certifying-body';
import { certificationOffers, type CertificationOffer } from '../domain/offers';
import type { Context } from '../context';

const offerFilter = z.object({
  state: stateCodeSchema.nullish(),
  kind: z.enum(CERTIFYING_BODY_KINDS).nullish(),
});

/** "Where can I get certified?" for one standard; batched per request. */
export async function offersFor(
  ctx: Context,
  standardId: string,
  args: { state?: string | null; kind?: string | null },
): Promise<CertificationOffer[]> {
  const filter = parseInput(offerFilter, args, '');
  const [standard, accreditations] = await Promise.all([
    ctx.loaders.standard.load(standardId),
    ctx.loaders.activeAccreditations.load(standardId),
  ]);
  const bodies = await ctx.loaders.body.loadMany(
    accreditations.map((a) => a.certifyingBodyId),
  );
  return certificationOffers(
    standard,
    accreditations,
    bodies.filter(
      (b): b is CertifyingBody => b !== null && !(b instanceof Error),
    ),
    filter,
  );
}
