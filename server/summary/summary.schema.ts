import { z } from 'zod';
import { ProvinceFiberSchema } from '../broadband/broadband.schema';
import { CommuneDetailFeatureSchema, CommuneDetailSchema, CommuneFeatureSchema, CommuneSummarySchema, CommunesGeoJsonSchema } from '../communes/communes.schema';
import { Attribution, Timestamp } from '../contract/parts';
import { CoverageMetaSchema } from '../coverage/coverage.schema';
import { IsoDateSchema, TECHNOLOGIES, TechnologySchema } from '../stations/stations.schema';
import { COUNT_METRICS, PCT_METRICS } from '../targets/metrics';
import { ProvinceCodeSchema, ProvinceQuerySchema } from '../provinces/provinces.schema';
import { PctMetricSchema, ReportedFigureSchema, TARGET_SCOPES, TargetCodeSchema, TargetSchema } from '../targets/targets.schema';

/** `GET /api/gaps`: a stored target (id or code), or a metric and a threshold. */
export const GapsQuerySchema = z
  .object({
    target: z.union([z.string().regex(/^[0-9]{1,15}$/).transform(Number), TargetCodeSchema]).optional(),
    metric: PctMetricSchema.optional(),
    threshold: z.coerce.number().min(0).max(100).optional(),
    format: z.enum(['json', 'csv', 'geojson']).default('json'),
    province: ProvinceCodeSchema.optional(),
  })
  .refine((q) => (q.target !== undefined) !== (q.metric !== undefined && q.threshold !== undefined), {
    message: 'give target=ID (or its code), or metric= and threshold=, not both',
    path: ['target'],
  })
  .refine((q) => q.target === undefined || (q.metric === undefined && q.threshold === undefined), { message: 'target= excludes metric= and threshold=', path: ['metric'] });

export const SummaryQuerySchema = ProvinceQuerySchema.extend({ format: z.enum(['json', 'csv']).default('json') });

export const HISTORY_METRICS = [...PCT_METRICS, ...COUNT_METRICS] as const;

export const HistoryQuerySchema = z.object({
  metric: z.enum(HISTORY_METRICS).optional(),
  from: IsoDateSchema.optional(),
  to: IsoDateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(1000),
  format: z.enum(['json', 'csv', 'geojson']).default('json'),
});
export type HistoryQuery = z.infer<typeof HistoryQuerySchema>;

/** The province series has no geometry of its own: JSON or CSV (each commune's has GeoJSON). */
export const ProvinceHistoryQuerySchema = HistoryQuerySchema.extend({ format: z.enum(['json', 'csv']).default('json'), province: ProvinceCodeSchema.optional() });

// ---- answers ------------------------------------------------------------------------------------

const Int = z.number().int();

/** One commune below a target (server/summary/gaps.ts `GapRow`); percentages in points, areas km². */
export const GapRowSchema = z
  .strictObject({
    code: z.string(),
    name: z.string(),
    value: z.number(),
    threshold: z.number(),
    shortfallPts: z.number(),
    population: Int.nullable(),
    households: Int.nullable(),
    peopleToReach: Int.nullable(),
    householdsToReach: Int.nullable(),
    uncoveredKm2: z.number().nullable(),
    uncoveredPopulation: Int.nullable(),
    areaToReachKm2: z.number().nullable(),
  })
  .meta({ id: 'GapRow' });

const GapsMeta = z.strictObject({
  target: TargetSchema.nullable(),
  metric: PctMetricSchema,
  threshold: z.number(),
  label: z.string(),
  communesTotal: Int,
  communesBelow: Int,
  communesMeeting: Int,
  /** Communes without a value (no fiber figures, no coverage computed). */
  noData: z.array(z.strictObject({ code: z.string(), name: z.string() })),
  /** Coverage metrics: the figures the gaps are computed from. */
  coverage: CoverageMetaSchema.optional(),
  /** Fiber metrics: where the figures come from. */
  fiber: z.strictObject({ synthetic: z.boolean(), operators: z.array(z.string()), asOf: IsoDateSchema.nullable() }).optional(),
});

/** `GET /api/gaps`: largest shortfall first (ties: more people or households behind it, then code). */
export const GapsSchema = GapsMeta.extend({ items: z.array(GapRowSchema) }).meta({ id: 'Gaps' });

