/**
 * What certification knows about other services, from their events (local
 * projections), so its rules never call another service.
 */

/** Lifecycle states of a standard that matter here. */
export type StandardStatus = 'PUBLISHED' | 'WITHDRAWN' | 'SUPERSEDED';

/** A standard as projected from standards.Standard{Published,Withdrawn,Superseded}. */
export interface StandardView {
  id: string;
  code: string;
  title: string;
  version: number;
  committeeId: string;
  status: StandardStatus;
  /**
   * Its level on the national qualifications framework (1–5): every standards
   * event carries it. Null only while a projection written before it was kept
   * waits for the backfill (README: Events, the backfill).
   */
  level: number | null;
  /** Years a certificate against it stays valid. */
  certificateValidityYears: number;
  /**
   * Official gazette publication date (YYYY-MM-DD), when certification saw the
   * publication event carrying it; null for projections written before it was kept.
   */
  gazetteDate?: string | null;
}

/** A nomination as projected from committees.CertifierNominated. */
export interface Nomination {
  id: string;
  committeeId: string;
  standardId: string;
  organizationId: string;
}

/** An organization as projected from committees.OrganizationRegistered. */
export interface OrganizationView {
  id: string;
  name: string;
  state: string;
}
