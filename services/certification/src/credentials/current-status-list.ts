import { parseStatusListId, statusListsInUse } from '../domain/status-slots';
import type { CertificateStore } from '../store/certificates';
import type { CredentialIssuer } from './issuer';

/**
 * List `id` ("1", "2", …) as it stands now, signed; null when the id names no
 * list in use (lists 1 … the one the status counter is in): nothing is signed
 * about a list that does not exist. The same revocations give the same JWT
 * (README: Verifiable Credentials), for GraphQL and HTTP alike.
 */
export async function currentStatusList(
  certificates: Pick<
    CertificateStore,
    'statusPositionsReserved' | 'statusListRevocations'
  >,
  issuer: Pick<CredentialIssuer, 'statusList'>,
  id: string,
) {
  const list = parseStatusListId(id);
  if (
    list === null ||
    list > statusListsInUse(await certificates.statusPositionsReserved())
  )
    return null;
  const { indexes, lastRevokedAt } =
    await certificates.statusListRevocations(list);
  return issuer.statusList(list, indexes, lastRevokedAt);
}
