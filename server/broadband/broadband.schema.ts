import { z } from 'zod';
import { ProvinceQuerySchema } from '../provinces/provinces.schema';
import { CommuneCodeSchema, CommuneFeatureSchema, CommuneSummarySchema, CommunesGeoJsonSchema } from '../communes/communes.schema';
import { IssueSchema } from '../contract/parts';
import { ImportOptionsSchema, IsoDateSchema, OperatorCodeSchema } from '../stations/stations.schema';

export const BROADBAND_FORMATS = ['csv', 'json'] as const;
export type BroadbandFormat = (typeof BROADBAND_FORMATS)[number];

/** Data rows accepted in one upload: 148 communes × a few operators × many dates fits easily. */
export const MAX_BROADBAND_ROWS = 50_000;
/** No commune of Vietnam has this many households: a larger figure is a typo (an extra digit). */
export const MAX_HOUSEHOLDS_PER_ROW = 1_000_000;
/** Figures dated before this are not fiber-era data. */
export const EARLIEST_BROADBAND_DATE = '2000-01-01';

/** One validated row, ready for the repository. */
export const BroadbandRowSchema = z
  .object({
    /** Row as a person sees it (csv: header is row 1); json: 0-based index in `rows`. */
    row: z.number().int().min(0),
    communeCode: CommuneCodeSchema,
    operator: OperatorCodeSchema,
    asOf: IsoDateSchema,
    householdsPassed: z.number().int().min(0).max(MAX_HOUSEHOLDS_PER_ROW),
    subscriptions: z.number().int().min(0).max(MAX_HOUSEHOLDS_PER_ROW),
    ports: z.number().int().min(0).nullable(),
  })
  .refine((r) => r.subscriptions <= r.householdsPassed, { message: 'more subscriptions than households passed', path: ['subscriptions'] });
export type BroadbandRow = z.infer<typeof BroadbandRowSchema>;

/** Query of `POST /api/broadband/import`. */
export const BroadbandImportQuerySchema = ImportOptionsSchema.pick({ dryRun: true }).extend({
  format: z.enum(BROADBAND_FORMATS).optional(),
  operator: OperatorCodeSchema.optional(),
});

/** Query of `GET /api/broadband`: figures per commune and for the province. */
export const BroadbandQuerySchema = ProvinceQuerySchema.extend({
  asOf: IsoDateSchema.optional(),
  commune: CommuneCodeSchema.optional(),
  format: z.enum(['json', 'csv', 'geojson']).default('json'),
});

export const BroadbandImportListQuerySchema = z.object({
  operator: OperatorCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().regex(/^[0-9]{1,15}$/).transform(Number).optional(),
});

// ---- answers ------------------------------------------------------------------------------------

const FiberOperatorSchema = z.strictObject({
  operator: OperatorCodeSchema, asOf: IsoDateSchema, householdsPassed: z.number().int(), subscriptions: z.number().int(), ports: z.number().int().nullable(),
});

/** One commune's fiber figures (server/broadband/fiber.ts `CommuneFiber`); percentages in points. */
export const CommuneFiberSchema = z
  .strictObject({
    communeCode: CommuneCodeSchema,
    households: z.number().int().nullable(),
    operators: z.array(FiberOperatorSchema),
    asOf: IsoDateSchema,
    subscriptions: z.number().int(),
    householdsPassed: z.number().int(),
    householdsPassedSum: z.number().int(),
    ports: z.number().int().nullable(),
    fiberPct: z.number().nullable(),
    fiberPctRaw: z.number().nullable(),
    passedPct: z.number().nullable(),
    passedPctUpper: z.number().nullable(),
    exceeds100: z.boolean(),
    isDemo: z.boolean(),
  })
  .meta({ id: 'CommuneFiber' });

export const ProvinceFiberSchema = z
  .strictObject({
    communesTotal: z.number().int(),
    communesWithData: z.number().int(),
    communesWithFiber: z.number().int(),
    households: z.number().int(),
    subscriptions: z.number().int(),
    subscriptionsCapped: z.number().int(),
    householdsPassedCapped: z.number().int(),
    fiberPct: z.number().nullable(),
    passedPct: z.number().nullable(),
    fiberCommunesPct: z.number().nullable(),
    communesExceeding: z.array(CommuneCodeSchema),
    operators: z.array(OperatorCodeSchema),
    asOf: IsoDateSchema.nullable(),
  })
  .meta({ id: 'ProvinceFiber' });

/** `GET /api/broadband`. */
export const BroadbandFiguresSchema = z
  .strictObject({
    asOf: IsoDateSchema.nullable(),
    /** Some figures are the synthetic demo set (DEMO_DATA). */
    synthetic: z.boolean(),
    province: ProvinceFiberSchema,
    communes: z.array(CommuneFiberSchema.extend({ name: z.string() })),
  })
  .meta({ id: 'BroadbandFigures' });

/** `GET /api/broadband?format=geojson`: every commune's boundary with its figures (null: none uploaded). */
export const BroadbandGeoJsonSchema = CommunesGeoJsonSchema.extend({
  synthetic: z.boolean(),
  province: ProvinceFiberSchema,
  features: z.array(CommuneFeatureSchema.extend({ properties: CommuneSummarySchema.extend({ broadband: CommuneFiberSchema.omit({ communeCode: true }).nullable() }) })),
}).meta({ id: 'BroadbandGeoJson' });

/** `POST /api/broadband/import` (200 for a dry run, 201 once written); errors are 422 problems. */
export const BroadbandImportReportSchema = z
  .strictObject({
    importId: z.number().int(),
    status: z.literal('succeeded'),
    dryRun: z.boolean(),
    format: z.enum(BROADBAND_FORMATS),
    rows: z.number().int(),
    operators: z.array(OperatorCodeSchema),
    communes: z.array(CommuneCodeSchema),
    counts: z.strictObject({ inserted: z.number().int(), updated: z.number().int(), unchanged: z.number().int() }),
    warnings: z.array(IssueSchema),
    warningsTotal: z.number().int(),
    /** The history snapshot the write added; null for a dry run. */
    snapshotId: z.number().int().nullable(),
  })
  .meta({ id: 'BroadbandImportReport' });
