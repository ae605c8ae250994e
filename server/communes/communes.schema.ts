import { z } from 'zod';
import { Attribution, MultiPolygonSchema, feature } from '../contract/parts';
import { ProvinceQuerySchema } from '../provinces/provinces.schema';

export const COMMUNE_KINDS = ['xa', 'phuong', 'dac_khu'] as const;
export type CommuneKind = (typeof COMMUNE_KINDS)[number];

/** Official 5-digit commune code (Decision 19/2025/QĐ-TTg). */
export const CommuneCodeSchema = z.string().regex(/^[0-9]{5}$/, 'a commune code is 5 digits, e.g. 07900');

export const CommuneParamsSchema = z.object({ code: CommuneCodeSchema });

export const CommuneListQuerySchema = ProvinceQuerySchema.extend({
  format: z.enum(['json', 'geojson']).default('json'),
  /** With format=geojson: `display` (about 20 m) or `overview` (about 90 m), for the whole-province view. */
  geometry: z.enum(['display', 'overview']).default('display'),
});

export const CommuneGetQuerySchema = z.object({
  geometry: z.enum(['full', 'display']).default('full'),
});

/** One commune in lists: `GET /api/communes` and the properties of its GeoJSON. */
export const CommuneSummarySchema = z
  .strictObject({
    code: CommuneCodeSchema,
    name: z.string(),
    fullName: z.string(),
    kind: z.enum(COMMUNE_KINDS),
    /** The province it belongs to (server/provinces/). */
    provinceCode: z.string(),
    population: z.number().int().nullable(),
    households: z.number().int().nullable(),
    /** Computed by PostGIS on the geography, km². */
    areaKm2: z.number(),
  })
  .meta({ id: 'CommuneSummary' });
export type CommuneSummary = z.infer<typeof CommuneSummarySchema>;

export const CommuneDetailSchema = CommuneSummarySchema.extend({
  provinceName: z.string().nullable(),
  officialAreaKm2: z.number().nullable(),
  householdSize: z.number().nullable(),
  householdsMethod: z.string().nullable(),
}).meta({ id: 'CommuneDetail' });
export type CommuneDetail = z.infer<typeof CommuneDetailSchema>;

/** `GET /api/communes`. */
export const CommuneListSchema = z.strictObject({ count: z.number().int(), items: z.array(CommuneSummarySchema) }).meta({ id: 'CommuneList' });

/** A commune's display (or overview) boundary in a FeatureCollection; `id` is the code as a number. */
export const CommuneFeatureSchema = feature(CommuneSummarySchema, MultiPolygonSchema, z.number().int()).meta({ id: 'CommuneFeature' });

/** `GET /api/communes?format=geojson`, and the base of every commune GeoJSON export. */
export const CommunesGeoJsonSchema = z
  .strictObject({ type: z.literal('FeatureCollection'), attribution: Attribution, features: z.array(CommuneFeatureSchema) })
  .meta({ id: 'CommunesGeoJson' });

/** `GET /api/communes/:code`: one commune with its full (or display) boundary. */
export const CommuneDetailFeatureSchema = feature(CommuneDetailSchema.extend({ attribution: Attribution }), MultiPolygonSchema, z.number().int())
  .meta({ id: 'CommuneDetailFeature' });

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
