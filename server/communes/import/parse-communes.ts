import { ValidationError } from '../../errors';
import type { CommuneKind } from '../communes.schema';

/** Which property of a feature holds each attribute. Other provinces' files name them differently. */
export interface CommuneFieldMap {
  code: string;
  name: string;
  fullName: string;
  population: string;
  kind: string;
  provinceCode: string;
  provinceName: string;
  officialArea: string;
}

export const DEFAULT_FIELDS: CommuneFieldMap = {
  code: 'ma_xa',
  name: 'ten',
  fullName: 'ten_day_du',
  population: 'dan_so',
  kind: 'loai',
  provinceCode: 'ma_tinh',
  provinceName: 'ten_tinh',
  officialArea: 'dien_tich_km2',
};

export interface ParsedCommune {
  /** 0-based index of the feature in the file. */
  index: number;
  code: string;
  name: string;
  fullName: string;
  kind: CommuneKind;
  provinceCode: string;
  provinceName: string | null;
  population: number | null;
  officialAreaKm2: number | null;
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
}

export interface FeatureRejection {
  index: number;
  code: string | null;
  reason: string;
}

export interface ParsedCommuneFile {
  communes: ParsedCommune[];
  rejected: FeatureRejection[];
  warnings: FeatureRejection[];
}

const KIND_LABEL: Record<CommuneKind, string> = { xa: 'Xã', phuong: 'Phường', dac_khu: 'Đặc khu' };

/**
 * Reads a commune boundary GeoJSON. File-level faults (not JSON, not a FeatureCollection, no
 * polygon at all) throw ValidationError; faulty features are listed in `rejected` by index.
 */
