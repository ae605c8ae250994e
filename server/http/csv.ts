import { stringify } from 'csv-stringify/sync';

/**
 * CSV for people who open it in Excel: UTF-8 with a BOM (so Vietnamese shows right), and any cell
 * that a spreadsheet would run as a formula (= + - @, tab, CR) prefixed with a quote (OWASP
 * "CSV injection"). Numbers stay numbers.
 */
export function toCsv(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>): string {
  const body = stringify(
    rows.map((r) => columns.map((c) => escapeCell(r[c]))),
    { header: true, columns: columns as string[], record_delimiter: '\r\n' },
  );
  return `\uFEFF${body}`;
}

export function escapeCell(value: unknown): string | number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  const s = value instanceof Date ? value.toISOString() : String(value);
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}
