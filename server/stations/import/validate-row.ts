import {
  LIMITS,
  RadioRowSchema,
  VIETNAM_BANDS_MHZ,
  VIETNAM_BOUNDS,
  type RadioRow,
  type StationStatus,
  type Technology,
} from '../stations.schema';
import type { Field } from './columns';
import { rowError, rowWarning, type ImportIssue } from './issues';
import { CellProblem, isBlank, type RawRecord, type RawTable } from './table';
import {
  readBand,
  readDate,
  readDegrees,
  readNumber,
  readOperator,
  readStatus,
  readTechnology,
  readText,
  type Read,
} from './values';

export interface RowContext {
  table: RawTable;
  /** The uploader's operator; null for an admin, whose rows must name theirs. */
  operator: string | null;
  knownOperators: readonly string[];
}

/** Extra values only OpenCelliD carries. */
export interface RecordExtras {
  rangeHintM: number | null;
  samples: number | null;
}

export const excelErrorMessage = (error: string) =>
  `the cell shows the Excel error ${error}; fix the formula or type the value`;
/** What Excel writes in a cell whose formula failed, also into CSV exports. */
const EXCEL_ERROR = /^#(NULL!|DIV\/0!|VALUE!|REF!|NAME\?|NUM!|N\/A|SPILL!|CALC!|GETTING_DATA|FIELD!|BLOCKED!|CONNECT!|BUSY!|UNKNOWN!)$/;
const METRES = { m: 1 };
const RADIUS_UNITS = { m: 1, km: 1000 };
const DEGREES = { '°': 1, deg: 1 };
/** A radius this small is more likely kilometres typed into a metre column. */
const SUSPICIOUS_RADIUS_M = 50;

/**
 * Reads records into radios, reporting every problem of a row; a radio comes back only when the
 * row has no error. One instance per file: its caches and methods are shared by 100,000 rows.
 */
export class RowValidator {
  private row = 0;
  private issues: ImportIssue[] = [];
  private values: RawRecord['values'] = {};
  private broken = new Set<Field>();
  private readonly operators = new Map<string, Read<string>>();
  private readonly statuses = new Map<string, Read<StationStatus>>();

  constructor(private readonly ctx: RowContext) {}

  validate(record: RawRecord & { extras?: RecordExtras }): { radio: RadioRow | null; issues: ImportIssue[] } {
    this.row = record.row;
    this.issues = [];
    this.values = record.values;
    this.broken.clear();
    this.findCellProblems();
    const { scales } = this.ctx.table;

    const operator = this.readOperator();
    const siteCode = this.required('site_code', 'site code') && this.readText('site_code', 'site code', LIMITS.siteCodeLength);
    const name = isBlank(this.values.name) ? siteCode : this.readText('name', 'name', LIMITS.nameLength);
    const position = this.readPosition();
    const technology = this.required('technology', 'technology') && this.take('technology', readTechnology(this.values.technology!));
    const bandMhz = this.required('band_mhz', 'band') && this.take('band_mhz', readBand(this.values.band_mhz!, scales.band_mhz));
    if (technology && bandMhz !== undefined) {
      const problem = bandProblem(technology, bandMhz);
      if (problem) this.fail('band_mhz', problem);
    }
    const heightM = this.optionalNumber('height_m', 'height', METRES, heightProblem);
    const azimuthDeg = this.optionalNumber('azimuth_deg', 'azimuth', DEGREES, azimuthProblem);
    const beamwidthDeg = this.optionalNumber('beamwidth_deg', 'beamwidth', DEGREES, beamwidthProblem);
    const radiusM = this.optionalNumber('radius_m', 'radius', RADIUS_UNITS, radiusProblem);
    if (radiusM && radiusM < SUSPICIOUS_RADIUS_M) {
      this.warn('radius_m', `radius ${radiusM} m is very small; if it is in kilometres, write the header as "radius (km)"`);
    }
    const commissionedOn = this.optionalDate('commissioned_on', 'commissioning date');
    const decommissionedOn = this.optionalDate('decommissioned_on', 'decommissioning date');
    if (commissionedOn && decommissionedOn && decommissionedOn < commissionedOn) {
      this.fail('decommissioned_on', `decommissioned on ${decommissionedOn}, before it was commissioned on ${commissionedOn}`);
    }
    const status = this.readStatus(decommissionedOn ?? null);
    if (status === 'decommissioned' && decommissionedOn === null) {
      this.warn('decommissioned_on', 'status is decommissioned but the decommissioning date is empty');
    }

    const issues = this.issues;
    if (issues.some((i) => i.severity === 'error')) return { radio: null, issues };
    const candidate = {
      row: this.row, operator, siteCode, name, lon: position?.lon, lat: position?.lat, heightM, technology, bandMhz,
      azimuthDeg: azimuthDeg === 360 ? 0 : azimuthDeg, beamwidthDeg, radiusM, status, commissionedOn, decommissionedOn,
      ...record.extras,
    };
    // A guard: the readers above should make this always pass, and the property tests check it.
    const parsed = RadioRowSchema.safeParse(candidate);
    if (parsed.success) return { radio: parsed.data, issues };
    for (const problem of parsed.error.issues) {
      issues.push(rowError(this.row, String(problem.path[0] ?? ''), `value rejected: ${problem.message}`));
    }
    return { radio: null, issues };
  }

