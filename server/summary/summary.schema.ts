import { z } from 'zod';
import { IsoDateSchema } from '../stations/stations.schema';
import { COUNT_METRICS, PCT_METRICS } from '../targets/metrics';
import { PctMetricSchema, TargetCodeSchema } from '../targets/targets.schema';

/** `GET /api/gaps`: a stored target (id or code), or a metric and a threshold. */
export const GapsQuerySchema = z
  .object({
    target: z.union([z.string().regex(/^[0-9]{1,15}$/).transform(Number), TargetCodeSchema]).optional(),
    metric: PctMetricSchema.optional(),
    threshold: z.coerce.number().min(0).max(100).optional(),
    format: z.enum(['json', 'csv', 'geojson']).default('json'),
  })
  .refine((q) => (q.target !== undefined) !== (q.metric !== undefined && q.threshold !== undefined), {
    message: 'give target=ID (or its code), or metric= and threshold=, not both',
    path: ['target'],
  })
  .refine((q) => q.target === undefined || (q.metric === undefined && q.threshold === undefined), { message: 'target= excludes metric= and threshold=', path: ['metric'] });

export const SummaryQuerySchema = z.object({ format: z.enum(['json', 'csv']).default('json') });

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
export const ProvinceHistoryQuerySchema = HistoryQuerySchema.extend({ format: z.enum(['json', 'csv']).default('json') });
