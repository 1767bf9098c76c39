import { parseStatusListRef, statusListsInUse } from '../domain/status-slots';
import type { CertificateStore } from '../store/certificates';
import type { CredentialIssuer } from './issuer';

/**
 * List `id` ("1", "2", … for revocation; "suspension-1", … for suspension)
 * as it stands now, signed; null when the id names no list in use (lists 1 …
 * the one the status counter is in, for each purpose): nothing is signed
 * about a list that does not exist. The same entries give the same JWT
 * (README: Verifiable Credentials), for GraphQL and HTTP alike.
 */
export async function currentStatusList(
  certificates: Pick<
    CertificateStore,
    'statusPositionsReserved' | 'statusListEntries'
  >,
  issuer: Pick<CredentialIssuer, 'statusList'>,
  id: string,
) {
  const ref = parseStatusListRef(id);
  if (
    ref === null ||
    ref.list > statusListsInUse(await certificates.statusPositionsReserved())
  )
    return null;
  const { indexes, lastSetAt } = await certificates.statusListEntries(ref);
  return issuer.statusList(ref, indexes, lastSetAt);
}
