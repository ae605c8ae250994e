import { parse } from 'csv-parse/sync';
import { VIETNAM_BOUNDS, type Technology } from '../stations.schema';
import type { Field } from './columns';
import { hasMoreRecordsThan } from './count-records';
import { decodeText } from './decode-text';
import { fileError, fileWarning, quote, rowError, type ImportIssue } from './issues';
import { groupCellsIntoSites, type Cell } from './opencellid-sites';
import { tooManyRows, type RawTable } from './table';

/** Column order of OpenCelliD exports (mozilla/ichnaea docs/import_export.rst). */
export const OPENCELLID_COLUMNS = [
  'radio', 'mcc', 'net', 'area', 'cell', 'unit', 'lon', 'lat',
  'range', 'samples', 'changeable', 'created', 'updated', 'averageSignal',
] as const;
type Column = (typeof OPENCELLID_COLUMNS)[number];
const REQUIRED: readonly Column[] = ['radio', 'mcc', 'net', 'area', 'cell', 'lon', 'lat'];

export const MCC_VIETNAM = 452;

/** MNC under MCC 452 → operator code (the ITU's list of mobile network codes under Recommendation ITU-T E.212). */
export const MNC_OPERATORS: Readonly<Record<number, string>> = {
  1: 'mobifone',
  2: 'vnpt',
  4: 'viettel',
  5: 'vietnamobile',
  7: 'gmobile',
};

const RADIO_TECHNOLOGY: Readonly<Record<string, Technology>> = { GSM: '2G', UMTS: '3G', LTE: '4G', NR: '5G' };

/** Which column a field of a grouped site points at in messages. */
const FIELD_COLUMN: Partial<Record<Field, Column>> = {
  operator: 'net', site_code: 'cell', name: 'cell', lon: 'lon', lat: 'lat', technology: 'radio', band_mhz: 'radio',
};

export interface ParseOpencellidOptions {
  maxRows: number;
}

/**
 * OpenCelliD cells (with or without the header line; country downloads have none) grouped into
 * sites, one radio per site and technology; see opencellid-sites.ts for the grouping rule.
 * Cells outside MCC 452, of an unknown MNC, or positioned outside Vietnam are row errors.
 */
export function parseOpencellid(data: Uint8Array, options: ParseOpencellidOptions): RawTable {
  const issues: ImportIssue[] = [];
  const table: RawTable = {
    records: [],
    present: new Set<Field>(['operator', 'site_code', 'name', 'lon', 'lat', 'technology', 'band_mhz', 'status']),
    scales: {},
    label: (_row, field) => FIELD_COLUMN[field] ?? field,
    issues,
  };
  const fail = (message: string): RawTable => ({ ...table, issues: [fileError(message)] });
  const decoded = decodeText(data);
  if (!decoded.ok) return fail(decoded.issue.message);

  // One line a header at most: more records than that are refused before parsing.
  if (hasMoreRecordsThan(decoded.text, ',', options.maxRows + 1)) return fail(tooManyRows(options.maxRows));
  let rows: string[][];
  try {
    rows = parse(decoded.text, { delimiter: ',', relax_column_count: true, relax_quotes: true, trim: true });
  } catch (err) {
    return fail(`the file could not be read as OpenCelliD CSV: ${(err as Error).message.slice(0, 200)}`);
  }
  const blank = (r: string[]) => r.every((f) => f === '');
  if (rows.every(blank)) return fail('the file has no rows');
  const hasHeader = rows[0][0]?.toLowerCase() === 'radio';
  const index = columnIndex(hasHeader ? rows[0] : [...OPENCELLID_COLUMNS]);
  const missing = REQUIRED.filter((c) => index[c] === undefined);
  if (missing.length) {
    return fail(`not an OpenCelliD file: columns ${missing.join(', ')} are missing (expected ${OPENCELLID_COLUMNS.join(',')})`);
  }
  const firstData = hasHeader ? 1 : 0;
  let dataRows = 0;
  for (let i = firstData; i < rows.length; i++) if (!blank(rows[i])) dataRows++;
  if (dataRows === 0) return fail('the file has a header but no data rows');
  if (dataRows > options.maxRows) return fail(tooManyRows(options.maxRows));

  const cells: Cell[] = [];
  for (let i = firstData; i < rows.length; i++) {
    if (blank(rows[i])) continue;
    // Row as a spreadsheet shows it: the first line is row 1.
    const cell = readCell(rows[i], i + 1, index, issues);
    if (cell) cells.push(cell);
  }
  const { records, warnings } = groupCellsIntoSites(cells);
  table.records = records;
  issues.push(...warnings);
  if (records.length > 0) {
    issues.push(
      fileWarning(
        'OpenCelliD gives no frequency: bands are assumed (2G 900 MHz, 3G 2100, 4G 1800, 5G the operator’s auctioned band); azimuth, height and dates are left empty',
      ),
    );
  }
  return table;
}

