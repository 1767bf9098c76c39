// The event contracts: pure zod, no Kafka or MongoDB, so a service's domain/ may
// import the published vocabulary (kinds, states) from '@conecta/events/contracts'.
export {
  entityId,
  isoDate,
  isoDateTime,
  mexicanStateCode,
  rfc,
} from './common';
export {
  COMMITTEE_SCOPES,
  CertifierNominatedV1,
  CommitteeDissolvedV1,
  CommitteeInstalledV1,
  CommitteeProposedV1,
  MEMBER_SIDES,
  ORGANIZATION_KINDS,
  OrganizationRegisteredV1,
  SECTOR_KINDS,
  SectorRegisteredV1,
  committeesContracts,
} from './committees';
export {
  CouncilVoteOpenedV1,
  STANDARD_LEVELS,
  StandardApprovedV1,
  StandardDraftedV1,
  StandardPublishedV1,
  StandardRejectedV1,
  StandardReturnedV1,
  StandardReviewStartedV1,
  StandardSubmittedV1,
  StandardSupersededV1,
  StandardWithdrawnV1,
  standardCode,
  standardsContracts,
} from './standards';
