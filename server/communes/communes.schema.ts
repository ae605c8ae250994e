import { z } from 'zod';

export const COMMUNE_KINDS = ['xa', 'phuong', 'dac_khu'] as const;
export type CommuneKind = (typeof COMMUNE_KINDS)[number];

/** Official 5-digit commune code (Decision 19/2025/QĐ-TTg). */
export const CommuneCodeSchema = z.string().regex(/^[0-9]{5}$/, 'a commune code is 5 digits, e.g. 07900');

export const CommuneParamsSchema = z.object({ code: CommuneCodeSchema });

export const CommuneListQuerySchema = z.object({
  format: z.enum(['json', 'geojson']).default('json'),
  /** With format=geojson: `display` (about 20 m) or `overview` (about 90 m), for the whole-province view. */
  geometry: z.enum(['display', 'overview']).default('display'),
});

export const CommuneGetQuerySchema = z.object({
  geometry: z.enum(['full', 'display']).default('full'),
});

export interface CommuneSummary {
  code: string;
  name: string;
  fullName: string;
  kind: CommuneKind;
  population: number | null;
  households: number | null;
  areaKm2: number;
}

export interface CommuneDetail extends CommuneSummary {
  provinceCode: string;
  provinceName: string | null;
  officialAreaKm2: number | null;
  householdSize: number | null;
  householdsMethod: string | null;
}

/** A commune as an import writes it; the geometry is GeoJSON in [lon, lat] WGS84. */
export interface CommuneInput {
  code: string;
  name: string;
  fullName: string;
  kind: CommuneKind;
  provinceCode: string;
  provinceName: string | null;
  population: number | null;
  officialAreaKm2: number | null;
  households: number | null;
  householdSize: number | null;
  householdsMethod: string | null;
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
}

/** Credit for the boundary data, shown wherever boundaries are shown or exported. */
export const BOUNDARY_ATTRIBUTION =
  'Boundaries: thanglequoc/vietnamese-provinces-database (MIT), from the official 2025 merger map of NXB Tài nguyên Môi trường và Bản đồ Việt Nam; ' +
  'population and areas: tranngocminhhieu/vietnamadminunits (MIT); 2019 census households: General Statistics Office of Vietnam via hgscarlette/vn-demographic.';