  /** A cell showing an Excel error is reported once; the field then reads as empty, silently. */
  private findCellProblems(): void {
    let copied = false;
    for (const field in this.values) {
      const value = this.values[field as Field];
      const problem =
        value instanceof CellProblem
          ? value.message
          : typeof value === 'string' && value.includes('#') && EXCEL_ERROR.test(value.trim())
            ? excelErrorMessage(value.trim())
            : null;
      if (!problem) continue;
      this.issues.push(rowError(this.row, this.label(field as Field), problem));
      this.broken.add(field as Field);
      if (!copied) this.values = { ...this.values };
      copied = true;
      this.values[field as Field] = null;
    }
  }

  private label(field: Field): string {
    return this.ctx.table.label(this.row, field);
  }

  private fail(field: Field, message: string): void {
    if (!this.broken.has(field)) this.issues.push(rowError(this.row, this.label(field), message));
  }

  private warn(field: Field, message: string): void {
    if (!this.broken.has(field)) this.issues.push(rowWarning(this.row, this.label(field), message));
  }

  private take<T>(field: Field, read: Read<T>): T | undefined {
    if (read.ok) return read.value;
    this.fail(field, read.message);
    return undefined;
  }

  /** True when the cell has a value; otherwise reports it missing. */
  private required(field: Field, what: string): true | undefined {
    if (!isBlank(this.values[field])) return true;
    this.fail(field, `${what} is missing`);
    return undefined;
  }

  private readText(field: Field, what: string, maxLength: number): string | undefined {
    return this.take(field, nonEmpty(readText(this.values[field]!, what, maxLength), what));
  }

  private optionalDate(field: Field, what: string): string | null | undefined {
    return isBlank(this.values[field]) ? null : this.take(field, readDate(this.values[field]!, what));
  }

  private optionalNumber(
    field: Field,
    what: string,
    units: Record<string, number>,
    problem: (v: number) => string | null,
  ): number | null | undefined {
    const value = this.values[field];
    if (isBlank(value)) return null;
    const read = readNumber(value!, what, units, this.ctx.table.scales[field]);
    if (!read.ok) return this.take(field, read);
    const message = problem(read.value);
    return message ? this.take(field, { ok: false, message }) : read.value;
  }

  private readOperator(): string | undefined {
    const { operator, table, knownOperators } = this.ctx;
    const value = this.values.operator;
    if (isBlank(value)) {
      if (operator) return operator;
      // An admin file without the column gets one file-level error instead of one per row.
      if (table.present.has('operator')) this.fail('operator', 'operator is missing; an admin upload must name the operator of each row');
      return undefined;
    }
    const key = String(value);
    let read = this.operators.get(key);
    if (!read) this.operators.set(key, (read = readOperator(value!, knownOperators)));
    if (!read.ok) return this.take('operator', read);
    if (operator && read.value !== operator) {
      this.fail('operator', `operator ${read.value} is not yours; this upload is for ${operator}`);
      return undefined;
    }
    return read.value;
  }

