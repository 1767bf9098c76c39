/** A standard version as standards' events describe it. */
export interface StandardView {
  id: string;
  code: string;
  title: string;
  /** committees' Sector of the standard's committee. */
  sectorId: string | null;
  publishedAt: Date | null;
  /** Withdrawn or superseded: the earlier of the two, if any. */
  endedAt: Date | null;
}

/** The usage report before shaping (unused standards as entity references). */
export interface StandardUsageReport {
  asOf: Date;
  publishedStandards: number;
  usedStandards: number;
  share: number | null;
  unused: Array<{ id: string }>;
}

/** PUBLISHED at `asOf`: published by then and not yet withdrawn or superseded. */
export function isPublishedAt(standard: StandardView, asOf: Date): boolean {
  if (!standard.publishedAt || standard.publishedAt > asOf) return false;
  return !standard.endedAt || standard.endedAt > asOf;
}

/**
 * The share of standards PUBLISHED at `asOf` with at least one certificate in
 * the window (`certified`: ids of standards with a certificate in it). Unused
 * standards are listed by code, so the report is stable.
 */
export function standardUsage(
  standards: readonly StandardView[],
  certified: ReadonlySet<string>,
  asOf: Date,
): StandardUsageReport {
  const published = standards
    .filter((s) => isPublishedAt(s, asOf))
    .sort((a, b) => a.code.localeCompare(b.code) || a.id.localeCompare(b.id));
  const used = published.filter((s) => certified.has(s.id));
  return {
    asOf,
    publishedStandards: published.length,
    usedStandards: used.length,
    share: published.length === 0 ? null : used.length / published.length,
    unused: published
      .filter((s) => !certified.has(s.id))
      .map((s) => ({ id: s.id })),
  };
}
