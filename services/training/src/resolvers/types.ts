import type {
  AgreementResolvers,
  CompetencyStandardResolvers,
  CostBreakdownResolvers,
  DemandRequestResolvers,
  MatchResolvers,
  MatchResultResolvers,
  OrganizationResolvers,
  PersonResolvers,
  VendorCredentialResolvers,
} from '../__generated__/resolvers-types';
import { participantBreakdown } from '../domain/money';
import { canSeeDemand, isBroker } from '../domain/permissions';
import { matchFor } from './commands';

const targetFields = {
  targetKind: (parent: { target: { kind: 'STANDARD' | 'CREDENTIAL' } }) =>
    parent.target.kind,
  standard: (parent: { target: { kind: string; id: string } }) =>
    parent.target.kind === 'STANDARD' ? { id: parent.target.id } : null,
};

export const VendorCredential: VendorCredentialResolvers = {
  __resolveReference: (ref, { loaders }) => loaders.credential.load(ref.id),
  examMarketPrice: (c) => c.examMarketPriceCentavos,
  trainingMarketPrice: (c) => c.trainingMarketPriceCentavos,
  alignedStandard: (c) => (c.standardId ? { id: c.standardId } : null),
};

export const CostBreakdown: CostBreakdownResolvers = {
  marketPrice: (b) => b.marketPriceCentavos,
  discount: (b) => b.discountCentavos,
  negotiatedPrice: (b) => b.negotiatedPriceCentavos,
  brokerFee: (b) => b.brokerFeeCentavos,
  total: (b) => b.totalCentavos,
  fundContribution: (b) => b.fundContributionCentavos,
  participantShare: (b) => b.participantShareCentavos,
};

export const DemandRequest: DemandRequestResolvers = {
  // Demand is visible to its requester and brokers only: others get null.
  __resolveReference: async (ref, { loaders, identity }) => {
    const demand = await loaders.demand.load(ref.id);
    return demand && canSeeDemand(identity, demand) ? demand : null;
  },
  requester: (d) => ({ id: d.requesterId }),
  ...targetFields,
  credential: (d, _args, { loaders }) =>
    d.target.kind === 'CREDENTIAL'
      ? loaders.credential.load(d.target.id)
      : null,
  project: (d, _args, { loaders }) =>
    d.projectId ? loaders.project.load(d.projectId) : null,
  // The audit trail names staff (importedBy): admins and brokers only.
  provenance: (d, _args, { identity }) =>
    d.provenance && isBroker(identity) ? d.provenance : null,
  matches: (d, _args, ctx) => matchFor(ctx, d),
};

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

export const Match: MatchResolvers = {};

export const MatchResult: MatchResultResolvers = {
  demandRequest: (r) => r.demand,
};

export const Person: PersonResolvers = {
  // certification owns Person; any id resolves (someone never enrolled has none).
  __resolveReference: (ref) => ({ id: ref.id }),
};

export const Organization: OrganizationResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  demandRequests: async (org, _args, { loaders, identity }) => {
    const demands = await loaders.demandsByRequester.load(org.id);
    return demands.filter((d) => canSeeDemand(identity, d));
  },
  agreements: (org, _args, { loaders }) =>
    loaders.agreementsByProvider.load(org.id),
};

export const CompetencyStandard: CompetencyStandardResolvers = {
  __resolveReference: (ref) => ({ id: ref.id }),
  trainingOffers: async (standard, _args, { loaders }) => {
    const today = Date.now();
    const offers = await loaders.agreementsByStandard.load(standard.id);
    return offers
      .filter(
        (a) =>
          a.validFrom.getTime() <= today && a.validUntil.getTime() >= today,
      )
      .sort((a, b) => b.discountBps - a.discountBps);
  },
};
