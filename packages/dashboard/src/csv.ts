import { unparse } from 'papaparse';

/** A chart's data as a table: column names (stable, snake_case) and rows. */
export interface CsvTable {
  fields: string[];
  data: (string | number | boolean | null)[][];
}

/** The CSV text of a table (RFC 4180, CRLF line ends, papaparse's quoting). */
export function toCsv(table: CsvTable): string {
  return unparse(
    { fields: table.fields, data: table.data },
    // Protects spreadsheet users from cells that start with = + - @.
    { escapeFormulae: true },
  );
}

/** Offers the table to the browser as a file download. */
export function downloadCsv(filename: string, table: CsvTable): void {
  // The byte order mark makes spreadsheet programs read UTF-8 (accents).
  const blob = new Blob(['\uFEFF', toCsv(table)], {
    type: 'text/csv;charset=utf-8',
  });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started from the object URL by now.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
