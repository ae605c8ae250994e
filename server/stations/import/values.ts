import type { StationStatus, Technology } from '../stations.schema';
import { normalizeHeader } from './columns';
import { quote } from './issues';
import { cellText, type RawValue } from './table';

/** A cell read as a value; `message` says what is wrong with it in words a person understands. */
export type Read<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Read<T> => ({ ok: true, value });
const bad = (message: string): Read<never> => ({ ok: false, message });

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
/** How nearly every cell of a machine-written file looks; read directly, it gives what the long way gives. */
const PLAIN_DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/**
 * Reads a number written by a person: decimal comma or point, thousands separators (`1 800`,
 * `1.800,5`), and an optional unit from `units` (factor to the column's unit); `scale` applies
 * when the cell has no unit (the header's unit). A lone comma is a decimal comma, because
 * Vietnamese spreadsheets write 105,40 for 105.40.
 */
export function readNumber(value: RawValue, what: string, units: Record<string, number> = {}, scale = 1): Read<number> {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? ok(value * scale) : bad(`${what} ${quote(value)} is not a number`);
  }
  if (typeof value === 'string' && PLAIN_DECIMAL.test(value)) return ok(Number(value) * scale);
  if (typeof value === 'boolean' || value instanceof Date) return bad(`${what} ${quote(cellText(value))} is not a number`);
  const text = cellText(value).replace(/[\s\u00a0\u202f]+/g, '');
  const match = text.match(/^(.*?\d\.?)([a-zA-Z°]*)$/);
  const unit = match?.[2].toLowerCase() ?? '';
  if (match && unit && !(unit in units)) {
    const accepted = Object.keys(units);
    return bad(`${what} ${quote(value)}: unit ${quote(match[2])} is not accepted${accepted.length ? `; use ${accepted.join(' or ')}` : ''}`);
  }
  const digits = normalizeSeparators(match ? match[1] : text);
  const number = Number(digits);
  if (!NUMBER.test(digits) || !Number.isFinite(number)) return bad(`${what} ${quote(value)} is not a number`);
  return ok(number * (unit ? units[unit] : scale));
}

/** Turns `1.800,5`, `1,800.5`, `105,40` into `1800.5`, `1800.5`, `105.40`; leaves nonsense as is to fail. */
function normalizeSeparators(text: string): string {
  const lastComma = text.lastIndexOf(',');
  const lastDot = text.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    const decimal = lastComma > lastDot ? ',' : '.';
    const cut = Math.max(lastComma, lastDot);
    const whole = ungroup(text.slice(0, cut), decimal === ',' ? '.' : ',');
    return whole === null ? text : `${whole}.${text.slice(cut + 1)}`;
  }
  const separator = lastComma >= 0 ? ',' : '.';
  const count = text.split(separator).length - 1;
  if (count === 1 && separator === ',') return text.replace(',', '.');
  if (count > 1) return ungroup(text, separator) ?? text;
  return text;
}

/** `1.234.567` → `1234567` when the groups are of three digits, else null. */
function ungroup(text: string, separator: string): string | null {
  const groups = text.split(separator);
  const ok = /^[+-]?\d{1,3}$/.test(groups[0]) && groups.slice(1).every((g) => /^\d{3}$/.test(g));
  return ok ? groups.join('') : groups.length === 1 ? text : null;
}

