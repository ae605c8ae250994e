import { REQUIRED_FIELDS, matchHeader, type Field } from './columns';
import { decodeText } from './decode-text';
import { fileError, fileWarning, quote, rowError, type ImportIssue } from './issues';
import type { RawRecord, RawTable, RawValue } from './table';

export interface ParseGeojsonOptions {
  maxRows: number;
}

/** `crs` names that mean WGS 84 lon/lat (RFC 7946 drops `crs`, older files still carry it). */
const WGS84_NAMES = /^(urn:ogc:def:crs:OGC:1\.3:CRS84|urn:ogc:def:crs:EPSG::4326|EPSG:4326|CRS84)$/i;

/**
 * A FeatureCollection (or one Feature) of Points whose properties carry the csv columns. Rows are
 * 0-based feature indexes and columns are JSON paths such as `features[3].properties.band_mhz`.
 * Lon/lat come from the geometry; `lon`/`lat` properties stand in only when it is null.
 */
export function parseGeojson(data: Uint8Array, options: ParseGeojsonOptions): RawTable {
  const issues: ImportIssue[] = [];
  const records: RawRecord[] = [];
  const keys = new Map<Field, string>();
  /** Features whose position comes from lon/lat properties because their geometry is null. */
  const fromProperties = new Set<number>();
  const scales: Partial<Record<Field, number>> = {};
  const table: RawTable = {
    records,
    present: new Set(keys.keys()),
    scales,
    rowWord: 'feature',
    label: (row, field) =>
      (field === 'lon' || field === 'lat') && !fromProperties.has(row)
        ? `features[${row}].geometry.coordinates`
        : `features[${row}].properties.${keys.get(field) ?? field}`,
    issues,
  };
  const fail = (message: string) => ({ ...table, records: [], issues: [fileError(message)] });

  const decoded = decodeText(data);
  if (!decoded.ok) return fail(decoded.issue.message);
  let root: unknown;
  try {
    root = JSON.parse(decoded.text);
  } catch (err) {
    return fail(`the file is not valid JSON: ${(err as Error).message.slice(0, 120)}`);
  }
  const features = isObject(root) && root.type === 'FeatureCollection' ? root.features : isObject(root) && root.type === 'Feature' ? [root] : null;
  if (!Array.isArray(features)) return fail('the file is JSON but not a GeoJSON FeatureCollection of Point features');
  const crsName = isObject(root) && isObject(root.crs) && isObject(root.crs.properties) ? root.crs.properties.name : undefined;
  if (crsName !== undefined && !WGS84_NAMES.test(String(crsName))) {
    return fail(`coordinates in ${quote(crsName)} are not accepted; export the file in WGS 84 (EPSG:4326) lon/lat`);
  }
  if (features.length === 0) return fail('the FeatureCollection has no features');
  if (features.length > options.maxRows) return fail(`the file has more than ${options.maxRows} features; split it into smaller files`);

  const unknown = new Set<string>();
  const seen = new Set<Field>();
  features.forEach((feature: unknown, i: number) => {
    const path = `features[${i}]`;
    if (!isObject(feature) || feature.type !== 'Feature') {
      issues.push(rowError(i, path, `feature ${i} is not a GeoJSON Feature`));
      return;
    }
    const values: Partial<Record<Field, RawValue>> = {};
    const properties = isObject(feature.properties) ? feature.properties : {};
    for (const [key, value] of Object.entries(properties)) {
      const match = matchHeader(key);
      if (match.kind === 'unknown' || match.kind === 'bad-unit') unknown.add(key);
      if (match.kind !== 'field' || match.field in values) continue;
      if (!keys.has(match.field)) keys.set(match.field, key);
      if (match.scale !== 1) scales[match.field] = match.scale;
      values[match.field] = toRawValue(value);
      seen.add(match.field);
    }
    const geometry = feature.geometry;
    if (isObject(geometry)) {
      if (geometry.type !== 'Point') {
        issues.push(rowError(i, `${path}.geometry`, `feature ${i} is a ${String(geometry.type).slice(0, 30)}; only Point features are accepted`));
        return;
      }
      const coordinates = geometry.coordinates;
      if (!Array.isArray(coordinates) || coordinates.length < 2) {
        issues.push(rowError(i, `${path}.geometry.coordinates`, `feature ${i}: a Point needs [lon, lat] coordinates`));
        return;
      }
      values.lon = toRawValue(coordinates[0]);
      values.lat = toRawValue(coordinates[1]);
    } else if (values.lon === undefined && values.lat === undefined) {
      issues.push(rowError(i, `${path}.geometry`, `feature ${i} has no geometry`));
      return;
    } else fromProperties.add(i);
    records.push({ row: i, values });
  });

  for (const field of REQUIRED_FIELDS) {
    if (field !== 'lon' && field !== 'lat' && !seen.has(field) && records.length > 0) {
      issues.push(fileError(`required property "${field}" is missing from every feature`, field));
    }
  }
  for (const key of unknown) issues.push(fileWarning(`property ${quote(key)} is not a station column and was ignored`, key));
  return { ...table, present: new Set<Field>([...seen, 'lon', 'lat']) };
}

function toRawValue(value: unknown): RawValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  // Nested objects are no station value; as text they get a readable "not a number" and the like.
  return JSON.stringify(value).slice(0, 1000);
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
