import { z } from 'zod';

export const TECHNOLOGIES = ['2G', '3G', '4G', '5G'] as const;
export const STATION_STATUSES = ['planned', 'active', 'decommissioned'] as const;
export const STATION_FORMATS = ['csv', 'xlsx', 'opencellid', 'geojson'] as const;
export const IMPORT_MODES = ['merge', 'replace'] as const;

/** Operators known from the start; admins may add more (MNC under MCC 452 in TELECOM_FACTS.md). */
export const DEFAULT_OPERATORS = ['viettel', 'vnpt', 'mobifone', 'vietnamobile', 'gmobile'] as const;

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

export type Technology = (typeof TECHNOLOGIES)[number];
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
