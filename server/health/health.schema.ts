import { z } from 'zod';

/** `GET /api/health`: 200 when the database answers. */
export const HealthSchema = z
  .strictObject({ status: z.literal('ok'), database: z.enum(['embedded', 'server']), postgis: z.string() })
  .meta({ id: 'Health' });

/** `GET /api/health`: 503 (plain JSON, not a problem: monitors read `status`). */
export const HealthDownSchema = z
  .strictObject({ status: z.literal('unavailable'), database: z.enum(['embedded', 'server']), postgis: z.null(), detail: z.string() })
  .meta({ id: 'HealthDown' });
