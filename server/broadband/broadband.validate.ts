import { fileError, quote, rowError, rowWarning, type ImportIssue } from '../stations/import/issues';
import { BroadbandRowSchema, EARLIEST_BROADBAND_DATE, MAX_HOUSEHOLDS_PER_ROW, type BroadbandRow } from './broadband.schema';
import { BROADBAND_COLUMNS, REQUIRED_BROADBAND_FIELDS, normalizeName, type BroadbandField, type RawBroadbandTable } from './broadband.parse';

export interface BroadbandCommune {
  name: string;
  fullName: string;
  /** Estimated households (README "Households: how they are estimated"); null when unknown. */
  households: number | null;
}

export interface BroadbandValidationContext {
  communes: ReadonlyMap<string, BroadbandCommune>;
  operators: ReadonlyArray<{ code: string; name: string }>;
  /** The operator the token or `?operator=` fixes; null for an admin whose file has an operator column. */
  uploader: string | null;
  /** Whether the uploader is an operator token (its rows must all be its own). */
  uploaderIsOperator: boolean;
  /** YYYY-MM-DD: figures dated later are refused. */
  today: string;
}

/**
 * Checks every row of an uploaded broadband table and returns the rows ready to write, or the
 * problems with their row and column. Never throws; any error means nothing may be written.
 */
export function validateBroadband(table: RawBroadbandTable, ctx: BroadbandValidationContext): { rows: BroadbandRow[]; issues: ImportIssue[] } {
  const issues = [...table.issues];
  if (table.records.length === 0) return { rows: [], issues };
  if (table.format === 'csv') {
    for (const field of REQUIRED_BROADBAND_FIELDS) {
      if (!table.present.has(field)) issues.push(fileError(`required column "${BROADBAND_COLUMNS[field]}" is missing`, BROADBAND_COLUMNS[field]));
    }
  }
  if (!table.present.has('operator') && !ctx.uploader) {
    issues.push(fileError('no operator: add an "operator" column, or name it with ?operator= (an operator\'s token names its own)', 'operator'));
  }
  if (issues.some((i) => i.severity === 'error' && i.row === null)) return { rows: [], issues };

  const operatorByName = new Map<string, string>();
  for (const o of ctx.operators) {
    operatorByName.set(normalizeName(o.code), o.code);
    operatorByName.set(normalizeName(o.name), o.code);
    for (const word of normalizeName(o.name).split('_')) if (word.length > 3 && !operatorByName.has(word)) operatorByName.set(word, o.code);
  }
  const rows: BroadbandRow[] = [];
  const seen = new Map<string, number>();
  for (const record of table.records) {
    const at = (field: BroadbandField) => table.label(record.row, field);
    const errors: ImportIssue[] = [];
    const error = (field: BroadbandField, message: string) => errors.push(rowError(record.row, at(field), message));
    const v = record.values;

    const code = communeCode(v.communeCode);
    const commune = code ? ctx.communes.get(code) : undefined;
    if (isBlank(v.communeCode)) error('communeCode', 'the commune code is missing');
    else if (!code) error('communeCode', `${quote(v.communeCode)} is not a commune code (5 digits, e.g. 07900)`);
    else if (!commune) error('communeCode', `no commune with code ${code} in this database`);
    if (commune && !isBlank(v.communeName) && !sameName(String(v.communeName), commune)) {
      issues.push(rowWarning(record.row, at('communeName'), `${quote(v.communeName)} is not the name of commune ${code} (${commune.fullName}); is the code right?`));
    }

    let operator = ctx.uploader;
    if (!isBlank(v.operator)) {
      const named = operatorByName.get(normalizeName(String(v.operator)));
      if (!named) error('operator', `unknown operator ${quote(v.operator)}; known: ${ctx.operators.map((o) => o.code).join(', ')}`);
      else if (ctx.uploader && named !== ctx.uploader) {
        error('operator', ctx.uploaderIsOperator ? `this token uploads only ${ctx.uploader}'s figures, not ${named}'s` : `the upload names operator ${ctx.uploader}, this row ${named}`);
      } else operator = named;
    } else if (!operator) error('operator', 'the operator is missing');

    const asOf = isoDate(v.asOf);
    if (isBlank(v.asOf)) error('asOf', 'the date is missing');
    else if (!asOf) error('asOf', `${quote(v.asOf)} is not a date: write YYYY-MM-DD (or DD/MM/YYYY)`);
    else if (asOf < EARLIEST_BROADBAND_DATE || asOf > ctx.today) error('asOf', `${asOf} is ${asOf > ctx.today ? 'in the future' : `before ${EARLIEST_BROADBAND_DATE}`}`);

    const passed = count(v.householdsPassed, true);
    const subscriptions = count(v.subscriptions, true);
    const ports = count(v.ports, false);
    if (typeof passed === 'string') error('householdsPassed', passed);
    if (typeof subscriptions === 'string') error('subscriptions', subscriptions);
    if (typeof ports === 'string') error('ports', ports);
    if (typeof passed === 'number' && typeof subscriptions === 'number') {
      if (subscriptions > passed) error('subscriptions', `${subscriptions} subscriptions but only ${passed} households passed: a household subscribes where the fiber passes`);
      const households = commune?.households;
      if (households && passed > households) {
        issues.push(rowWarning(record.row, at('householdsPassed'), `${passed} households passed, more than the ${households} households estimated for ${commune!.name}: the derived % is capped at 100 and flagged`));
      }
      if (typeof ports === 'number' && ports < subscriptions) {
        issues.push(rowWarning(record.row, at('ports'), `${ports} ports for ${subscriptions} subscriptions: each subscription needs a port`));
      }
    }

    if (code && operator && asOf) {
      const key = `${code}|${operator}|${asOf}`;
      const earlier = seen.get(key);
      if (earlier !== undefined) error('asOf', `commune ${code}, ${operator}, ${asOf} is already given by ${table.format === 'csv' ? 'row' : 'index'} ${earlier}`);
      else seen.set(key, record.row);
    }
    if (errors.length) {
      issues.push(...errors);
      continue;
    }
    const parsed = BroadbandRowSchema.safeParse({ row: record.row, communeCode: code, operator, asOf, householdsPassed: passed, subscriptions, ports });
    if (parsed.success) rows.push(parsed.data);
    else for (const i of parsed.error.issues) issues.push(rowError(record.row, at((i.path[0] as BroadbandField) ?? 'communeCode'), i.message));
  }
  return { rows: issues.some((i) => i.severity === 'error') ? [] : rows, issues };
}

