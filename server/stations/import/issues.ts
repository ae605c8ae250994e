import type { RadioRow, StationFormat } from '../stations.schema';

/**
 * One problem found in an uploaded file. `row` is the row as a person sees it in a spreadsheet
 * (header is row 1, first data row is row 2) for csv, xlsx and opencellid, the 0-based feature
 * index for geojson (then `column` is a path such as `features[3].properties.lat`), and null for
 * a problem of the whole file.
 */
export interface ImportIssue {
  severity: 'error' | 'warning';
  row: number | null;
  column: string | null;
  message: string;
}

export interface ParsedFile {
  format: StationFormat;
  /** Only rows without errors; any error in `issues` means nothing should be written. */
  rows: RadioRow[];
  issues: ImportIssue[];
}

export const rowError = (row: number, column: string | null, message: string): ImportIssue => ({
  severity: 'error',
  row,
  column,
  message,
});

export const rowWarning = (row: number, column: string | null, message: string): ImportIssue => ({
  severity: 'warning',
  row,
  column,
  message,
});

export const fileError = (message: string, column: string | null = null): ImportIssue => ({
  severity: 'error',
  row: null,
  column,
  message,
});

export const fileWarning = (message: string, column: string | null = null): ImportIssue => ({
  severity: 'warning',
  row: null,
  column,
  message,
});

export const hasErrors = (issues: readonly ImportIssue[]): boolean =>
  issues.some((i) => i.severity === 'error');

/** Quotes a cell value for a message, cut short so a huge cell cannot flood the report. */
export function quote(value: unknown, max = 40): string {
  const text = value instanceof Date ? value.toISOString() : String(value);
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** Report order: file-level issues first, then by row, then by column. */
export function sortIssues<T extends ImportIssue>(issues: readonly T[]): T[] {
  return [...issues].sort(compareIssues);
}

export function compareIssues(a: ImportIssue, b: ImportIssue): number {
  return (a.row ?? -1) - (b.row ?? -1) || (a.column ?? '').localeCompare(b.column ?? '');
}

/** Two lists each in report order, merged into one in report order (linear: no sort of 100,000 issues). */
export function mergeIssues<T extends ImportIssue>(a: readonly T[], b: readonly T[]): T[] {
  if (b.length === 0) return [...a];
  if (a.length === 0) return [...b];
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(compareIssues(a[i], b[j]) <= 0 ? a[i++] : b[j++]);
  while (i < a.length) out.push(a[i++]);
  while (j < b.length) out.push(b[j++]);
  return out;
}
