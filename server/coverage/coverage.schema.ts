import { z } from 'zod';
import { ProvinceQuerySchema } from '../provinces/provinces.schema';
import { CommuneFeatureSchema, CommuneSummarySchema, CommunesGeoJsonSchema } from '../communes/communes.schema';
import { Attribution, GeometrySchema, Timestamp, feature } from '../contract/parts';
import { IsoDateSchema, OperatorCodeSchema, TechnologySchema } from '../stations/stations.schema';

const AsOf = z.iso.date({ message: 'asOf is a date, YYYY-MM-DD' }).refine((d) => d >= '1990-01-01' && d <= '2100-12-31', 'asOf out of range');
const Operator = z.union([z.literal('all'), OperatorCodeSchema]);

export const CoverageQuerySchema = ProvinceQuerySchema.extend({
  technology: TechnologySchema.optional(),
  operator: Operator.optional(),
  asOf: AsOf.optional(),
  format: z.enum(['json', 'csv', 'geojson']).default('json'),
});

export const CommuneCoverageQuerySchema = z.object({ asOf: AsOf.optional() });

export const PointQuerySchema = z.object({
  lon: z.coerce.number().min(-180).max(180),
  lat: z.coerce.number().min(-90).max(90),
  asOf: AsOf.optional(),
});

export const GapsQuerySchema = z.object({
  technology: TechnologySchema.default('5G'),
  operator: Operator.default('all'),
  asOf: AsOf.optional(),
});

export const LayerQuerySchema = GapsQuerySchema.extend({
  bbox: z.string().transform((s, ctx) => {
    const p = s.split(',').map(Number);
    if (p.length !== 4 || p.some((n) => !Number.isFinite(n)) || p[0] >= p[2] || p[1] >= p[3] || p[0] < -180 || p[2] > 180 || p[1] < -90 || p[3] > 90) {
      ctx.addIssue({ code: 'custom', message: 'bbox is minLon,minLat,maxLon,maxLat' });
      return z.NEVER;
    }
    return p as [number, number, number, number];
  }),
});

export const JobParamsSchema = z.object({ id: z.string().regex(/^[0-9]{1,9}$/).transform(Number) });

// ---- answers ------------------------------------------------------------------------------------
// One schema per answer, built from the shared parts below, so that a field added to a figure
// (e.g. the population model of a run) is added once.

/** Operator code, or `all` for the union of every operator's footprints. */
const OperatorOrAll = z.string();

/** Which population model spread the communes' people: a grid (credited) or the even spread. */
export const PopulationModelSchema = z
  .strictObject({
    id: z.string(),
    name: z.string(),
    year: z.number().int().nullable(),
    source: z.string(),
    licence: z.string().nullable(),
    /** Credit to show with every figure derived from the grid (null for the even spread). */
    attribution: z.string().nullable(),
    sha256: z.string().nullable(),
  })
  .meta({ id: 'PopulationModel' });

/** The ground the footprints were shaped by: SRTM tiles, or flat (no heights configured). */
export const TerrainModelSchema = z
  .strictObject({ id: z.enum(['flat', 'srtm']), tiles: z.array(z.string()), sha256: z.string().nullable(), source: z.string().nullable() })
  .meta({ id: 'TerrainModel' });

/** What every coverage answer says about the figures it gives: when, by which model, still current or not. */
export const CoverageMetaSchema = z.strictObject({
  /** When the run finished (stored figures) or the figures were computed (asOf). */
  computedAt: Timestamp.nullable(),
  asOf: IsoDateSchema,
  modelVersion: z.string(),
  /** Stations, radios or communes changed since, or the figures were computed under another model. */
  stale: z.boolean(),
  populationModel: PopulationModelSchema,
  terrainModel: TerrainModelSchema,
});

/** How a commune's people were spread: by the grid's density, or evenly (no grid, or no people in it there). */
const PopulationSpread = z.enum(['grid', 'even']);
/** Share of the commune with known ground heights, %; null on flat ground (no heights configured). */
const TerrainPct = z.number().nullable();

/**
 * Coverage of one commune by one technology and one operator (engine `CoverageFigure`).
 * population and coveredPopulation are null when the commune's population is unknown (the model
 * spreads no people over it; populationPct is then the share of where people live, or of the area).
 */
export const CoverageFigureSchema = z
  .strictObject({
    communeCode: z.string(),
    technology: TechnologySchema,
    operator: OperatorOrAll,
    areaKm2: z.number(),
    coveredKm2: z.number(),
    areaPct: z.number(),
    population: z.number().nullable(),
    coveredPopulation: z.number().nullable(),
    populationPct: z.number(),
    populationSpread: PopulationSpread,
    terrainPct: TerrainPct,
    // Stored figures (today's) carry their run; figures computed on demand for a date do not.
    runId: z.number().int().optional(),
    computedAt: Timestamp.optional(),
    asOf: IsoDateSchema.optional(),
    modelVersion: z.string().optional(),
    inputsDigest: z.string().nullable().optional(),
  })
  .meta({ id: 'CoverageFigure' });

