import { z } from 'zod';
import { CommuneCodeSchema } from '../communes/communes.schema';
import { ProvinceCodeSchema } from '../provinces/provinces.schema';
import { ImportOptionsSchema, OperatorCodeSchema, StationStatusSchema, TechnologySchema } from './stations.schema';

export const MAX_PAGE = 1000;

const Bbox = z
  .string()
  .transform((s, ctx) => {
    const parts = s.split(',').map(Number);
    const [minLon, minLat, maxLon, maxLat] = parts;
    if (parts.length !== 4 || parts.some((n) => !Number.isFinite(n))) {
      ctx.addIssue({ code: 'custom', message: 'bbox is minLon,minLat,maxLon,maxLat' });
      return z.NEVER;
    }
    if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90 || minLon > maxLon || minLat > maxLat) {
      ctx.addIssue({ code: 'custom', message: 'bbox out of range or inverted (lon −180…180, lat −90…90)' });
      return z.NEVER;
    }
    return [minLon, minLat, maxLon, maxLat] as [number, number, number, number];
  });

export const StationListQuerySchema = z.object({
  bbox: Bbox.optional(),
  operator: OperatorCodeSchema.optional(),
  technology: TechnologySchema.optional(),
  status: StationStatusSchema.optional(),
  commune: CommuneCodeSchema.optional(),
  /** Stations of a province (one outside every commune belongs to the nearest commune's province). */
  province: ProvinceCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(100),
  /** Opaque to clients: the id of the last station of the previous page. */
  cursor: z.string().regex(/^[0-9]{1,15}$/, 'cursor comes from nextCursor of a previous page').transform(Number).optional(),
  format: z.enum(['json', 'geojson']).default('json'),
});

export const IdParamsSchema = z.object({ id: z.string().regex(/^[0-9]{1,15}$/, 'an id is a positive integer').transform(Number) });

export const ImportQuerySchema = ImportOptionsSchema.extend({ operator: OperatorCodeSchema.optional() });

export const ImportListQuerySchema = z.object({
  operator: OperatorCodeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
  cursor: z.string().regex(/^[0-9]{1,15}$/).transform(Number).optional(),
});
