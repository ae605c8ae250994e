import { parseStationFile, type ParsedFile } from '../../../server/stations/import';
import { DEFAULT_OPERATORS } from '../../../server/stations/stations.schema';

export const KNOWN = [...DEFAULT_OPERATORS];

export const HEADER =
  'operator,site_code,name,lon,lat,technology,band_mhz,height_m,azimuth_deg,beamwidth_deg,radius_m,status,commissioned_on,decommissioned_on';

/** A valid radio row of the canonical header; `over` replaces columns by name. */
export function row(over: Record<string, string> = {}, delimiter = ','): string {
  const base: Record<string, string> = {
    operator: 'viettel', site_code: 'VTL-0001', name: 'Việt Trì', lon: '105.4012', lat: '21.3225',
    technology: '4G', band_mhz: '1800', height_m: '30', azimuth_deg: '0', beamwidth_deg: '65',
    radius_m: '', status: 'active', commissioned_on: '2019-01-01', decommissioned_on: '',
  };
  const merged = { ...base, ...over };
  return HEADER.split(',').map((c) => merged[c]).join(delimiter);
}

export function csv(...lines: string[]): Buffer {
  return Buffer.from(lines.join('\n'), 'utf8');
}

export function parse(
  data: Buffer | string,
  options: Partial<Parameters<typeof parseStationFile>[1]> = {},
): Promise<ParsedFile> {
  const buffer = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return parseStationFile(buffer, { knownOperators: KNOWN, operator: null, ...options });
}

export const errors = (file: ParsedFile) => file.issues.filter((i) => i.severity === 'error');
export const warnings = (file: ParsedFile) => file.issues.filter((i) => i.severity === 'warning');
/** Issues as "row column: message" lines, easy to read in a failing assertion. */
export const lines = (file: ParsedFile) => file.issues.map((i) => `${i.severity} ${i.row} ${i.column}: ${i.message}`);