export function parseCommuneFile(
  text: string,
  fields: CommuneFieldMap = DEFAULT_FIELDS,
  overrides: { provinceCode?: string; provinceName?: string } = {},
): ParsedCommuneFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ValidationError(`the file is not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(doc) || doc.type !== 'FeatureCollection' || !Array.isArray(doc.features)) {
    const found = isObject(doc) && typeof doc.type === 'string' ? `a ${doc.type}` : 'something else';
    throw new ValidationError(`the file is not a GeoJSON FeatureCollection (found ${found})`);
  }
  const features = doc.features as unknown[];
  const types = new Map<string, number>();
  const result: ParsedCommuneFile = { communes: [], rejected: [], warnings: [] };
  const seen = new Map<string, number>();
  features.forEach((feature, index) => {
    const geometryType = isObject(feature) && isObject(feature.geometry) ? String(feature.geometry.type) : 'none';
    types.set(geometryType, (types.get(geometryType) ?? 0) + 1);
    const parsed = parseFeature(feature, index, fields, overrides, result.warnings);
    if ('reason' in parsed) {
      result.rejected.push(parsed);
      return;
    }
    const first = seen.get(parsed.code);
    if (first !== undefined) {
      result.rejected.push({ index, code: parsed.code, reason: `code ${parsed.code} already used by feature ${first}` });
      return;
    }
    seen.set(parsed.code, index);
    result.communes.push(parsed);
  });
  const polygons = (types.get('Polygon') ?? 0) + (types.get('MultiPolygon') ?? 0);
  if (polygons === 0) {
    const found = [...types].map(([t, n]) => `${n} ${t}`).join(', ') || 'no features';
    throw new ValidationError(`the file has no Polygon or MultiPolygon features (found ${found}); commune boundaries are polygons`);
  }
  return result;
}

function parseFeature(
  feature: unknown,
  index: number,
  fields: CommuneFieldMap,
  overrides: { provinceCode?: string; provinceName?: string },
  warnings: FeatureRejection[],
): ParsedCommune | FeatureRejection {
  if (!isObject(feature) || feature.type !== 'Feature') return { index, code: null, reason: 'not a GeoJSON Feature' };
  const props = isObject(feature.properties) ? feature.properties : {};
  const code = normaliseCode(props[fields.code]);
  if (!code) {
    const raw = props[fields.code];
    return { index, code: null, reason: raw == null || raw === '' ? `no code in property "${fields.code}"` : `code "${String(raw)}" is not a 5-digit commune code` };
  }
  const geometry = feature.geometry;
  if (!isObject(geometry)) return { index, code, reason: 'no geometry' };
  if (geometry.type !== 'Polygon' && geometry.type !== 'MultiPolygon') {
    return { index, code, reason: `geometry is a ${String(geometry.type)}, not a Polygon or MultiPolygon` };
  }
  if (!Array.isArray(geometry.coordinates) || !hasRing(geometry.coordinates, geometry.type === 'Polygon' ? 1 : 2)) {
    return { index, code, reason: 'empty geometry' };
  }
  const name = text(props[fields.name]);
  const fullName = text(props[fields.fullName]);
  const kind = normaliseKind(props[fields.kind]) ?? normaliseKind(fullName?.split(' ')[0]) ?? kindFromFullName(fullName);
  if (!name && !fullName) return { index, code, reason: `no name in "${fields.name}" or "${fields.fullName}"` };
  if (!kind) {
    warnings.push({ index, code, reason: `kind "${String(props[fields.kind] ?? '')}" not recognised; taken as xã` });
  }
  const provinceCode = overrides.provinceCode ?? text(props[fields.provinceCode]);
  if (!provinceCode) return { index, code, reason: `no province code in "${fields.provinceCode}" (give --province-code)` };
  const resolvedKind = kind ?? 'xa';
  const shortName = name ?? stripKind(fullName!);
  const population = nonNegative(props[fields.population]);
  if (population === null) {
    // Kept, not rejected: the boundary is good. Stored NULL; the figures that sum people say how many they leave out.
    const raw = props[fields.population];
    const why = raw == null || raw === '' ? `no value in "${fields.population}"` : `"${String(raw)}" in "${fields.population}" is not a number of people`;
    warnings.push({ index, code, reason: `population unknown (${why}): stored as unknown, not as 0` });
  }
  return {
    index,
    code,
    name: shortName,
    fullName: fullName ?? `${KIND_LABEL[resolvedKind]} ${shortName}`,
    kind: resolvedKind,
    provinceCode,
    provinceName: overrides.provinceName ?? text(props[fields.provinceName]),
    population,
    officialAreaKm2: nonNegative(props[fields.officialArea]),
    geometry: geometry as unknown as GeoJSON.Polygon | GeoJSON.MultiPolygon,
  };
}

/** Codes sometimes lose their leading zero in spreadsheets: 4792 → "04792". */
export function normaliseCode(value: unknown): string | null {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 100000) return String(value).padStart(5, '0');
  if (typeof value !== 'string') return null;
  const s = value.trim();
  if (/^[0-9]{1,5}$/.test(s)) return s.padStart(5, '0');
  return null;
}

/** Folds case and Vietnamese diacritics: "Phường" → "phuong", "ĐẶC KHU" → "dac khu". */
export function foldVietnamese(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[đĐ]/g, 'd').toLowerCase().trim();
}

function normaliseKind(value: unknown): CommuneKind | null {
  if (typeof value !== 'string') return null;
  const k = foldVietnamese(value).replace(/[\s_-]+/g, ' ');
  if (k === 'xa' || k === 'thi tran') return 'xa';
  if (k === 'phuong') return 'phuong';
  if (k === 'dac khu') return 'dac_khu';
  return null;
}

function kindFromFullName(fullName: string | null): CommuneKind | null {
  if (!fullName) return null;
  const folded = foldVietnamese(fullName);
  if (folded.startsWith('phuong ')) return 'phuong';
  if (folded.startsWith('dac khu ')) return 'dac_khu';
  if (folded.startsWith('xa ')) return 'xa';
  return null;
}

function stripKind(fullName: string): string {
  return fullName.replace(/^(Xã|Phường|Đặc khu|Thị trấn)\s+/iu, '');
}

function hasRing(coords: unknown[], depth: number): boolean {
  // Polygon: [[ring]]; MultiPolygon: [[[ring]]]. At least one ring with four positions.
  const stack: Array<[unknown, number]> = [[coords, depth]];
  while (stack.length) {
    const [node, d] = stack.pop()!;
    if (!Array.isArray(node)) continue;
    if (d === 0) {
      if (node.length >= 4 && node.every((p) => Array.isArray(p) && p.length >= 2 && p.every((n) => typeof n === 'number' && Number.isFinite(n)))) return true;
      continue;
    }
    for (const child of node) stack.push([child, d - 1]);
  }
  return false;
}

function text(value: unknown): string | null {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return null;
  const s = value.trim();
  return s === '' ? null : s;
}

function nonNegative(value: unknown): number | null {
  const n = typeof value === 'string' ? Number(value.replace(',', '.')) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : null;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
