import { z } from 'zod';
import { TECHNOLOGIES, type Technology } from '../coverage/engine/types';
import { IssueSchema, PointSchema, Timestamp } from '../contract/parts';
import { DEFAULT_OPERATORS } from './operators';

// One list of technologies (the engine's) and of operators (./operators.ts), re-exported here.
export { DEFAULT_OPERATORS, TECHNOLOGIES, type Technology };
export const STATION_STATUSES = ['planned', 'active', 'decommissioned'] as const;
export const STATION_FORMATS = ['csv', 'xlsx', 'opencellid', 'geojson'] as const;
export const IMPORT_MODES = ['merge', 'replace'] as const;

/** Default cap on data rows in one uploaded file. */
export const MAX_IMPORT_ROWS = 100_000;

/**
 * Mainland Vietnam and its coastal islands (Phú Quốc, Côn Đảo, Thổ Chu, Bạch Long Vĩ), degrees.
 * Hoàng Sa and Trường Sa lie east of 110°E and are left out on purpose: this atlas covers
 * inland provinces, and the box is what tells a swapped lon/lat from a real position.
 */
export const VIETNAM_BOUNDS = { minLon: 102, maxLon: 110, minLat: 8, maxLat: 24 } as const;

/**
 * Nominal band labels (MHz) a radio of each technology may use in Vietnam. A label names the band,
 * not the exact carrier: 1800 is LTE band 3, 2600 covers Viettel's 2500–2600 MHz block.
 * Sources: 1800/900 GSM and 2100/900 UMTS licences of Viettel, VinaPhone and MobiFone; 4G licensed
 * on 1800 MHz in Oct 2016 (VietNamNet, "4G race in Vietnam heating up"); 5G auction of Mar 2024:
 * Viettel 2500–2600 MHz, VNPT 3700–3800 MHz, MobiFone 3800–3900 MHz (Light Reading 15 Mar 2024,
 * VietNamNet "Vietnam shares success lessons in 5G deployment"); Viettel won a 700 MHz block for
 * 4G and 5G in May 2025 (Việt Nam News 21 May 2025). 2300 MHz (LTE band 40): the 2023 auction had
 * no bidders, kept because trial and indoor networks use it. 3500 is the generic n78 label used in
 * trials and by vendors; 26000 is the mmWave trial band (n258).
 */
export const VIETNAM_BANDS_MHZ: Readonly<Record<Technology, readonly number[]>> = {
  '2G': [900, 1800],
  '3G': [900, 2100],
  '4G': [700, 900, 1800, 2100, 2300, 2600],
  '5G': [700, 2600, 3500, 3700, 3800, 26000],
};

/** Plausible ranges of the radio's numeric fields; the messages of the validator quote them. */
export const LIMITS = {
  /** Antenna height above ground, m: rooftop masts on tall buildings stay well below this. */
  heightM: { min: 0, max: 300 },
  /** Horizontal beamwidth, degrees; 360 is an omnidirectional antenna. */
  beamwidthDeg: { min: 0, max: 360 },
  /** Explicit coverage radius, m: GSM extended cells reach about 100 km at most. */
  radiusM: { min: 0, max: 100_000 },
  siteCodeLength: 64,
  nameLength: 200,
} as const;

export type StationStatus = (typeof STATION_STATUSES)[number];

export const TechnologySchema = z.enum(TECHNOLOGIES);
export const StationStatusSchema = z.enum(STATION_STATUSES);
export const StationFormatSchema = z.enum(STATION_FORMATS);
export const ImportModeSchema = z.enum(IMPORT_MODES);
export type StationFormat = z.infer<typeof StationFormatSchema>;
export type ImportMode = z.infer<typeof ImportModeSchema>;

/** Lower-case code such as `viettel`; admins add new ones in the same shape. */
export const OperatorCodeSchema = z.string().regex(/^[a-z][a-z0-9_-]{1,31}$/);

