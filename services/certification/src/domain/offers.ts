import type { CertificateStatus } from './certificate';
import type { CertifyingBody, CertifyingBodyKind } from './certifying-body';
import { facilityStates, feeFor } from './certifying-body';
import { activeFor, type Accreditation } from './accreditation';
import type { StandardView } from './projections';

/** A reference to a standard owned by the standards subgraph. */
export interface StandardRef {
  id: string;
  /** What certification answers itself where its schema @provides them (from its projection). */
  code?: string;
  title?: string;
  level?: number | null;
}

/** A reference to an organization owned by the committees subgraph. */
export interface OrganizationRef {
  id: string;
}

/** One answer to "where can I get certified?". */
export interface CertificationOffer {
  certifyingBody: CertifyingBody;
  states: string[];
  feeCentavos: number | null;
}

/**
 * Where to get certified against a standard: bodies with an ACTIVE
 * accreditation for it that allows EVALUATION (where a candidate starts: a
 * full body, or an evaluation centre whose evaluations an independent body
 * certifies; a certification-only body takes no candidates), only while it is
 * PUBLISHED (a withdrawn standard takes no new candidates), filtered by
 * facility state and kind, by name.
 */
export function certificationOffers(
  standard: StandardView | null,
  activeAccreditations: readonly Accreditation[],
  bodies: readonly CertifyingBody[],
  filter: { state?: string | null; kind?: CertifyingBodyKind | null },
): CertificationOffer[] {
  if (!standard || standard.status !== 'PUBLISHED') return [];
  const accredited = new Set(
    activeAccreditations
      .filter((a) => activeFor(a, 'EVALUATION') && a.standardId === standard.id)
      .map((a) => a.certifyingBodyId),
  );
  return bodies
    .filter((b) => accredited.has(b.id))
    .filter((b) => !filter.kind || b.kind === filter.kind)
    .filter(
      (b) =>
        !filter.state || b.facilities.some((f) => f.state === filter.state),
    )
    .sort((a, b) => a.name.localeCompare(b.name, 'es'))
    .map((body) => ({
      certifyingBody: body,
      states: facilityStates(body),
      feeCentavos: feeFor(body, standard.id),
    }));
}

/** What the public learns from a verification code: never personal data. */
export interface PublicVerification {
  status: CertificateStatus;
  standardId: string;
  standardCode: string;
  standardTitle: string;
  /** From the projection; null while a projection written before it was kept waits for its backfill. */
  standardLevel: number | null;
  certifyingBodyId: string;
  /** The body that evaluated (the certifying body unless an independent body certified). */
  evaluatingBodyId: string;
  issuerName: string;
  holderInitials: string;
  issuedAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  suspendedAt: Date | null;
}
