import { NO_DIMENSIONS, type MetricFact } from './metrics';
import { evaluationStateOf } from './people';
import { periodOf, type Granularity } from './periods';
import type { BucketRow, Catalog } from './scope';

/**
 * A certificate as certification's events have described it so far: its
 * issuance and its revocation may arrive in either order (a revocation
 * redelivered or replayed before its issuance, an issuance dead-lettered and
 * replayed later).
 */
export interface CertificateView {
  id: string;
  standardId: string;
  /** From `CertificateIssued`; null until it has been seen. */
  issuedAt: Date | null;
  /** From `CertificateRevoked`; null unless it has been seen. */
  revokedAt: Date | null;
  /** The retraction has been applied to every bucket (see {@link retractionOf}). */
  retracted: boolean;
  /** The holder (certification's Person id); absent on views stored before it was recorded. */
  personId?: string | null;
  /** The evaluating body, which gives the certificate its state (`evaluationStateOf`). */
  certifyingBodyId?: string | null;
}

/**
 * The mark under which a certificate's retraction is applied to each bucket:
 * one per certificate, not per event, so whichever of its two events completes
 * the picture applies it, and a second revocation event, a redelivery or a
 * replay finds it already applied.
 */
export const retractionMark = (certificateId: string): string =>
  `retracted:${certificateId}`;

/** A certificate counts once in the period it was issued, against its standard. */
export function issuanceOf(
  certificate: Pick<CertificateView, 'standardId'> & { issuedAt: Date },
): MetricFact {
  return {
    metric: 'CERTIFIED',
    at: certificate.issuedAt,
    amount: 1,
    dimensions: { ...NO_DIMENSIONS, standardId: certificate.standardId },
  };
}

/**
 * A revoked certificate no longer counts as certified supply: −1 in the period
 * it was issued (not the period of the revocation), so every certified count —
 * supply, funnel, usage, goals — is "issued in the period and not revoked
 * since". Null until both the issuance and the revocation are known, and
 * once it has been applied: the view remembers it for ever, the buckets'
 * marks only for their last 1 000 events (a second revocation event months
 * later must not subtract again).
 */
export function retractionOf(certificate: CertificateView): MetricFact | null {
  if (!certificate.issuedAt || !certificate.revokedAt || certificate.retracted)
    return null;
  return {
    ...issuanceOf({ ...certificate, issuedAt: certificate.issuedAt }),
    amount: -1,
  };
}

/**
 * Certificates as bucket rows that record the state they were evaluated in
 * (`evaluationStateOf`): what a state filter on certified counts reads, since
 * the CERTIFIED buckets carry no state. One row per certificate issued and
 * not revoked, in the period of `granularity` of its issue date — the same
 * "issued in the period and not revoked since" as the buckets. Pure.
 */
export function certifiedRows(
  certificates: ReadonlyArray<
    Pick<
      CertificateView,
      'standardId' | 'issuedAt' | 'revokedAt' | 'certifyingBodyId'
    >
  >,
  catalog: Pick<Catalog, 'bodies'>,
  granularity: Granularity,
): BucketRow[] {
  const rows: BucketRow[] = [];
  for (const certificate of certificates) {
    if (!certificate.issuedAt || certificate.revokedAt) continue;
    rows.push({
      period: periodOf(certificate.issuedAt, granularity).label,
      value: 1,
      dimensions: {
        ...NO_DIMENSIONS,
        standardId: certificate.standardId,
        state: evaluationStateOf(
          {
            certifyingBodyId: certificate.certifyingBodyId ?? null,
            issuedAt: certificate.issuedAt,
          },
          catalog.bodies,
        ),
      },
    });
  }
  return rows;
}