// Postgres refuses NUL in text, and other control characters only hide mistakes in a cell.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const cleanText = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((s) => !CONTROL_CHARS.test(s) && !LONE_SURROGATE.test(s) && s.trim() === s, {
      message: 'must be trimmed text without control characters',
    });

export const SiteCodeSchema = cleanText(LIMITS.siteCodeLength);
export const StationNameSchema = cleanText(LIMITS.nameLength);
/** YYYY-MM-DD, a real calendar day. */
export const IsoDateSchema = z.iso.date();

/** One radio of a station as it leaves validation, ready for the repository. */
export const RadioRowSchema = z
  .object({
    /** Row as a person sees it (csv/xlsx: header is row 1); geojson: 0-based feature index. */
    row: z.number().int().min(0),
    operator: OperatorCodeSchema,
    siteCode: SiteCodeSchema,
    name: StationNameSchema,
    lon: z.number().min(VIETNAM_BOUNDS.minLon).max(VIETNAM_BOUNDS.maxLon),
    lat: z.number().min(VIETNAM_BOUNDS.minLat).max(VIETNAM_BOUNDS.maxLat),
    heightM: z.number().gt(LIMITS.heightM.min).max(LIMITS.heightM.max).nullable(),
    technology: TechnologySchema,
    bandMhz: z.number().positive(),
    /** Clockwise from true north; null is omnidirectional. */
    azimuthDeg: z.number().min(0).lt(360).nullable(),
    beamwidthDeg: z.number().gt(LIMITS.beamwidthDeg.min).max(LIMITS.beamwidthDeg.max).nullable(),
    radiusM: z.number().gt(LIMITS.radiusM.min).max(LIMITS.radiusM.max).nullable(),
    status: StationStatusSchema,
    commissionedOn: IsoDateSchema.nullable(),
    decommissionedOn: IsoDateSchema.nullable(),
    /** OpenCelliD `range`, m: where the cell was heard, a hint and never a coverage radius. */
    rangeHintM: z.number().positive().nullable().optional(),
    /** OpenCelliD `samples`: how many measurements the position and range rest on. */
    samples: z.number().int().min(0).nullable().optional(),
  })
  .refine((r) => VIETNAM_BANDS_MHZ[r.technology].includes(r.bandMhz), {
    message: 'band does not exist for this technology in Vietnam',
    path: ['bandMhz'],
  })
  .refine((r) => !r.commissionedOn || !r.decommissionedOn || r.decommissionedOn >= r.commissionedOn, {
    message: 'decommissioned before commissioned',
    path: ['decommissionedOn'],
  });
export type RadioRow = z.infer<typeof RadioRowSchema>;

/** Identifies a position exactly (the same doubles), to reuse what is known about it. */
export const positionKey = (p: { lon: number; lat: number }): string => `${p.lon},${p.lat}`;

// z.coerce.boolean() would read the query string "false" as true.
const queryBoolean = z.union([z.boolean(), z.stringbool({ truthy: ['true', '1'], falsy: ['false', '0'] })]);

/** Query of `POST /api/stations/import` (and the CLI flags mapped onto it). */
export const ImportOptionsSchema = z.object({
  format: StationFormatSchema.optional(),
  mode: ImportModeSchema.default('merge'),
  dryRun: queryBoolean.default(false),
});
export type ImportOptions = z.infer<typeof ImportOptionsSchema>;

// ---- answers ------------------------------------------------------------------------------------

export const RadioSchema = z
  .strictObject({
    id: z.number().int(),
    technology: TechnologySchema,
    bandMhz: z.number(),
    azimuthDeg: z.number().nullable(),
    beamwidthDeg: z.number().nullable(),
    radiusM: z.number().nullable(),
    /** OpenCelliD `range`, m: a hint, never a coverage radius. */
    rangeHintM: z.number().nullable(),
    status: StationStatusSchema,
    commissionedOn: IsoDateSchema.nullable(),
    decommissionedOn: IsoDateSchema.nullable(),
  })
  .meta({ id: 'Radio' });