  private readStatus(decommissionedOn: string | null): StationStatus | undefined {
    const fallback: StationStatus = decommissionedOn ? 'decommissioned' : 'active';
    if (!this.ctx.table.present.has('status')) return fallback;
    const value = this.values.status;
    if (isBlank(value)) {
      this.warn('status', `status is empty; taken as ${fallback}`);
      return fallback;
    }
    const key = String(value);
    let read = this.statuses.get(key);
    if (!read) this.statuses.set(key, (read = readStatus(value!)));
    return this.take('status', read);
  }

  private readPosition(): { lon: number; lat: number } | undefined {
    const lon = this.required('lon', 'longitude') && readDegrees(this.values.lon!, 'longitude');
    const lat = this.required('lat', 'latitude') && readDegrees(this.values.lat!, 'latitude');
    if (lon && !lon.ok) this.fail('lon', lon.message);
    if (lat && !lat.ok) this.fail('lat', lat.message);
    if (!lon || !lon.ok || !lat || !lat.ok) return undefined;
    const x = lon.value;
    const y = lat.value;
    const { minLon, maxLon, minLat, maxLat } = VIETNAM_BOUNDS;
    const lonIn = (v: number) => v >= minLon && v <= maxLon;
    const latIn = (v: number) => v >= minLat && v <= maxLat;
    if (lonIn(x) && latIn(y)) return { lon: x, lat: y };
    if (lonIn(y) && latIn(x)) {
      this.fail('lat', `latitude ${y} is out of range; lon and lat look swapped: lon ${y}, lat ${x} would be in Vietnam`);
    } else if (x === 0 && y === 0) {
      this.fail('lon', 'coordinates are 0, 0: the position is missing');
    } else {
      if (!lonIn(x)) this.fail('lon', coordinateProblem('longitude', x, minLon, maxLon));
      if (!latIn(y)) this.fail('lat', coordinateProblem('latitude', y, minLat, maxLat));
    }
    return undefined;
  }
}

function coordinateProblem(what: string, value: number, min: number, max: number): string {
  if (Math.abs(value) > 1000) {
    return `${what} ${value} looks like metres in a projected system (VN-2000 or UTM); give WGS 84 degrees`;
  }
  return `${what} ${value} is out of range; in Vietnam it is ${min} to ${max}`;
}

function bandProblem(technology: Technology, bandMhz: number): string | null {
  const allowed = VIETNAM_BANDS_MHZ[technology];
  if (allowed.includes(bandMhz)) return null;
  const hint = allowed.includes(bandMhz * 1000)
    ? `; for ${bandMhz} GHz write ${bandMhz * 1000}`
    : bandMhz < 100
      ? '; give the band in MHz, e.g. 1800'
      : '';
  return `band ${bandMhz} MHz does not exist for ${technology} in Vietnam; use ${allowed.join(', ')}${hint}`;
}

function azimuthProblem(a: number): string | null {
  return a < 0 || a > 360 ? `azimuth ${a}° is out of range (0 to 360)` : null;
}

function beamwidthProblem(b: number): string | null {
  return b <= 0 || b > LIMITS.beamwidthDeg.max ? `beamwidth ${b}° is out of range (more than 0, at most 360)` : null;
}

function heightProblem(h: number): string | null {
  if (h < 0) return `height ${h} m is negative`;
  if (h === 0) return 'height 0 m is not an antenna height; leave the cell empty if it is unknown';
  if (h > LIMITS.heightM.max) return `height ${h} m is more than ${LIMITS.heightM.max} m; is it the altitude above sea level?`;
  return null;
}

function radiusProblem(r: number): string | null {
  if (r <= 0) return `radius ${r} m must be more than 0; leave the cell empty if it is unknown`;
  if (r > LIMITS.radiusM.max) return `radius ${r} m is more than ${LIMITS.radiusM.max / 1000} km; is it in metres?`;
  return null;
}

function nonEmpty(read: Read<string>, what: string): Read<string> {
  return read.ok && read.value === '' ? { ok: false, message: `${what} is missing` } : read;
}
