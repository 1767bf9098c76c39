// The formats of the open-data export (issue 17), pure: what a service's
// domain/ uses to write its slice as CSV (RFC 4180) and CTDL JSON-LD. Imported
// as `@conecta/service-kit/open-data-format` (no I/O; domain/ may use it).

/** The JSON-LD context every CTDL document names (Credential Engine's). */
export const CTDL_CONTEXT = 'https://credreg.net/ctdl/schema/context/json';

export const CSV_TYPE = 'text/csv; charset=utf-8';
export const JSONLD_TYPE = 'application/ld+json';

/** A generated file: its name under /open-data/, media type and bytes. */
export interface GeneratedFile {
  name: string;
  contentType: string;
  body: string;
}

/**
 * A slice's two files as one function of its rows and the public base URL:
 * its table as CSV (`csv`) and its graph as CTDL JSON-LD (`jsonld`: one JSON
 * document, a newline after it), under the slice's names.
 */
export function csvAndJsonLdFiles<T>(
  names: { readonly csv: string; readonly jsonld: string },
  csv: (rows: readonly T[], baseUrl: string) => string,
  jsonld: (rows: readonly T[], baseUrl: string) => unknown,
): (rows: readonly T[], baseUrl: string) => GeneratedFile[] {
  return (rows, baseUrl) => [
    { name: names.csv, contentType: CSV_TYPE, body: csv(rows, baseUrl) },
    {
      name: names.jsonld,
      contentType: JSONLD_TYPE,
      body: `${JSON.stringify(jsonld(rows, baseUrl))}\n`,
    },
  ];
}

/** The CTID (Credential Engine's identifier) of a graph id: `ce-<uuid>`. */
export const ctidOf = (id: string): string => `ce-${id.toLowerCase()}`;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote, CR or LF
 * (or starts or ends with a space, which some readers trim), quotes doubled.
 * Absent values are empty fields. Nothing is prefixed or altered: these are
 * data for programs, and a spreadsheet user imports them as text.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A whole CSV document: the header and one line per row, CRLF after each (RFC 4180). */
export function csvDocument(
  header: readonly string[],
  rows: readonly (readonly (string | number | null | undefined)[])[],
): string {
  return [header, ...rows]
    .map((row) => `${row.map(csvField).join(',')}\r\n`)
    .join('');
}
