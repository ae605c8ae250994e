import type { RadioRow } from '../stations.schema';
import { fileError, fileWarning, quote, rowError, rowWarning, type ImportIssue } from './issues';
import type { RawRecord, RawTable } from './table';
import { RowValidator, type RecordExtras } from './validate-row';

export interface ValidateOptions {
  /** The uploader's operator; null or undefined for an admin, whose file must name them. */
  operator?: string | null;
  knownOperators: readonly string[];
}

/** Radios of one site code farther apart than this are two positions, not one station. */
export const SAME_SITE_MAX_M = 100;
const EARTH_RADIUS_M = 6_371_008.8;

/**
 * Turns a parsed table into radios and the full list of problems: each row on its own, then the
 * rules that span rows (duplicate keys, one position per site code). Rows with an error are left
 * out of `rows`. A file-level error (no header, missing column) stops here: repeating it on every
 * row would bury it.
 */
export function validateTable(
  table: RawTable & { records: Array<RawRecord & { extras?: RecordExtras }> },
  options: ValidateOptions,
): { rows: RadioRow[]; issues: ImportIssue[] } {
  const issues = [...table.issues];
  const known = options.knownOperators;
  const operator = options.operator ?? null;
  if (operator !== null && !known.includes(operator)) {
    issues.push(fileError(`the uploader's operator ${quote(operator)} is not known; known operators: ${known.join(', ')}`));
  }
  if (operator === null && !table.present.has('operator') && table.records.length > 0) {
    issues.push(fileError('an admin upload needs an "operator" column naming the operator of each row', 'operator'));
  }
  if (issues.some((i) => i.severity === 'error' && i.row === null)) return { rows: [], issues };
  if (!table.present.has('status')) {
    issues.push(fileWarning('no status column: radios are taken as active, or decommissioned where a decommissioning date is given'));
  }

  const radios: RadioRow[] = [];
  const validator = new RowValidator({ table, operator, knownOperators: known });
  for (const record of table.records) {
    const result = validator.validate(record);
    for (const issue of result.issues) issues.push(issue);
    if (result.radio) radios.push(result.radio);
  }
  const rejected = checkAcrossRows(radios, table, issues);
  return { rows: rejected.size ? radios.filter((r) => !rejected.has(r)) : radios, issues: inFileOrder(issues) };
}

/** Duplicate keys and site codes used at two places; returns the radios that got an error. */
function checkAcrossRows(radios: RadioRow[], table: RawTable, issues: ImportIssue[]): Set<RadioRow> {
  const rejected = new Set<RadioRow>();
  const word = table.rowWord ?? 'row';
  const keys = new Map<string, number>();
  const sites = new Map<string, RadioRow>();
  for (const radio of radios) {
    const siteLabel = table.label(radio.row, 'site_code');
    const key = [radio.operator, radio.siteCode, radio.technology, radio.bandMhz, radio.azimuthDeg ?? 'omni'].join('\u0000');
    const firstRow = keys.get(key);
    if (firstRow === undefined) keys.set(key, radio.row);
    else {
      rejected.add(radio);
      issues.push(
        rowError(radio.row, siteLabel, `duplicate of ${word} ${firstRow}: same operator, site code, technology, band and azimuth`),
      );
    }
    const siteKey = `${radio.operator}\u0000${radio.siteCode}`;
    const first = sites.get(siteKey);
    if (!first) {
      sites.set(siteKey, radio);
      continue;
    }
    const apartM = distanceM(first, radio);
    if (apartM > SAME_SITE_MAX_M) {
      rejected.add(radio);
      issues.push(
        rowError(
          radio.row,
          siteLabel,
          `site code ${quote(radio.siteCode)} is ${Math.round(apartM)} m away from the same site code in ${word} ${first.row}; one station has one position`,
        ),
      );
    }
    if (radio.name !== first.name) {
      issues.push(
        rowWarning(radio.row, table.label(radio.row, 'name'), `name differs from ${word} ${first.row} (${quote(first.name)}); a station has one name`),
      );
    }
    if (radio.heightM !== null && first.heightM !== null && radio.heightM !== first.heightM) {
      issues.push(
        rowWarning(
          radio.row,
          table.label(radio.row, 'height_m'),
          `height ${radio.heightM} m differs from ${first.heightM} m in ${word} ${first.row}; a station has one antenna height`,
        ),
      );
    }
  }
  return rejected;
}

/** Great-circle distance in metres between two [lon, lat] points in degrees. */
export function distanceM(a: { lon: number; lat: number }, b: { lon: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** File-level issues first, then by row; the sort is stable, so a row keeps its column order. */
function inFileOrder(issues: ImportIssue[]): ImportIssue[] {
  return issues.sort((a, b) => (a.row ?? -1) - (b.row ?? -1));
}
