import { parse } from 'csv-parse/sync';
import { hasMoreRecordsThan } from '../stations/import/count-records';
import { decodeText } from '../stations/import/decode-text';
import { fileError, fileWarning, quote, rowError, type ImportIssue } from '../stations/import/issues';
import { tooManyRows } from '../stations/import/table';
import type { BroadbandFormat } from './broadband.schema';

export type BroadbandField = 'communeCode' | 'communeName' | 'operator' | 'asOf' | 'householdsPassed' | 'subscriptions' | 'ports';

/**
 * Accepted column names, after `normalizeName` (lower case, no diacritics, words joined by `_`,
 * a unit in parentheses dropped): English or the Vietnamese of an operator's report.
 */
export const BROADBAND_ALIASES: Readonly<Record<BroadbandField, readonly string[]>> = {
  communeCode: ['commune_code', 'commune', 'code', 'ma_xa', 'ma_xa_phuong', 'ma_don_vi', 'ma_dvhc'],
  communeName: ['commune_name', 'name', 'ten_xa', 'ten', 'ten_don_vi', 'ten_xa_phuong', 'xa_phuong'],
  operator: ['operator', 'nha_mang', 'doanh_nghiep', 'nha_cung_cap'],
  asOf: ['as_of', 'date', 'ngay', 'ngay_so_lieu', 'thoi_diem', 'ngay_bao_cao'],
  householdsPassed: ['households_passed', 'passed', 'homes_passed', 'ho_duoc_phu', 'so_ho_duoc_phu', 'so_ho_duoc_phu_cap_quang', 'ho_phu_cap_quang'],
  subscriptions: ['subscriptions', 'fiber_subscriptions', 'subscribers', 'households_subscribed', 'thue_bao', 'so_thue_bao', 'thue_bao_cap_quang', 'so_thue_bao_cap_quang', 'so_ho_thue_bao', 'ho_thue_bao'],
  ports: ['ports', 'fiber_ports', 'so_cong', 'cong', 'cong_quang', 'so_cong_quang'],
};

/** The columns every file needs; `operator` too unless the token or `?operator=` names it. */
export const REQUIRED_BROADBAND_FIELDS: readonly BroadbandField[] = ['communeCode', 'asOf', 'householdsPassed', 'subscriptions'];

/** The canonical column names, as the sample file and error messages write them. */
export const BROADBAND_COLUMNS: Readonly<Record<BroadbandField, string>> = {
  communeCode: 'commune_code', communeName: 'commune_name', operator: 'operator', asOf: 'as_of',
  householdsPassed: 'households_passed', subscriptions: 'subscriptions', ports: 'ports',
};

export interface RawBroadbandRecord {
  /** csv: the row as a spreadsheet shows it (header is row 1); json: 0-based index. */
  row: number;
  values: Partial<Record<BroadbandField, unknown>>;
}

export interface RawBroadbandTable {
  format: BroadbandFormat;
  records: RawBroadbandRecord[];
  present: ReadonlySet<BroadbandField>;
  /** How a message names a column of a row: the header as written, or a JSON path. */
  label(row: number, field: BroadbandField): string;
  issues: ImportIssue[];
}

const HEADER_SEARCH_ROWS = 10;

