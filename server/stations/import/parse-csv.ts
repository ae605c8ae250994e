import { parse, type CsvError } from 'csv-parse/sync';
import { matchHeader } from './columns';
import { decodeText } from './decode-text';
import { fileError, rowError } from './issues';
import { hasMoreRecordsThan } from './count-records';
import { HEADER_SEARCH_ROWS, TableBuilder, type RawTable } from './table';

/** Longest row accepted, in characters: far above any real row, low enough to catch an open quote. */
const MAX_ROW_CHARS = 1_000_000;
const DELIMITERS = [',', ';', '\t'] as const;
/** Lines looked at to choose the delimiter: a title row may stand above the header. */
const SNIFF_LINES = 10;
/** Thrown from a record callback to end the reading early. */
const STOP = new Error('stop reading');

export interface ParseCsvOptions {
  maxRows: number;
}

/**
 * Station CSV: comma, semicolon or tab (chosen from the first lines), UTF-8 with or without BOM
 * or UTF-16 with BOM, header found in the first rows. Rows are numbered as a spreadsheet shows
 * them: the first line is row 1, and a quoted cell spanning lines is still one row.
 */
export function parseCsv(data: Uint8Array, options: ParseCsvOptions): RawTable {
  const builder = new TableBuilder({ maxRows: options.maxRows, extraCells: 'error' });
  const decoded = decodeText(data);
  if (!decoded.ok) return failed(builder, decoded.issue.message);
  // Excel writes and honours a first line "sep=;" naming the delimiter, and does not show it.
  const sep = decoded.text.match(/^sep=([,;\t|])\r?\n/);
  const text = sep ? decoded.text.slice(sep[0].length) : decoded.text;
  const delimiter = sep ? sep[1] : detectDelimiter(text);
  // Past the limit even if the first rows were all above the header: refused without parsing.
  if (hasMoreRecordsThan(text, delimiter, options.maxRows + HEADER_SEARCH_ROWS)) return builder.refuseTooMany();
  return parseCsvText(text, builder, delimiter);
}

/** Also used by the OpenCelliD parser, which knows its delimiter. */
export function parseCsvText(text: string, builder: TableBuilder, delimiter: string): RawTable {
  let row = 0;
  // csv-parse builds an error, stack trace included, for every row shorter or longer than the
  // first; the stack is never read here and costs three quarters of the time on such files.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    parse(text, {
      delimiter,
      bom: true,
      relax_column_count: true,
      // Keeps 21°19'12"N and stray quotes in unquoted cells as text.
      relax_quotes: true,
      skip_records_with_error: true,
      max_record_size: MAX_ROW_CHARS,
      on_skip: (err: CsvError | undefined) => {
        row++;
        builder.issues.push(rowError(row, null, csvProblem(err)));
      },
      on_record: (record: string[]) => {
        row++;
        // Past the row limit (or no header in the first rows) the rest is not read at all: a
        // file of millions of rows is refused in the time its first 100,000 take.
        if (!builder.push(row, record)) throw STOP;
        return null;
      },
    });
  } catch (err) {
    if (err === STOP) return builder.finish();
    builder.issues.push(fileError(`the file could not be read as CSV: ${(err as Error).message.slice(0, 200)}`));
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
  return builder.finish();
}

function csvProblem(err: CsvError | undefined): string {
  switch (err?.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'a quote opened in this row is never closed; the rest of the file was not read';
    case 'CSV_MAX_RECORD_SIZE':
      return `this row is longer than ${MAX_ROW_CHARS} characters; is a quote left open? The rest of the file was not read`;
    default:
      return `this row could not be read as CSV: ${err?.message.slice(0, 200) ?? 'unknown problem'}`;
  }
}

/**
 * The delimiter under which one of the first lines reads as a header (most station columns
 * recognised); failing that, the one that occurs most often in a line. Counting alone would take
 * the decimal commas of a semicolon file for its delimiter.
 */
export function detectDelimiter(text: string): string {
  const lines = text.slice(0, 64 * 1024).split(/\r\n|\n|\r/, SNIFF_LINES);
  let byHeader = { delimiter: '', fields: 1 };
  let byCount = { delimiter: ',', count: 0 };
  for (const delimiter of DELIMITERS) {
    for (const line of lines) {
      const fields = new Set(splitOutsideQuotes(line, delimiter).map(fieldOf).filter((f) => f !== null)).size;
      if (fields > byHeader.fields) byHeader = { delimiter, fields };
      const count = countOutsideQuotes(line, delimiter);
      if (count > byCount.count) byCount = { delimiter, count };
    }
  }
  return byHeader.delimiter || byCount.delimiter;
}

function fieldOf(header: string): string | null {
  const match = matchHeader(header.replace(/^"|"$/g, ''));
  return match.kind === 'field' || match.kind === 'bad-unit' ? match.field : null;
}

function splitOutsideQuotes(line: string, char: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"') quoted = !quoted;
    else if (line[i] === char && !quoted) {
      parts.push(line.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(line.slice(start));
  return parts;
}

function countOutsideQuotes(line: string, char: string): number {
  let count = 0;
  let quoted = false;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (c === char && !quoted) count++;
  }
  return count;
}

function failed(builder: TableBuilder, message: string): RawTable {
  const table = builder.finish();
  return { ...table, issues: [fileError(message)] };
}
