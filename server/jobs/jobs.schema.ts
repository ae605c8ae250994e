import { z } from 'zod';
import { RecomputeResultSchema } from '../coverage/coverage.schema';

/** `GET /api/coverage/jobs/:id`, and the 202 of `POST /api/coverage/recompute`. */
export const JobSchema = z
  .strictObject({
    id: z.number().int(),
    /** `coverage`: a recompute (the only kind so far). */
    kind: z.literal('coverage'),
    status: z.enum(['queued', 'running', 'succeeded', 'failed']),
    phase: z.string(),
    percent: z.number().min(0).max(100),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime().nullable(),
    result: RecomputeResultSchema.nullable(),
    error: z.string().nullable(),
  })
  .meta({ id: 'Job' });
export type JobAnswer = z.infer<typeof JobSchema>;