function columnIndex(header: string[]): Partial<Record<Column, number>> {
  const index: Partial<Record<Column, number>> = {};
  header.forEach((name, i) => {
    const column = OPENCELLID_COLUMNS.find((c) => c.toLowerCase() === name.trim().toLowerCase());
    if (column && index[column] === undefined) index[column] = i;
  });
  return index;
}

function readCell(fields: string[], row: number, index: Partial<Record<Column, number>>, issues: ImportIssue[]): Cell | null {
  const get = (c: Column) => (index[c] === undefined ? '' : (fields[index[c]!] ?? ''));
  const before = issues.length;
  const fail = (column: Column, message: string) => void issues.push(rowError(row, column, message));
  const integer = (column: Column): number | null => {
    const text = get(column);
    const value = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
    if (Number.isSafeInteger(value)) return value;
    fail(column, text === '' ? `${column} is missing` : `${column} ${quote(text)} is not a whole number`);
    return null;
  };
  const decimal = (column: Column, optional: boolean): number | null => {
    const text = get(column);
    if (text === '' && optional) return null;
    const value = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? Number(text) : NaN;
    if (Number.isFinite(value)) return value;
    fail(column, text === '' ? `${column} is missing` : `${column} ${quote(text)} is not a number`);
    return null;
  };

  const radio = get('radio').toUpperCase();
  const technology = RADIO_TECHNOLOGY[radio];
  if (!technology) fail('radio', `radio ${quote(get('radio'))} is not used in Vietnam's networks; expected GSM, UMTS, LTE or NR`);
  const mcc = integer('mcc');
  if (mcc !== null && mcc !== MCC_VIETNAM) fail('mcc', `MCC ${mcc} is not Vietnam (${MCC_VIETNAM}); this file holds another country's cells`);
  const net = integer('net');
  const operator = net === null ? undefined : MNC_OPERATORS[net];
  if (net !== null && mcc === MCC_VIETNAM && !operator) {
    fail('net', `MNC ${String(net).padStart(2, '0')} is not a known operator (01 MobiFone, 02 VinaPhone, 04 Viettel, 05 Vietnamobile, 07 Gmobile)`);
  }
  const area = integer('area');
  const cellId = integer('cell');
  const lon = decimal('lon', false);
  const lat = decimal('lat', false);
  const rangeM = decimal('range', true);
  const samples = index.samples === undefined || get('samples') === '' ? null : integer('samples');
  if (lon !== null && lat !== null && !inVietnam(lon, lat)) {
    fail('lat', inVietnam(lat, lon) ? `lon ${lon} and lat ${lat} are swapped` : `position ${lon}, ${lat} is outside Vietnam`);
  }
  if (issues.length > before) return null;
  return { row, technology: technology!, operator: operator!, net: net!, area: area!, cell: cellId!, lon: lon!, lat: lat!, rangeM, samples };
}

function inVietnam(lon: number, lat: number): boolean {
  const b = VIETNAM_BOUNDS;
  return lon >= b.minLon && lon <= b.maxLon && lat >= b.minLat && lat <= b.maxLat;
}