const DMS = /^(\d{1,3})\s*[°º]\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*['′’]\s*)?(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:"|″|”|''))?\s*([NSEWBĐT])?$/i;

/** Decimal degrees, or degrees-minutes-seconds as surveyors write them (21°19'12" B, 105°24'E). */
export function readDegrees(value: RawValue, what: string): Read<number> {
  if (typeof value === 'string' && PLAIN_DECIMAL.test(value)) return ok(Number(value));
  if (typeof value === 'string') {
    const dms = value.trim().match(DMS);
    if (dms) {
      const [, d, m = '0', s = '0', hemisphere = ''] = dms;
      const degrees = Number(d) + Number(m.replace(',', '.')) / 60 + Number(s.replace(',', '.')) / 3600;
      return ok(/^[SWT]$/i.test(hemisphere) ? -degrees : degrees);
    }
  }
  return readNumber(value, what, { '°': 1 });
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;
const YEARS = { min: 1990, max: 2100 } as const;

/**
 * A date as YYYY-MM-DD from YYYY-MM-DD, DD/MM/YYYY (also with - or .), YYYYMMDD, an Excel date
 * cell, or an Excel day number that lost its date format. Day first, as Vietnamese write dates.
 */
export function readDate(value: RawValue, what: string): Read<string> {
  if (value instanceof Date) return checkDate(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate(), what, value);
  if (typeof value === 'number') return fromExcelSerial(value, what);
  const text = cellText(value);
  let m = text.match(/^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s].*)?$/);
  if (m) return checkDate(+m[1], +m[2], +m[3], what, value);
  m = text.match(/^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})(?:\s.*)?$/);
  if (m) {
    if (m[3].length === 2) return bad(`${what} ${quote(value)}: write the year with four digits`);
    if (+m[1] <= 12 && +m[2] > 12) return bad(`${what} ${quote(value)} looks like month/day; write DD/MM/YYYY or YYYY-MM-DD`);
    return checkDate(+m[3], +m[2], +m[1], what, value);
  }
  m = text.match(/^(\d{4})(\d{2})(\d{2})$/);
  if (m) return checkDate(+m[1], +m[2], +m[3], what, value);
  if (/^\d{5}(\.\d+)?$/.test(text)) return fromExcelSerial(Number(text), what);
  return bad(`${what} ${quote(value)} is not a date; use YYYY-MM-DD or DD/MM/YYYY`);
}

function fromExcelSerial(serial: number, what: string): Read<string> {
  if (!Number.isFinite(serial)) return bad(`${what} ${quote(serial)} is not a date`);
  const date = new Date(EXCEL_EPOCH_MS + Math.floor(serial) * DAY_MS);
  return checkDate(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), what, serial);
}

