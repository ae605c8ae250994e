import { MAX_IMPORT_ROWS, type StationFormat } from '../stations.schema';
import { detectFormat } from './detect-format';
import { fileError, type ImportIssue, type ParsedFile } from './issues';
import { parseCsv } from './parse-csv';
import { parseGeojson } from './parse-geojson';
import { parseOpencellid } from './parse-opencellid';
import { parseXlsx } from './parse-xlsx';
import type { RawTable } from './table';
import { validateTable } from './validate';

export type { StationFormat, RadioRow } from '../stations.schema';
export type { ImportIssue, ParsedFile } from './issues';
export { mergeIssues, sortIssues } from './issues';
export { validateLocations, FAR_FROM_PROVINCE_KM, LOCATE_BATCH_SHARED, type PointLocator } from './validate-locations';
export { VIETNAM_BANDS_MHZ } from '../stations.schema';
export { HEADER_ALIASES } from './columns';

export interface ParseStationFileOptions {
  /** Declared format; detected from the content, file name and content type when absent. */
  format?: StationFormat;
  filename?: string;
  contentType?: string;
  /** The uploader's operator; null or undefined for an admin, whose file then needs an `operator` column. */
  operator?: string | null;
  knownOperators: string[];
  /** Data rows accepted at most (default 100,000). */
  maxRows?: number;
}

/**
 * Parses and validates an uploaded station file without touching the database. Never throws on
 * bad input: every problem, down to a file that is not a station list at all, is an issue. Rows
 * come back only when they have no error; any error in `issues` means the file must not be written.
 * Spatial checks need the database: call `validateLocations` on the rows afterwards.
 */
export async function parseStationFile(data: Buffer, options: ParseStationFileOptions): Promise<ParsedFile> {
  const detected = detectFormat(data, options);
  const fallbackFormat: StationFormat = options.format ?? 'csv';
  if (!detected.ok) return { format: fallbackFormat, rows: [], issues: [detected.issue] };
  const format = detected.format;
  const maxRows = options.maxRows ?? MAX_IMPORT_ROWS;
  try {
    const table = await parseByFormat(data, format, maxRows);
    const { rows, issues } = validateTable(table, { operator: options.operator ?? null, knownOperators: options.knownOperators });
    return { format, rows, issues };
  } catch (err) {
    // The parsers report problems as issues; reaching here is a bug, reported rather than thrown.
    const issue: ImportIssue = fileError(`the file could not be read (${String((err as Error)?.message ?? err).slice(0, 120)})`);
    return { format, rows: [], issues: [issue] };
  }
}

function parseByFormat(data: Buffer, format: StationFormat, maxRows: number): Promise<RawTable> | RawTable {
  switch (format) {
    case 'csv':
      return parseCsv(data, { maxRows });
    case 'xlsx':
      return parseXlsx(data, { maxRows });
    case 'opencellid':
      return parseOpencellid(data, { maxRows });
    case 'geojson':
      return parseGeojson(data, { maxRows });
  }
}
