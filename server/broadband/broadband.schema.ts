import { z } from 'zod';
import { CommuneCodeSchema } from '../communes/communes.schema';
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
export const BroadbandQuerySchema = z.object({
  asOf: IsoDateSchema.optional(),
  commune: CommuneCodeSchema.optional(),
  format: z.enum(['json', 'csv', 'geojson']).default('json'),
});

export const BroadbandImportListQuerySchema = z.object({
  operator: OperatorCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
  cursor: z.string().regex(/^[0-9]{1,15}$/).transform(Number).optional(),
});
