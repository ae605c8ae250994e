import { z } from 'zod';
import { OperatorCodeSchema, TechnologySchema } from '../stations/stations.schema';

const AsOf = z.iso.date({ message: 'asOf is a date, YYYY-MM-DD' }).refine((d) => d >= '1990-01-01' && d <= '2100-12-31', 'asOf out of range');
const Operator = z.union([z.literal('all'), OperatorCodeSchema]);

export const CoverageQuerySchema = z.object({
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