export const StationSchema = z
  .strictObject({
    id: z.number().int(),
    operator: OperatorCodeSchema,
    siteCode: z.string(),
    name: z.string(),
    lon: z.number(),
    lat: z.number(),
    communeCode: z.string().nullable(),
    heightM: z.number().nullable(),
    isDemo: z.boolean(),
    radios: z.array(RadioSchema),
  })
  .meta({ id: 'Station' });

/** `GET /api/stations`: pass `nextCursor` as `cursor` for the next page (null: the last one). */
export const StationPageSchema = z.strictObject({ items: z.array(StationSchema), nextCursor: z.string().nullable() }).meta({ id: 'StationPage' });

/** `GET /api/stations?format=geojson`. */
export const StationsGeoJsonSchema = z
  .strictObject({
    type: z.literal('FeatureCollection'),
    nextCursor: z.string().nullable(),
    features: z.array(z.strictObject({ type: z.literal('Feature'), id: z.number().int(), properties: StationSchema.omit({ lon: true, lat: true }), geometry: PointSchema })),
  })
  .meta({ id: 'StationsGeoJson' });

/** `GET /api/stations/:id`: the station, its radios and every recorded change. */
export const StationDetailSchema = StationSchema.extend({
  history: z.array(z.strictObject({ at: Timestamp, change: z.string(), radioId: z.number().int().nullable(), importId: z.number().int().nullable(), detail: z.unknown() })),
}).meta({ id: 'StationDetail' });

export const ImportCountsSchema = z
  .strictObject({
    stationsInserted: z.number().int(), stationsUpdated: z.number().int(),
    radiosInserted: z.number().int(), radiosUpdated: z.number().int(), radiosUnchanged: z.number().int(), radiosDecommissioned: z.number().int(),
  })
  .meta({ id: 'StationImportCounts' });

/**
 * `POST /api/stations/import` (200 for a dry run, 201 once written). Errors never come here: any
 * error is a 422 problem with the issues, and nothing is written.
 */
export const StationImportReportSchema = z
  .strictObject({
    importId: z.number().int(),
    status: z.literal('succeeded'),
    dryRun: z.boolean(),
    format: StationFormatSchema,
    mode: ImportModeSchema,
    rows: z.number().int(),
    operators: z.array(OperatorCodeSchema),
    counts: ImportCountsSchema,
    /** The first 1,000 warnings; `warningsTotal` counts them all. */
    warnings: z.array(IssueSchema),
    warningsTotal: z.number().int(),
    touchedCommunes: z.array(z.string()),
    /** The coverage recompute the write started (`GET /api/coverage/jobs/{id}`); null for a dry run or no change. */
    recomputeJobId: z.number().int().nullable(),
  })
  .meta({ id: 'StationImportReport' });

/** One upload in the import history (stations or broadband), whatever its outcome. */
export const ImportRecordSchema = z
  .strictObject({
    id: z.number().int(),
    /** `stations` or `broadband`. */
    kind: z.string(),
    actor: z.string(),
    operator: z.string().nullable(),
    fileName: z.string().nullable(),
    sha256: z.string(),
    bytes: z.number().int(),
    format: z.string().nullable(),
    mode: z.string(),
    dryRun: z.boolean(),
    status: z.enum(['running', 'succeeded', 'rejected', 'failed']),
    /** What the import wrote (or, rejected, how many errors and warnings). */
    counts: z.record(z.string(), z.number()),
    startedAt: Timestamp,
    finishedAt: Timestamp.nullable(),
  })
  .meta({ id: 'ImportRecord' });

/** `GET /api/imports`, `GET /api/broadband/imports`: newest first, by pages. */
export const ImportRecordPageSchema = z.strictObject({ items: z.array(ImportRecordSchema), nextCursor: z.string().nullable() }).meta({ id: 'ImportRecordPage' });

/** `GET /api/imports/:id`: the record with its stored report (the answer the upload got, or its issues). */
export const ImportRecordDetailSchema = ImportRecordSchema.extend({ report: z.record(z.string(), z.unknown()) }).meta({ id: 'ImportRecordDetail' });
