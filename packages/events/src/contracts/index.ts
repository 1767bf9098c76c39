// The event contracts: pure zod, no Kafka or MongoDB, so a service's domain/ may
// import the published vocabulary (kinds, states) from '@conecta/events/contracts'.
export { mexicanStateCode, rfc } from './common';
export {
  ORGANIZATION_KINDS,
  OrganizationRegisteredV1,
  SECTOR_KINDS,
  SectorRegisteredV1,
  committeesContracts,
} from './committees';