function checkDate(year: number, month: number, day: number, what: string, original: RawValue): Read<string> {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return bad(`${what} ${quote(cellText(original))} is not a real calendar day`);
  }
  if (year < YEARS.min || year > YEARS.max) {
    return bad(`${what} ${quote(cellText(original))} is implausible; expected a year from ${YEARS.min} to ${YEARS.max}`);
  }
  return ok(`${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
}

const TECHNOLOGY_SPELLINGS: Record<string, Technology> = {
  '2G': '2G', GSM: '2G', GPRS: '2G', EDGE: '2G', '2': '2G',
  '3G': '3G', UMTS: '3G', WCDMA: '3G', HSPA: '3G', HSDPA: '3G', '3': '3G',
  '4G': '4G', LTE: '4G', LTEA: '4G', LTEADVANCED: '4G', '4GLTE': '4G', EUTRA: '4G', EUTRAN: '4G', '4': '4G',
  '5G': '5G', NR: '5G', '5GNR': '5G', NRSA: '5G', NRNSA: '5G', '5GSA': '5G', '5GNSA': '5G', '5': '5G',
};

export function readTechnology(value: RawValue): Read<Technology> {
  const key = cellText(value).toUpperCase().replace(/[^A-Z0-9]/g, '');
  const technology = TECHNOLOGY_SPELLINGS[key];
  return technology
    ? ok(technology)
    : bad(`technology ${quote(value)} is not known; use 2G, 3G, 4G or 5G (GSM, UMTS/WCDMA, LTE and NR are accepted too)`);
}

/** 3GPP band numbers as operators' planning tools export them, to the nominal band in MHz. */
const BAND_NUMBERS_MHZ: Record<string, number> = {
  b1: 2100, b3: 1800, b7: 2600, b8: 900, b28: 700, b38: 2600, b40: 2300, b41: 2600,
  n1: 2100, n3: 1800, n7: 2600, n8: 900, n28: 700, n40: 2300, n41: 2600, n77: 3700, n78: 3500, n258: 26000,
};

/** Band in MHz: `1800`, `1800 MHz`, `1.8 GHz`, `B3`, `band 3`, `n78`. `scale` comes from the header's unit. */
export function readBand(value: RawValue, scale = 1): Read<number> {
  const key = cellText(value).toLowerCase().replace(/\s+/g, '').replace(/^band/, 'b');
  if (BAND_NUMBERS_MHZ[key]) return ok(BAND_NUMBERS_MHZ[key]);
  const read = readNumber(value, 'band', { mhz: 1, ghz: 1000 }, scale);
  // 1.8 GHz × 1000 is 1800.0000000000002.
  return read.ok ? ok(Math.round(read.value * 1000) / 1000) : read;
}

const STATUS_WORDS: Record<StationStatus, string[]> = {
  active: [
    'active', 'on air', 'onair', 'live', 'in service', 'operational', 'operating',
    'hoat dong', 'dang hoat dong', 'phat song', 'dang phat song', 'da phat song',
  ],
  planned: [
    'planned', 'plan', 'planning', 'proposed', 'under construction',
    'ke hoach', 'theo ke hoach', 'quy hoach', 'du kien', 'chua phat song', 'dang xay dung', 'dang trien khai',
  ],
  decommissioned: [
    'decommissioned', 'decommission', 'off air', 'retired', 'removed', 'dismantled', 'inactive',
    'ngung', 'da ngung', 'ngung hoat dong', 'da ngung hoat dong', 'ngung phat song', 'da ngung phat song',
    'do bo', 'da do bo', 'thao do', 'da thao do', 'go bo',
  ],
};
/** Status words without diacritics (matched after normalizeHeader), English and Vietnamese. */
const STATUS_SPELLINGS: Record<string, StationStatus> = Object.fromEntries(
  (Object.keys(STATUS_WORDS) as StationStatus[]).flatMap((status) => STATUS_WORDS[status].map((word) => [word, status])),
);

export function readStatus(value: RawValue): Read<StationStatus> {
  const status = STATUS_SPELLINGS[normalizeHeader(cellText(value))];
  return status ? ok(status) : bad(`status ${quote(value)} is not known; use planned, active or decommissioned`);
}

/** Other names people give the operators, after lower-casing and dropping everything but a–z0–9. */
const OPERATOR_SPELLINGS: Record<string, string> = {
  vinaphone: 'vnpt', vnptvinaphone: 'vnpt', vnp: 'vnpt',
  vietteltelecom: 'viettel', vtl: 'viettel',
  mobi: 'mobifone', vms: 'mobifone', vmsmobifone: 'mobifone',
  vietnammobile: 'vietnamobile', vnmobile: 'vietnamobile', vnm: 'vietnamobile',
  gtel: 'gmobile', beeline: 'gmobile',
};

export function readOperator(value: RawValue, knownOperators: readonly string[]): Read<string> {
  const compact = normalizeHeader(cellText(value)).replace(/[^a-z0-9]/g, '');
  const known = knownOperators.find((code) => code.toLowerCase().replace(/[^a-z0-9]/g, '') === compact);
  if (known) return ok(known);
  const alias = OPERATOR_SPELLINGS[compact];
  if (alias && knownOperators.includes(alias)) return ok(alias);
  return bad(`operator ${quote(value)} is not known; known operators: ${knownOperators.join(', ')}`);
}

// Line breaks and tabs inside a cell (Alt+Enter in Excel) become spaces; other control bytes are refused.
const OTHER_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Free text such as a site code or a name, trimmed, its white space runs collapsed. */
export function readText(value: RawValue, what: string, maxLength: number): Read<string> {
  const raw = typeof value === 'number' && Number.isInteger(value) ? value.toFixed(0) : cellText(value);
  if (OTHER_CONTROL.test(raw) || LONE_SURROGATE.test(raw)) return bad(`${what} contains control characters; remove them`);
  const text = raw.replace(/\s+/g, ' ').trim();
  if (text.length > maxLength) return bad(`${what} is ${text.length} characters long; at most ${maxLength} are allowed`);
  return ok(text);
}

