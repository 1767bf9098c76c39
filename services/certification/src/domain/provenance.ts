/**
 * Where an imported record came from: the audit trail of a historical import
 * (README: Historical import). Certificates and evaluations issued in Conecta
 * itself have none.
 */
export interface ImportProvenance {
  /** Name of the legacy registry, e.g. "RENEC 2019–2025 migration". */
  source: string;
  /** The record's folio in that registry; unique per source. */
  folio: string;
  /** Identity subject of the admin who ran the import. */
  importedBy: string;
  /** When it was imported (not when it was issued). */
  importedAt: Date;
}