const isBlank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');

/** Spreadsheets drop leading zeros: `4792` is commune 04792. */
function communeCode(v: unknown): string | null {
  const s = typeof v === 'number' && Number.isInteger(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
  return /^[0-9]{1,5}$/.test(s) ? s.padStart(5, '0') : null;
}

/**
 * A count of households or ports: a whole number ≥ 0. Thousands may be grouped with `.`, `,` or a
 * space (`12.345` is twelve thousand: a count has no decimals, and Vietnamese groups with dots).
 */
export function count(v: unknown, required: boolean): number | null | string {
  if (isBlank(v)) return required ? 'the value is missing' : null;
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'string') {
    const s = v.trim().replace(/\u00a0/g, ' ');
    if (/^[0-9]+$/.test(s)) n = Number(s);
    else if (/^[0-9]{1,3}([., ][0-9]{3})+$/.test(s) && new Set(s.replace(/[0-9]/g, '')).size === 1) n = Number(s.replace(/[., ]/g, ''));
    else return `${quote(v)} is not a whole number of households`;
  } else return `${quote(v)} is not a number`;
  if (!Number.isInteger(n)) return `${n} is not a whole number`;
  if (n < 0) return `${n} is negative`;
  if (n > MAX_HOUSEHOLDS_PER_ROW) return `${n} is more than any commune has (at most ${MAX_HOUSEHOLDS_PER_ROW})`;
  return n;
}

/** YYYY-MM-DD, or DD/MM/YYYY (also with - or .), a real calendar day. */
export function isoDate(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  const s = v.trim();
  let y: number, m: number, d: number;
  let match = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (match) [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else if ((match = /^([0-9]{1,2})[/.-]([0-9]{1,2})[/.-]([0-9]{4})$/.exec(s))) [d, m, y] = [Number(match[1]), Number(match[2]), Number(match[3])];
  else return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

function sameName(given: string, commune: BroadbandCommune): boolean {
  const bare = (s: string) => normalizeName(s).replace(/^(xa|phuong|dac_khu|thi_tran)_/, '');
  const g = bare(given);
  return g === bare(commune.name) || g === bare(commune.fullName);
}
