import { z } from 'zod';

/** minLon,minLat,maxLon,maxLat in degrees, west < east and south < north. */
const BboxSchema = z.string().transform((s, ctx) => {
  const p = s.split(',').map(Number);
  if (p.length !== 4 || p.some((n) => !Number.isFinite(n)) || p[0] >= p[2] || p[1] >= p[3] || p[0] < -180 || p[2] > 180 || p[1] < -90 || p[3] > 90) {
    ctx.addIssue({ code: 'custom', message: 'bbox is minLon,minLat,maxLon,maxLat' });
    return z.NEVER;
  }
  return p as [number, number, number, number];
});

export const PopulationDensityQuerySchema = z.object({
  /** Only the pieces meeting this box; absent: the whole province. */
  bbox: BboxSchema.optional(),
});

/** Which population model spread the communes' people (the same as the coverage figures'). */
export const PopulationModelSchema = z.object({
  kind: z.enum(['grid', 'even']),
  /** The grid's identifier, name, year and licence; null with the even spread. */
  id: z.string().nullable(),
  name: z.string(),
  year: z.number().int().nullable(),
  licence: z.string().nullable(),
  /** SHA-256 of the grid file; null with the even spread. */
  sha256: z.string().nullable(),
});

export const DensityFeatureSchema = z.object({
  type: z.literal('Feature'),
  properties: z.object({
    communeCode: z.string(),
    /** People per km² on this piece: the commune's official population spread by the grid. */
    densityPerKm2: z.number(),
    /** 'grid': dasymetric, this piece is one grid cell's part of the commune; 'even': the whole commune, evenly. */
    spread: z.enum(['grid', 'even']),
  }),
  geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.any()) }),
});

export const PopulationDensityAnswerSchema = z.object({
  type: z.literal('FeatureCollection'),
  populationModel: PopulationModelSchema,
  /** Credit to show with the layer (WorldPop, CC BY 4.0, for the default grid). */
  attribution: z.string(),
  features: z.array(DensityFeatureSchema),
});

export type PopulationModel = z.infer<typeof PopulationModelSchema>;
export type DensityFeature = z.infer<typeof DensityFeatureSchema>;
export type PopulationDensityAnswer = z.infer<typeof PopulationDensityAnswerSchema>;

export const EVEN_SPREAD_MODEL: PopulationModel = Object.freeze({
  kind: 'even', id: null, name: 'even spread over each commune (no population grid)', year: null, licence: null, sha256: null,
});