/** Province roll-up of one technology and operator: area-weighted and population-weighted. */
export const ProvinceFigureSchema = z
  .strictObject({
    technology: TechnologySchema, operator: OperatorOrAll, areaKm2: z.number(), coveredKm2: z.number(), areaPct: z.number(),
    population: z.number(), coveredPopulation: z.number(), populationPct: z.number(),
  })
  .meta({ id: 'ProvinceFigure' });

/**
 * A commune's figure of one technology, rounded for display (0.001 points, km²; whole people).
 * coveredPopulation is null when the commune's population is unknown (populationPct is then the
 * share of where people live, or of the area, that is covered).
 */
export const TechFigureSchema = z
  .strictObject({ areaPct: z.number(), populationPct: z.number(), coveredAreaKm2: z.number(), coveredPopulation: z.number().int().nullable() })
  .meta({ id: 'TechFigure' });
const ByTechnology = z.partialRecord(TechnologySchema, TechFigureSchema);

/** `GET /api/communes/:code/coverage`. */
export const CommuneCoverageSchema = CoverageMetaSchema.extend({
  code: z.string(),
  name: z.string().nullable(),
  populationSpread: PopulationSpread,
  terrainPct: TerrainPct,
  /** All operators together. */
  technologies: ByTechnology,
  /** Every operator with a radio of a technology (on air or not), 0 % on a date it had none on air. */
  operators: z.record(z.string(), ByTechnology),
}).meta({ id: 'CommuneCoverage' });

/** `GET /api/coverage`. */
export const CoverageListSchema = CoverageMetaSchema.extend({
  province: z.array(ProvinceFigureSchema),
  communes: z.array(CoverageFigureSchema),
}).meta({ id: 'CoverageList' });

/** `GET /api/coverage?format=geojson`: each commune's boundary with its figures. */
export const CoverageGeoJsonSchema = CommunesGeoJsonSchema.extend({
  ...CoverageMetaSchema.shape,
  features: z.array(CommuneFeatureSchema.extend({ properties: CommuneSummarySchema.extend({ coverage: z.array(CoverageFigureSchema.omit({ communeCode: true })) }) })),
}).meta({ id: 'CoverageGeoJson' });

/** `GET /api/coverage/point`. */
export const CoveragePointSchema = z
  .strictObject({
    lon: z.number(),
    lat: z.number(),
    asOf: IsoDateSchema,
    technologies: z.array(TechnologySchema),
    /** One entry per technology and operator, with its nearest covering station. */
    covered: z.array(z.strictObject({
      technology: TechnologySchema, operator: z.string(), stationId: z.number().int(), siteCode: z.string(), distanceM: z.number(), radiusM: z.number(),
    })),
    /** The ground the footprints tested were shaped by (the same footprints as the figures). */
    terrainModel: TerrainModelSchema,
  })
  .meta({ id: 'CoveragePoint' });

/** `GET /api/communes/:code/gaps`: the part of the commune no footprint reaches (null geometry: none). */
export const CommuneGapFeatureSchema = feature(
  z.strictObject({
    code: z.string(), name: z.string(), technology: TechnologySchema, operator: OperatorOrAll, asOf: IsoDateSchema,
    uncoveredKm2: z.number(), areaKm2: z.number(), attribution: Attribution, terrainModel: TerrainModelSchema,
  }),
  GeometrySchema.nullable(),
  z.string(),
).meta({ id: 'CommuneGapFeature' });

/** `GET /api/coverage/layer`: zero or one feature, the union of the footprints in the bbox. */
export const CoverageLayerSchema = z
  .strictObject({
    type: z.literal('FeatureCollection'),
    features: z.array(z.strictObject({
      type: z.literal('Feature'), geometry: GeometrySchema,
      properties: z.strictObject({ technology: TechnologySchema, operator: OperatorOrAll, asOf: IsoDateSchema, radios: z.number().int(), terrainModel: TerrainModelSchema }),
    })).max(1),
  })
  .meta({ id: 'CoverageLayer' });

/** `GET /api/coverage/runs/latest`: the last succeeded run, null before the first. */
export const CoverageRunSchema = z
  .strictObject({
    id: z.number().int(),
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
    asOf: IsoDateSchema,
    modelVersion: z.string(),
    inputsDigest: z.string().nullable(),
    scope: z.enum(['full', 'communes']),
    communes: z.number().int(),
    radios: z.number().int(),
    durationMs: z.number().int().nullable(),
    trigger: z.string(),
    status: z.string(),
  })
  .meta({ id: 'CoverageRun' });

/** What a recompute job gives once it succeeded. */
export const RecomputeResultSchema = z
  .strictObject({
    runId: z.number().int(), scope: z.enum(['full', 'communes']), communes: z.number().int(), radios: z.number().int(), durationMs: z.number().int(), inputsDigest: z.string(),
  })
  .meta({ id: 'RecomputeResult' });
