import type { AgreementResolvers } from '../__generated__/resolvers-types';
import { participantBreakdown } from '../domain/money';
import { targetFields } from './queries';

export const Agreement: AgreementResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.agreement.load(ref.id),
  provider: (a) => ({ id: a.providerId }),
  ...targetFields,
  credential: (a, _args, { loaders }) =>
    a.target.kind === 'CREDENTIAL'
      ? loaders.credential.load(a.target.id)
      : null,
  marketPrice: (a) => a.marketPriceCentavos,
  costPerParticipant: (a, { fundShareBps }, { pricing }) =>
    participantBreakdown({
      marketPriceCentavos: a.marketPriceCentavos,
      discountBps: a.discountBps,
      brokerMarkupBps: pricing.brokerMarkupBps,
      fundShareBps: fundShareBps ?? 0,
    }),
  cohorts: (a, _args, { loaders }) => loaders.cohortsByAgreement.load(a.id),
};
