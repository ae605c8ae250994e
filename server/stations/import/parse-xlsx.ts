import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { fileError } from './issues';
import { checkWorkbookZip } from './xlsx-zip';
import { CellProblem, TableBuilder, type RawTable, type RawValue } from './table';
import { excelErrorMessage } from './validate-row';

export interface ParseXlsxOptions {
  maxRows: number;
}

/** A stream reader that has not finished by then is abandoned: an upload must not hang. */
const READ_TIMEOUT_MS = 120_000;

/**
 * The first worksheet of an .xlsx workbook, read as a stream (exceljs WorkbookReader: about a
 * quarter of the memory of loading the workbook). Formula cells give their cached result and are
 * never evaluated; rows are Excel's row numbers.
 */
export async function parseXlsx(data: Uint8Array, options: ParseXlsxOptions): Promise<RawTable> {
  const builder = new TableBuilder({ maxRows: options.maxRows, extraCells: 'warning' });
  const guard = checkWorkbookZip(data);
  if (guard) return failed(builder, guard);
  const input = Readable.from([Buffer.from(data.buffer, data.byteOffset, data.byteLength)]);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    // Styles tell a date cell from a number.
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  let sheets = 0;
  let reading = true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), READ_TIMEOUT_MS);
  });
  const read = async () => {
    // Read to the end even after the first sheet: exceljs parks sheets that come before the shared
    // strings in temporary files and deletes each only once it has been read through.
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet) {
        if (sheets > 1 || !reading) continue;
        const values = Array.isArray(row.values) ? row.values : [];
        const cells: RawValue[] = [];
        // row.values is 1-based and sparse: index 0 and missing cells are empty.
        for (let i = 1; i < values.length; i++) cells.push(toRawValue(values[i]));
        reading = builder.push(row.number, cells);
      }
    }
    return 'done' as const;
  };
  const work = read();
  // After a timeout the abandoned reader may still fail; that must not be an unhandled rejection.
  work.catch(() => undefined);
  try {
    if ((await Promise.race([work, timeout])) === 'timeout') {
      input.destroy();
      return failed(builder, 'the workbook could not be read in time; save it again from Excel or as CSV');
    }
  } catch (err) {
    return failed(builder, `the file is not a readable .xlsx workbook (${(err as Error).message.slice(0, 120)})`);
  } finally {
    clearTimeout(timer);
  }
  if (sheets === 0) return failed(builder, 'the workbook has no worksheet');
  return builder.finish();
}

/** A cell value from exceljs as a plain value, or the problem that keeps it from being one. */
function toRawValue(value: unknown): RawValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    const v = value as Record<string, unknown>;
    if ('error' in v) return new CellProblem(excelErrorMessage(String(v.error)));
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((part: { text?: unknown }) => String(part.text ?? '')).join('');
    if ('result' in v && v.result !== undefined) return toRawValue(v.result);
    if ('formula' in v || 'sharedFormula' in v) {
      // Never evaluated here; a file saved by Excel carries each formula's last result.
      const formula = String(v.formula ?? v.sharedFormula).slice(0, 40);
      return new CellProblem(`the cell holds the formula =${formula} without a saved result (or with an error); type the value`);
    }
    if ('text' in v) return toRawValue(v.text);
  }
  return String(value);
}

function failed(builder: TableBuilder, message: string): RawTable {
  const table = builder.finish();
  return { ...table, records: [], issues: [fileError(message)] };
}