/** `GET /api/gaps?format=geojson`: the communes below, in the same order, with their boundaries. */
export const GapsGeoJsonSchema = GapsMeta.extend({
  ...CommunesGeoJsonSchema.shape,
  features: z.array(CommuneFeatureSchema.extend({ properties: CommuneSummarySchema.extend({ ...GapRowSchema.shape, metric: PctMetricSchema, rank: Int }) })),
}).meta({ id: 'GapsGeoJson' });

/** A target against the computed figures (server/summary/progress.ts). */
export const TargetStatusSchema = z
  .strictObject({
    value: z.number().nullable(),
    met: z.boolean().nullable(),
    distancePts: z.number().nullable(),
    communesBelow: Int,
    communesWithData: Int,
    peopleToReach: Int.nullable(),
    householdsToReach: Int.nullable(),
    partial: z.boolean(),
  })
  .meta({ id: 'TargetStatus' });

const RollupFigure = z.strictObject({ areaPct: z.number(), populationPct: z.number(), coveredKm2: z.number(), coveredPopulation: Int, areaKm2: z.number(), population: Int });
const RollupByTechnology = z.partialRecord(TechnologySchema, RollupFigure);
const SiteTotals = { sites_count: Int, sites_3g4g_count: Int, sites_4g_count: Int, sites_5g_count: Int, sites_5g_new_count: Int };

/** `GET /api/summary`: the province at a glance. */
export const SummarySchema = z
  .strictObject({
    asOf: IsoDateSchema,
    /** What the figures rest on (synthetic data, partial fiber figures, the model). */
    notes: z.array(z.string()),
    province: z.strictObject({ communes: Int, population: Int, households: Int, areaKm2: z.number() }),
    stations: z.strictObject({
      asOf: IsoDateSchema,
      sites: Int,
      ...SiteTotals,
      byTechnology: z.partialRecord(TechnologySchema, Int),
      byOperator: z.record(z.string(), z.partialRecord(z.enum([...TECHNOLOGIES, 'sites']), Int)),
      demoStations: Int,
      realStations: Int,
      synthetic: z.boolean(),
    }),
    coverage: CoverageMetaSchema.extend({ technologies: RollupByTechnology, operators: z.record(z.string(), RollupByTechnology) }),
    fiber: ProvinceFiberSchema.extend({ synthetic: z.boolean() }),
    targets: z.array(TargetSchema.extend({ label: z.string(), status: TargetStatusSchema })),
    /** Each reported figure with the computed one it compares with (null: nothing comparable). */
    reported: z.array(ReportedFigureSchema.extend({ computed: z.strictObject({ value: z.number(), asOf: IsoDateSchema, label: z.string() }).nullable() })),
  })
  .meta({ id: 'Summary' });

/** One dated snapshot of a place's figures (metric → value; null: no data). */
export const HistoryPointSchema = z
  .strictObject({
    snapshotId: Int,
    takenAt: Timestamp,
    asOf: IsoDateSchema,
    trigger: z.enum(['recompute', 'broadband']),
    runId: Int.nullable(),
    importId: Int.nullable(),
    modelVersion: z.string().nullable(),
    figures: z.partialRecord(z.enum(HISTORY_METRICS), z.number().nullable()),
  })
  .meta({ id: 'HistoryPoint' });

const HistoryTarget = z.strictObject({ id: Int, code: z.string(), metric: PctMetricSchema, threshold: z.number(), deadlineYear: Int, scope: z.enum(TARGET_SCOPES) });
const HistoryBase = z.strictObject({ metric: z.enum(HISTORY_METRICS).nullable(), targets: z.array(HistoryTarget), count: Int, items: z.array(HistoryPointSchema) });

/** `GET /api/summary/history`: the province's snapshots, oldest first, and the targets for a chart. */
export const ProvinceHistorySchema = HistoryBase.meta({ id: 'ProvinceHistory' });

/** `GET /api/communes/:code/history`. */
export const CommuneHistorySchema = HistoryBase.extend({ code: z.string(), name: z.string() }).meta({ id: 'CommuneHistory' });

/** `GET /api/communes/:code/history?format=geojson`: the commune's display boundary with its series. */
export const CommuneHistoryFeatureSchema = CommuneDetailFeatureSchema.extend({
  properties: CommuneDetailSchema.extend({ attribution: Attribution, history: z.array(HistoryPointSchema), targets: z.array(HistoryTarget) }),
}).meta({ id: 'CommuneHistoryFeature' });
