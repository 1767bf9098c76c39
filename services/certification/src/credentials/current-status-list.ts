import {
  parseStatusListRef,
  statusListsInUse,
  statusSizeOf,
  type StatusListRef,
} from '../domain/status-slots';
import type { CertificateStore } from '../store/certificates';
import type { CredentialIssuer } from './issuer';
import { encodeStatuses } from './status-list';

type ListReader = Pick<
  CertificateStore,
  'statusPositionsReserved' | 'statusListEntries'
>;

/**
 * List `id` ("1", "2", … for revocation; "suspension-1", … for suspension;
 * "status-1", … for the 2-bit message lists) as it stands now, signed; null
 * when the id names no list in use (lists 1 … the one the status counter is
 * in, for each purpose): nothing is signed about a list that does not
 * exist. The same entries give the same JWT (README: Verifiable
 * Credentials), for GraphQL and HTTP alike.
 */
export async function currentStatusList(
  certificates: ListReader,
  issuer: Pick<CredentialIssuer, 'statusList'>,
  id: string,
) {
  const ref = parseStatusListRef(id);
  if (
    ref === null ||
    ref.list > statusListsInUse(await certificates.statusPositionsReserved())
  )
    return null;
  const { statuses, lastSetAt } = await certificates.statusListEntries(ref);
  return issuer.statusList(ref, statuses, lastSetAt);
}

/** The encoded bitstring of list `ref` as it stands now: what a verifier fetching it would decode. */
export async function currentEncodedList(
  certificates: Pick<CertificateStore, 'statusListEntries'>,
  ref: StatusListRef,
): Promise<string> {
  const { statuses } = await certificates.statusListEntries(ref);
  return encodeStatuses(statuses, statusSizeOf(ref.purpose));
}