/** `Số thuê bao (hộ)` → `so_thue_bao`; `householdsPassed` → `households_passed` with `camelCase`. */
export function normalizeName(name: string, options: { camelCase?: boolean } = {}): string {
  return (options.camelCase ? name.replace(/([a-z])([A-Z])/g, '$1_$2') : name)
    .replace(/\(.*?\)|\[.*?\]/g, ' ')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

export function fieldOf(name: string): BroadbandField | null {
  const n = normalizeName(name, { camelCase: true });
  for (const [field, aliases] of Object.entries(BROADBAND_ALIASES) as Array<[BroadbandField, readonly string[]]>) {
    if (aliases.includes(n)) return field;
  }
  return null;
}

/** Detects the format (declared, JSON by content type or first character, else CSV) and reads the file. */
export function parseBroadbandFile(data: Buffer, options: { format?: BroadbandFormat; contentType?: string | null; maxRows: number }): RawBroadbandTable {
  const decoded = decodeText(data);
  if (!decoded.ok) return empty(options.format ?? 'csv', [decoded.issue]);
  const text = decoded.text.replace(/^\uFEFF/, '');
  const looksJson = /^\s*[[{]/.test(text) || /json/i.test(options.contentType ?? '');
  const format = options.format ?? (looksJson ? 'json' : 'csv');
  if (text.trim() === '') return empty(format, [fileError('the file is empty')]);
  return format === 'json' ? parseJson(text, options.maxRows) : parseCsv(text, options.maxRows);
}

function parseCsv(text: string, maxRows: number): RawBroadbandTable {
  const issues: ImportIssue[] = [];
  const delimiter = detectDelimiter(text);
  // Counted before parsing, so that a file of millions of rows is refused at once.
  if (hasMoreRecordsThan(text, delimiter, maxRows + HEADER_SEARCH_ROWS)) return empty('csv', [fileError(tooManyRows(maxRows))]);
  let records: string[][];
  try {
    records = parse(text, { delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: false });
  } catch (err) {
    return empty('csv', [fileError(`the file could not be read as CSV: ${(err as Error).message.slice(0, 200)}`)]);
  }
  const headerIndex = records.slice(0, HEADER_SEARCH_ROWS).findIndex((cells) => {
    const fields = new Set(cells.map(fieldOf).filter((f) => f !== null));
    return fields.has('communeCode') && fields.size >= 3;
  });
  if (headerIndex < 0) {
    return empty('csv', [fileError('no header row found: the first row should name the columns commune_code, operator, as_of, households_passed, subscriptions (or mã xã, nhà mạng, ngày, số hộ được phủ, số thuê bao)')]);
  }
  if (records.slice(0, headerIndex).some((cells) => !isBlankRow(cells))) issues.push(fileWarning(`rows above the header (row ${headerIndex + 1}) were ignored`));
  const header = records[headerIndex];
  const slots: Array<BroadbandField | null> = [];
  const labels = new Map<BroadbandField, string>();
  for (const name of header) {
    const field = fieldOf(name);
    if (!field) {
      if (name.trim()) issues.push(fileWarning(`column ${quote(name)} is not a broadband column and was ignored`, name));
      slots.push(null);
    } else if (labels.has(field)) {
      issues.push(fileError(`columns ${quote(labels.get(field))} and ${quote(name)} both give ${BROADBAND_COLUMNS[field]}; keep one`, name));
      slots.push(null);
    } else {
      labels.set(field, name);
      slots.push(field);
    }
  }
  const out: RawBroadbandRecord[] = [];
  for (let i = headerIndex + 1; i < records.length; i++) {
    const cells = records[i];
    const row = i + 1;
    if (isBlankRow(cells)) continue;
    if (out.length >= maxRows) return empty('csv', [fileError(tooManyRows(maxRows))]);
    if (cells.length > header.length && cells.slice(header.length).some((c) => c.trim() !== '')) {
      issues.push(rowError(row, null, `row has ${cells.length} values but the header has ${header.length} columns; is a delimiter unquoted?`));
      continue;
    }
    const values: RawBroadbandRecord['values'] = {};
    slots.forEach((field, j) => { if (field) values[field] = cells[j]; });
    out.push({ row, values });
  }
  if (out.length === 0 && !issues.some((i) => i.row !== null)) issues.push(fileError('the file has a header but no data rows'));
  return { format: 'csv', records: out, present: new Set(labels.keys()), label: (_row, field) => labels.get(field) ?? BROADBAND_COLUMNS[field], issues };
}

function parseJson(text: string, maxRows: number): RawBroadbandTable {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    return empty('json', [fileError(`the body is not valid JSON: ${(err as Error).message.slice(0, 200)}`)]);
  }
  const wrapped = !Array.isArray(body);
  const items = Array.isArray(body) ? body : (body as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(items)) return empty('json', [fileError('expected an array of rows, or an object {"rows": [...]}', 'rows')]);
  if (items.length > maxRows) return empty('json', [fileError(`more than ${maxRows} rows; split the upload`)]);
  if (items.length === 0) return empty('json', [fileError('there are no rows')]);
  const issues: ImportIssue[] = [];
  const prefix = wrapped ? 'rows' : '';
  const keys = new Map<number, Map<BroadbandField, string>>();
  const present = new Set<BroadbandField>();
  const unknown = new Set<string>();
  const records: RawBroadbandRecord[] = [];
  items.forEach((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      issues.push(rowError(i, `${prefix}[${i}]`, 'each row must be an object such as {"communeCode": "07900", "asOf": "2026-01-31", "householdsPassed": 12000, "subscriptions": 9000}'));
      return;
    }
    const values: RawBroadbandRecord['values'] = {};
    const rowKeys = new Map<BroadbandField, string>();
    for (const [key, value] of Object.entries(item)) {
      const field = fieldOf(key);
      if (!field) { unknown.add(key); continue; }
      if (rowKeys.has(field)) {
        issues.push(rowError(i, `${prefix}[${i}].${key}`, `${quote(rowKeys.get(field))} and ${quote(key)} both give ${BROADBAND_COLUMNS[field]}; keep one`));
        continue;
      }
      rowKeys.set(field, key);
      present.add(field);
      values[field] = value;
    }
    keys.set(i, rowKeys);
    records.push({ row: i, values });
  });
  for (const key of unknown) issues.push(fileWarning(`key ${quote(key)} is not a broadband field and was ignored`, key));
  return {
    format: 'json', records, present, issues,
    label: (row, field) => `${prefix}[${row}].${keys.get(row)?.get(field) ?? BROADBAND_COLUMNS[field]}`,
  };
}

/** The delimiter that splits the first lines into the most broadband columns; else the most frequent. */
function detectDelimiter(text: string): string {
  const lines = text.split(/\r\n|\n|\r/, HEADER_SEARCH_ROWS);
  let best = { delimiter: ',', score: -1 };
  for (const delimiter of [',', ';', '\t']) {
    for (const line of lines) {
      const parts = line.split(delimiter);
      const score = parts.filter((p) => fieldOf(p.replace(/^"|"$/g, '')) !== null).length * 1000 + parts.length;
      if (score > best.score) best = { delimiter, score };
    }
  }
  return best.delimiter;
}

const isBlankRow = (cells: string[]) => cells.every((c) => c.trim() === '');

function empty(format: BroadbandFormat, issues: ImportIssue[]): RawBroadbandTable {
  return { format, records: [], present: new Set(), label: (_r, f) => BROADBAND_COLUMNS[f], issues };
}
