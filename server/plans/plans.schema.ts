import { z } from 'zod';
import { OperatorCodeSchema, TechnologySchema } from '../stations/stations.schema';
import { TargetCodeSchema } from '../targets/targets.schema';
import { PopulationModelSchema } from '../scenarios/scenarios.schema';
import { TerrainModelSchema } from '../coverage/coverage.schema';

/** Coverage metrics a plan can aim at (fiber is not built with radio sites). */
export const PLAN_METRICS = ['2g_population_pct', '2g_area_pct', '3g_population_pct', '3g_area_pct', '4g_population_pct', '4g_area_pct', '5g_population_pct', '5g_area_pct'] as const;

/** At most this many sites in one plan; a plan that needs more says so (`reached: false`). */
export const MAX_PLAN_SITES = 20_000;

export const PlanCreateSchema = z.object({
  target: z.union([TargetCodeSchema, z.object({ metric: z.enum(PLAN_METRICS), threshold: z.number().gt(0).max(100) }).strict()]),
  technology: TechnologySchema.optional(),
  operator: z.union([z.literal('all'), OperatorCodeSchema]).default('all'),
  candidates: z.enum(['upgrade', 'new', 'both']).default('both'),
  maxSites: z.number().int().min(1).max(MAX_PLAN_SITES).optional(),
  scope: z.union([z.literal('province'), z.array(z.string().regex(/^[0-9]{5}$/, 'a commune code is 5 digits')).min(1).max(1000)]).default('province'),
}).strict();
export type PlanCreate = z.infer<typeof PlanCreateSchema>;

export const PlanParamsSchema = z.object({ id: z.string().regex(/^[0-9]{1,15}$/, 'an id is a positive integer').transform(Number) });
export const PlanGetQuerySchema = z.object({ format: z.enum(['json', 'csv', 'geojson']).default('json') });

const Figure = z.object({ value: z.number(), coveredPopulation: z.number(), population: z.number(), coveredKm2: z.number(), areaKm2: z.number(), met: z.boolean() });
export const PlanSiteSchema = z.object({
  rank: z.number().int(), kind: z.enum(['upgrade', 'new']), stationId: z.number().int().nullable(), lon: z.number(), lat: z.number(),
  operator: z.string(), technology: TechnologySchema, bandMhz: z.number(), heightM: z.number(), communeCode: z.string(),
  peopleAdded: z.number(), areaAddedKm2: z.number(),
  cumulative: z.object({ value: z.number(), coveredPopulation: z.number(), coveredKm2: z.number() }),
});
export const PlanResultSchema = z.object({
  technology: TechnologySchema, metric: z.string(), threshold: z.number(), operator: z.string(), candidatesKind: z.enum(['upgrade', 'new', 'both']),
  scope: z.array(z.string()).nullable(), populationModel: PopulationModelSchema, terrainModel: TerrainModelSchema, modelVersion: z.string(), asOf: z.string(),
  before: Figure, after: Figure, reached: z.boolean(), sitesNeeded: z.number().int().nullable(), reason: z.string().nullable(),
  candidates: z.object({ upgrade: z.number().int(), new: z.number().int(), total: z.number().int() }),
  grids: z.object({ demandSpacingM: z.number(), demandPoints: z.number().int(), newSiteSpacing: z.string() }),
  sites: z.array(PlanSiteSchema),
  communes: z.array(z.object({ code: z.string(), before: z.number(), after: z.number(), metBefore: z.boolean(), metAfter: z.boolean() })),
  timings: z.object({ setupMs: z.number(), greedyMs: z.number(), totalMs: z.number().optional() }),
}).meta({ id: 'PlanResult' });
export const PlanSchema = z.object({
  id: z.number().int(), status: z.enum(['queued', 'running', 'done', 'failed']), percent: z.number(),
  request: z.object({}).passthrough(), result: PlanResultSchema.nullable(), error: z.string().nullable(),
  ownerOperator: z.string().nullable(), createdBy: z.string(), createdAt: z.string(), finishedAt: z.string().nullable(),
}).meta({ id: 'Plan' });
export const PlanListSchema = z.object({
  count: z.number().int(),
  items: z.array(PlanSchema.omit({ result: true }).extend({ summary: z.object({}).passthrough().nullable() })),
}).meta({ id: 'PlanList' });
