import { z } from 'zod';
import { Timestamp } from '../contract/parts';
import { IsoDateSchema } from '../stations/stations.schema';
import { PCT_METRICS } from './metrics';
import { ProvinceCodeSchema, ProvinceQuerySchema } from '../provinces/provinces.schema';

export const TARGET_SCOPES = ['province', 'commune'] as const;
export type TargetScope = (typeof TARGET_SCOPES)[number];

const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const text = (max: number) => z.string().trim().min(1).max(max).refine((s) => !CONTROL_CHARS.test(s), 'must not contain control characters');

export const PctMetricSchema = z.enum(PCT_METRICS);
// At least one letter: a code of digits alone would read as an id in /api/targets/:id.
export const TargetCodeSchema = z.string().regex(/^(?=.*[a-z])[a-z0-9][a-z0-9-]{1,63}$/, 'a code is lower-case letters, digits and dashes with at least one letter, e.g. pt-2026-5g-area');

const SourceSchema = z.strictObject({
  document: text(300),
  date: IsoDateSchema.nullable().optional(),
  quote: text(2000).nullable().optional(),
  url: z.url({ protocol: /^https?$/ }).max(2000).nullable().optional(),
});

/** Body of `POST /api/targets` (admin). */
export const TargetInputSchema = z.strictObject({
  code: TargetCodeSchema,
  title: text(300),
  metric: PctMetricSchema,
  /** Percentage points. */
  threshold: z.number().min(0).max(100),
  deadlineYear: z.number().int().min(2000).max(2100),
  /** `province`: the province's figure must reach it; `commune`: every commune's. */
  scope: z.enum(TARGET_SCOPES).default('province'),
  /**
   * Whose target it is: a province's code, or null for a national one. Absent: the whole
   * database's (its province when it holds one, national when it holds several).
   */
  provinceCode: ProvinceCodeSchema.nullable().optional(),
  source: SourceSchema,
  notes: text(4000).nullable().optional(),
});
export type TargetInput = z.infer<typeof TargetInputSchema>;

/** Body of `PATCH /api/targets/:id` (admin): any field of a target; the source's fields one by one. */
export const TargetPatchSchema = z
  .strictObject({
    code: TargetCodeSchema, title: text(300), metric: PctMetricSchema, threshold: z.number().min(0).max(100),
    deadlineYear: z.number().int().min(2000).max(2100), scope: z.enum(TARGET_SCOPES), provinceCode: ProvinceCodeSchema.nullable(),
    source: SourceSchema.partial(), notes: text(4000).nullable(),
  })
  .partial()
  .refine((p) => Object.keys(p).length > 0, 'nothing to change');
export type TargetPatch = z.infer<typeof TargetPatchSchema>;

/** `:id` is the number or the code. */
export const TargetParamsSchema = z.object({ id: z.union([z.string().regex(/^[0-9]{1,15}$/).transform(Number), TargetCodeSchema]) });

export const ListQuerySchema = ProvinceQuerySchema.extend({ format: z.enum(['json', 'csv']).default('json') });

// ---- answers ------------------------------------------------------------------------------------

export const TargetSchema = z
  .strictObject({
    id: z.number().int(),
    code: z.string(),
    title: z.string(),
    metric: PctMetricSchema,
    /** Percentage points. */
    threshold: z.number(),
    deadlineYear: z.number().int(),
    scope: z.enum(TARGET_SCOPES),
    /** The province whose target it is; null: a national target. */
    provinceCode: z.string().nullable(),
    source: z.strictObject({ document: z.string(), date: IsoDateSchema.nullable(), quote: z.string().nullable(), url: z.string().nullable() }),
    notes: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    updatedBy: z.string(),
  })
  .meta({ id: 'Target' });
export type Target = z.infer<typeof TargetSchema>;

/** `GET /api/targets`. */
export const TargetListSchema = z.strictObject({ count: z.number().int(), items: z.array(TargetSchema) }).meta({ id: 'TargetList' });

/** A figure an authority reported, with its source; kept apart from the targets. */
export const ReportedFigureSchema = z
  .strictObject({
    id: z.number().int(),
    code: z.string(),
    label: z.string(),
    value: z.number(),
    unit: z.string(),
    qualifier: z.enum(['exactly', 'about', 'more_than', 'at_least']),
    /** The computed figure it compares with (server/targets/metrics.ts); null: nothing comparable. */
    metric: z.string().nullable(),
    /** null: all operators. */
    operator: z.string().nullable(),
    /** Which territory the figure is about, in words, and its province (null: the country). */
    area: z.string(),
    provinceCode: z.string().nullable(),
    asOf: IsoDateSchema,
    source: z.strictObject({ document: z.string(), date: IsoDateSchema, quote: z.string().nullable() }),
    notes: z.string().nullable(),
  })
  .meta({ id: 'ReportedFigure' });
export type ReportedFigure = z.infer<typeof ReportedFigureSchema>;

/** `GET /api/reported`. */
export const ReportedListSchema = z.strictObject({ count: z.number().int(), items: z.array(ReportedFigureSchema) }).meta({ id: 'ReportedList' });
