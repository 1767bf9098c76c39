import type { PlacementLinkResolvers } from '../__generated__/resolvers-types';

export const PlacementLink: PlacementLinkResolvers = {
  cohort: ({ enrollment }) =>
    enrollment?.cohortId ? { id: enrollment.cohortId } : null,
  completedAt: ({ enrollment }) => enrollment?.completedAt ?? null,
  certificateId: ({ certificate }) => certificate?.id ?? null,
  standard: ({ certificate }) =>
    certificate?.standardId ? { id: certificate.standardId } : null,
  certifiedAt: ({ certificate }) => certificate?.issuedAt ?? null,
};
