import { z } from 'zod';
import { Attribution, MultiPolygonSchema, feature } from '../contract/parts';
import { PCT_METRICS } from '../targets/metrics';

export const PROVINCE_KINDS = ['tinh', 'thanh_pho'] as const;
export type ProvinceKind = (typeof PROVINCE_KINDS)[number];

/** Two-digit province code of 1 July 2025 (e.g. 25 Phú Thọ, 01 Hà Nội). */
export const ProvinceCodeSchema = z.string().regex(/^[0-9]{2}$/, 'a province code is 2 digits, e.g. 25');

/** `province=` on every list, summary, gaps, coverage, history, targets and export route. */
export const ProvinceQuerySchema = z.object({ province: ProvinceCodeSchema.optional() });

export const ProvinceParamsSchema = z.object({ code: ProvinceCodeSchema });

export const ProvinceListQuerySchema = z.object({ format: z.enum(['json', 'geojson']).default('json') });

/** A province as an importer names it (the provinces list, or the communes file). */
export interface ProvinceInput {
  code: string;
  name: string;
  fullName: string;
  nameEn: string | null;
  kind: ProvinceKind;
}

/** What the ten figures a province is judged on read: each percentage metric, null without data. */
const ValuesSchema = z.partialRecord(z.enum(PCT_METRICS), z.number().nullable());

/** A target as it applies to one province: its own, or a national one. */
export const ProvinceTargetSchema = z.strictObject({
  code: z.string(),
  metric: z.enum(PCT_METRICS),
  threshold: z.number(),
  deadlineYear: z.number().int(),
  /** Null: a national target (Decision 1132/QĐ-TTg, the 2025 roll-out plan). */
  provinceCode: z.string().nullable(),
  value: z.number().nullable(),
  met: z.boolean().nullable(),
});

export const ProvinceSchema = z
  .strictObject({
    code: ProvinceCodeSchema,
    name: z.string(),
    fullName: z.string(),
    nameEn: z.string().nullable(),
    kind: z.enum(PROVINCE_KINDS),
    communes: z.number().int(),
    /** People of the communes whose population is known; households likewise. */
    population: z.number().int(),
    households: z.number().int(),
    /** Communes whose population is unknown (NULL): in the area and the commune count, not in population or households. */
    populationUnknown: z.number().int(),
    areaKm2: z.number(),
    /** [west, south, east, north], degrees; null before its communes are loaded. */
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
    /** The province's own figures (all operators), as `/api/summary?province=` computes them. */
    values: ValuesSchema,
    targets: z.array(ProvinceTargetSchema),
  })
  .meta({ id: 'Province' });
export type Province = z.infer<typeof ProvinceSchema>;

/** `GET /api/provinces`: every province the database holds communes of, by code, and the country. */
export const ProvinceListSchema = z
  .strictObject({
    count: z.number().int(),
    country: z.strictObject({
      communes: z.number().int(), population: z.number().int(), households: z.number().int(), populationUnknown: z.number().int(), areaKm2: z.number(),
      values: ValuesSchema, targets: z.array(ProvinceTargetSchema),
    }),
    items: z.array(ProvinceSchema),
  })
  .meta({ id: 'ProvinceList' });

/** `GET /api/provinces?format=geojson`: the same items with their outlines (communes dissolved, ~200 m). */
export const ProvincesGeoJsonSchema = z
  .strictObject({
    type: z.literal('FeatureCollection'),
    attribution: Attribution,
    features: z.array(feature(ProvinceSchema, MultiPolygonSchema, z.number().int())),
  })
  .meta({ id: 'ProvincesGeoJson' });
