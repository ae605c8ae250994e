import { HEADER_ALIASES, REQUIRED_FIELDS, matchHeader, type Field } from './columns';
import { fileError, fileWarning, quote, rowError, rowWarning, type ImportIssue } from './issues';

/** The one message for a file over the row limit, naming the limit. */
export const tooManyRows = (maxRows: number) => `the file has more than ${maxRows} data rows; split it into smaller files`;

/** A cell the parser could not turn into a value (an Excel error, a formula without result). */
export class CellProblem {
  constructor(readonly message: string) {}
}

/** A cell as a parser hands it over: text from csv, typed values from xlsx and geojson. */
export type RawValue = string | number | boolean | Date | CellProblem | null;

export interface RawRecord {
  /** Row as a person sees it (geojson: feature index). */
  row: number;
  values: Partial<Record<Field, RawValue>>;
}

/** What every parser produces and the validator consumes. */
export interface RawTable {
  records: RawRecord[];
  /** Columns present in the file. */
  present: ReadonlySet<Field>;
  /** Factor from the unit in the header to the column's unit (radius in km: 1000). */
  scales: Partial<Record<Field, number>>;
  /** What `row` counts, for messages that point at another row. */
  rowWord?: 'row' | 'feature';
  /** How to name a column of a row in a message: the header as written, or a GeoJSON path. */
  label(row: number, field: Field): string;
  issues: ImportIssue[];
}

/** Rows above the header that may hold a title ("DANH SÁCH TRẠM BTS …") before the header. */
export const HEADER_SEARCH_ROWS = 10;

interface ColumnSlot {
  field: Field | null;
  header: string;
}

/**
 * Builds a RawTable from rows pushed one at a time (csv and xlsx), so a 100,000-row file never
 * exists twice in memory. The header is the first of the first rows that names at least three
 * station columns, or both coordinates.
 */
export class TableBuilder {
  readonly issues: ImportIssue[] = [];
  private readonly records: RawRecord[] = [];
  private readonly pending: Array<{ row: number; cells: RawValue[] }> = [];
  private slots: ColumnSlot[] | null = null;
  private readonly labels = new Map<Field, string>();
  private readonly scales: Partial<Record<Field, number>> = {};
  private extraWarned = false;
  private tooMany = false;
  private dataRows = 0;

  constructor(private readonly options: { maxRows: number; extraCells: 'error' | 'warning' }) {}

  /** Adds one row; false once the file has more data rows than allowed and reading should stop. */
  push(row: number, cells: RawValue[]): boolean {
    if (cells.every(isBlank)) return true;
    if (!this.slots) {
      this.pending.push({ row, cells });
      if (looksLikeHeader(cells)) this.takeHeader();
      return this.slots !== null || this.pending.length < HEADER_SEARCH_ROWS;
    }
    if (this.dataRows >= this.options.maxRows) {
      this.tooMany = true;
      return false;
    }
    this.dataRows++;
    const values: Partial<Record<Field, RawValue>> = {};
    const slots = this.slots;
    for (let i = 0; i < cells.length && i < slots.length; i++) {
      const field = slots[i].field;
      if (field) values[field] = cells[i];
    }
    if (cells.length > slots.length && !this.reportExtra(row, cells, slots.length)) return true;
    this.records.push({ row, values });
    return true;
  }

  /** The file was found to hold more data rows than allowed before they were read. */
  refuseTooMany(): RawTable {
    this.tooMany = true;
    return this.finish();
  }

  finish(): RawTable {
    if (this.tooMany) {
      // The one thing to fix first; problems in the rows read so far would only distract.
      this.issues.splice(0, this.issues.length, fileError(tooManyRows(this.options.maxRows)));
    } else if (!this.slots) {
      this.issues.unshift(
        fileError(
          this.pending.length === 0
            ? 'the file has no rows'
            : 'no header row found: the first row should name the columns, e.g. site_code, lon, lat, technology, band_mhz (or mã trạm, kinh độ, vĩ độ, công nghệ, băng tần)',
        ),
      );
    } else if (this.dataRows === 0) {
      this.issues.unshift(fileError('the file has a header but no data rows'));
    }
    const labels = this.labels;
    return {
      records: this.tooMany ? [] : this.records,
      present: new Set(labels.keys()),
      scales: this.scales,
      label: (_row, field) => labels.get(field) ?? field,
      issues: this.issues,
    };
  }

  private takeHeader(): void {
    const header = this.pending.pop()!;
    if (this.pending.length > 0) {
      this.issues.push(fileWarning(`rows above the header (row ${header.row}) were ignored`));
    }
    this.pending.length = 0;
    this.slots = header.cells.map((cell) => this.slot(cellText(cell)));
    for (const field of REQUIRED_FIELDS) {
      if (!this.labels.has(field)) {
        const also = HEADER_ALIASES[field].filter((a) => a !== field).slice(0, 3).join(', ');
        this.issues.push(fileError(`required column "${field}" is missing (also accepted: ${also})`, field));
      }
    }
  }

  private slot(header: string): ColumnSlot {
    const match = matchHeader(header);
    if (match.kind === 'unknown') {
      this.issues.push(fileWarning(`column ${quote(header)} is not a station column and was ignored`, header));
    } else if (match.kind === 'bad-unit') {
      this.issues.push(fileError(`column ${quote(header)}: unit ${quote(match.unit)} is not accepted for ${match.field}`, header));
    } else if (match.kind === 'field') {
      const earlier = this.labels.get(match.field);
      if (earlier !== undefined) {
        this.issues.push(fileError(`columns ${quote(earlier)} and ${quote(header)} both give ${match.field}; keep one`, header));
        return { field: null, header };
      }
      this.labels.set(match.field, header);
      if (match.scale !== 1) this.scales[match.field] = match.scale;
      return { field: match.field, header };
    }
    return { field: null, header };
  }

  /**
   * A CSV row longer than its header has shifted columns (an unquoted decimal comma, a stray
   * delimiter): an error. In a workbook, a value beside the table is only ignored.
   */
  /** Returns whether the row's values may still be read. */
  private reportExtra(row: number, cells: RawValue[], width: number): boolean {
    if (this.options.extraCells === 'error') {
      // Its values no longer sit under their headers: reading them would only add confusing errors.
      this.issues.push(
        rowError(row, null, `row has ${cells.length} values but the header has ${width} columns; is a decimal comma or a delimiter unquoted?`),
      );
      return false;
    }
    const index = cells.findIndex((cell, i) => i >= width && !isBlank(cell));
    if (index >= 0 && !this.extraWarned) {
      this.extraWarned = true;
      this.issues.push(rowWarning(row, `column ${index + 1}`, `values in columns without a header were ignored (first: ${quote(cells[index])})`));
    }
    return true;
  }
}

function looksLikeHeader(cells: RawValue[]): boolean {
  const fields = new Set<Field>();
  for (const cell of cells) {
    const match = matchHeader(cellText(cell));
    if (match.kind === 'field' || match.kind === 'bad-unit') fields.add(match.field);
  }
  return fields.size >= 3 || (fields.has('lon') && fields.has('lat'));
}

export function cellText(value: RawValue): string {
  if (value === null || value instanceof CellProblem) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  return String(value).trim();
}

export function isBlank(value: RawValue | undefined): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

