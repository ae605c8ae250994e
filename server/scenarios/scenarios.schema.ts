import { z } from 'zod';
import { LIMITS, OperatorCodeSchema, TechnologySchema } from '../stations/stations.schema';
import { TerrainModelSchema } from '../coverage/coverage.schema';

const Lon = z.number().min(-180).max(180);
const Lat = z.number().min(-90).max(90);
const Band = z.number().positive().max(100_000);
const Height = z.number().positive().max(LIMITS.heightM.max);
const Id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export const AddChangeSchema = z.object({
  kind: z.literal('add'),
  lon: Lon, lat: Lat, operator: OperatorCodeSchema, technology: TechnologySchema,
  bandMhz: Band.optional(), heightM: Height.optional(),
  azimuthDeg: z.number().min(0).lt(360).nullable().optional(), beamwidthDeg: z.number().gt(0).max(360).nullable().optional(),
  siteCode: z.string().min(1).max(LIMITS.siteCodeLength).optional(),
}).strict();
export const UpgradeChangeSchema = z.object({ kind: z.literal('upgrade'), stationId: Id, technology: TechnologySchema, bandMhz: Band.optional(), heightM: Height.optional() }).strict();
export const OffChangeSchema = z.object({ kind: z.literal('off'), stationId: Id, technology: TechnologySchema.optional() }).strict();
export const ChangeSchema = z.discriminatedUnion('kind', [AddChangeSchema, UpgradeChangeSchema, OffChangeSchema]);

/** At most this many changes in one scenario. */
export const MAX_CHANGES = 5000;

const Name = z.string().trim().min(1).max(200);

export const ScenarioCreateSchema = z.union([
  z.object({ name: Name, changes: z.array(ChangeSchema).max(MAX_CHANGES) }).strict(),
  z.object({ name: Name, fromPlan: Id }).strict(),
]);
export const ScenarioPatchSchema = z.object({ name: Name.optional(), changes: z.array(ChangeSchema).max(MAX_CHANGES).optional() }).strict()
  .refine((p) => p.name !== undefined || p.changes !== undefined, { message: 'give name or changes' });
export const ScenarioParamsSchema = z.object({ id: z.string().regex(/^[0-9]{1,15}$/, 'an id is a positive integer').transform(Number) });
const AsOf = z.iso.date({ message: 'asOf is a date, YYYY-MM-DD' }).refine((d) => d >= '1990-01-01' && d <= '2100-12-31', 'asOf out of range');
export const ScenarioEvalQuerySchema = z.object({ asOf: AsOf.optional() });
export const ScenarioCoverageQuerySchema = z.object({
  asOf: AsOf.optional(),
  technology: TechnologySchema.optional(),
  operator: z.union([z.literal('all'), OperatorCodeSchema]).optional(),
});

export type ScenarioCreate = z.infer<typeof ScenarioCreateSchema>;
export type ScenarioPatch = z.infer<typeof ScenarioPatchSchema>;

// ---- answers ----------------------------------------------------------------------------------

export const PopulationModelSchema = z.object({ id: z.string(), description: z.string() });

export const ScenarioSchema = z.object({
  id: z.number().int(), name: z.string(), changes: z.array(ChangeSchema), fromPlanId: z.number().int().nullable(),
  ownerOperator: z.string().nullable(), createdBy: z.string(), createdAt: z.string(), updatedAt: z.string(),
}).meta({ id: 'Scenario' });
export const ScenarioListSchema = z.object({
  count: z.number().int(),
  items: z.array(ScenarioSchema.omit({ changes: true }).extend({ changesCount: z.number().int() })),
}).meta({ id: 'ScenarioList' });
export const CreatedSchema = z.object({ id: z.number().int() }).meta({ id: 'Created' });

const TechnologyFigure = z.object({ areaPct: z.number(), populationPct: z.number(), coveredKm2: z.number(), coveredPopulation: z.number(), areaKm2: z.number(), population: z.number() });
const Difference = z.object({ areaPct: z.number(), populationPct: z.number(), coveredPopulation: z.number(), coveredKm2: z.number() });

export const ScenarioSummarySchema = z.object({
  scenario: z.object({ id: z.number().int(), name: z.string(), changes: z.number().int() }),
  asOf: z.string(), computedAt: z.string(), modelVersion: z.string(), populationModel: PopulationModelSchema, terrainModel: TerrainModelSchema, evaluationMs: z.number(),
  skipped: z.array(z.object({ index: z.number().int(), reason: z.string() })),
  notes: z.array(z.string()),
  province: z.object({ communes: z.number().int(), population: z.number(), areaKm2: z.number() }),
  coverage: z.object({ technologies: z.record(z.string(), TechnologyFigure), operators: z.record(z.string(), z.record(z.string(), TechnologyFigure)) }),
  baseline: z.object({ technologies: z.record(z.string(), TechnologyFigure) }),
  difference: z.object({ technologies: z.record(z.string(), Difference) }),
  targets: z.array(z.object({
    id: z.number().int(), code: z.string(), title: z.string(), metric: z.string(), threshold: z.number(), scope: z.string(),
    status: z.object({ value: z.number().nullable(), met: z.boolean().nullable(), distancePts: z.number().nullable(), communesBelow: z.number().int(), peopleToReach: z.number().nullable() }),
    baseline: z.object({ value: z.number().nullable(), met: z.boolean().nullable() }),
  })),
  communes: z.array(z.object({ code: z.string(), name: z.string(), metrics: z.record(z.string(), z.object({ value: z.number(), baseline: z.number(), difference: z.number() })) })),
}).meta({ id: 'ScenarioSummary' });

const ScenarioFigure = z.object({
  communeCode: z.string(), technology: TechnologySchema, operator: z.string(), areaKm2: z.number(), coveredKm2: z.number(), areaPct: z.number(),
  population: z.number(), coveredPopulation: z.number(), populationPct: z.number(),
  baseline: z.object({ areaPct: z.number(), populationPct: z.number(), coveredPopulation: z.number(), coveredKm2: z.number() }),
  difference: Difference,
});
export const ScenarioCoverageSchema = z.object({
  scenario: z.object({ id: z.number().int(), name: z.string() }),
  computedAt: z.string(), asOf: z.string(), modelVersion: z.string(), stale: z.boolean(), populationModel: PopulationModelSchema, terrainModel: TerrainModelSchema,
  province: z.array(ScenarioFigure.omit({ communeCode: true })),
  communes: z.array(ScenarioFigure),
}).meta({ id: 'ScenarioCoverage' });
