import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** The project root: paths in the configuration are resolved against it, not the shell's cwd. */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const emptyAsUndefined = (v: unknown) => (v === '' ? undefined : v);

/**
 * Test-only (test/api/faults.test.ts): milliseconds a station write waits once every row of it is
 * written and before it commits, after saying so on stderr, so that a test can kill the process or
 * stop the service exactly mid-write. 0, the default, leaves the write path untouched.
 */
const TestPauseMidWriteMs = z.coerce.number().int().min(0).max(600_000).default(0);

// Every setting with its default, in one place. README "Configuration" mirrors this table.
const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  DATA_DIR: z.string().default('.data'),
  GEODATA_DIR: z.string().default('../shared/geodata/phu-tho'),
  // Empty string: vietnam/provinces-2025.csv beside GEODATA_DIR (GEODATA_DIR/../vietnam/).
  PROVINCES_CSV: z.string().default(''),
  // Empty string: vietnam/vietnam-wards-2025-simplified.geojson beside GEODATA_DIR (GEODATA_DIR/../vietnam/).
  NATIONAL_COMMUNES: z.string().default(''),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  CLIENT_DIR: z.string().default('dist/client'),
  PUBLIC_READS: z.stringbool().default(true),
  DEMO_DATA: z.stringbool().default(true),
  MAX_UPLOAD_MB: z.coerce.number().positive().max(1024).default(50),
  CORS_ORIGINS: z.string().default(''),
  RATE_LIMIT_WRITES: z.coerce.number().int().min(0).default(60),
  RATE_LIMIT_EXPENSIVE_READS: z.coerce.number().int().min(0).default(600),
  BASEMAP_URL: z.preprocess(emptyAsUndefined, z.string().url().optional()),
  BASEMAP_ATTRIBUTION: z.string().max(500).default(''),
  // Empty string: the even spread of each commune's population (no grid).
  POPULATION_RASTER: z.string().default('../shared/geodata/population/vnm_ppp_2020_1km_Aggregated_UNadj.tif'),
  // Empty string: flat ground (today's footprints).
  TERRAIN_DIR: z.string().default('../shared/geodata/terrain'),
  TEST_PAUSE_MID_WRITE_MS: TestPauseMidWriteMs,
});

export interface Config {
  port: number;
  host: string;
  /** Set: the server engine (PostgreSQL + PostGIS). Unset: the embedded engine in dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  geodataDir: string;
  /** The provinces list (code, names, kind) a commune import names provinces from. */
  provincesCsv: string;
  /** The national communes file (all 34 provinces, simplified): bench:national and the national tests read it. */
  nationalCommunes: string;
  clientDir: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** GET requests without a token are allowed. */
  publicReads: boolean;
  /** Load the synthetic demo stations into an empty station table at start. */
  demoData: boolean;
  maxUploadBytes: number;
  /** Origins allowed to call the API from a browser; empty: CORS off. */
  corsOrigins: string[];
  /** Requests a minute per token or address; 0: no limit. */
  rateLimitWrites: number;
  rateLimitExpensiveReads: number;
  /** Optional raster/vector basemap style or tile URL for deployments that have one. */
  basemapUrl: string | null;
  /** Credit shown on the map for that basemap. */
  basemapAttribution: string;
  /** GeoTIFF of people per cell (EPSG:4326) for the dasymetric spread; null: even spread everywhere. */
  populationRaster: string | null;
  /** Folder of SRTM `.hgt` tiles (3″ or 1″, standard names); null: flat ground. */
  terrainDir: string | null;
}

/**
 * loadConfig's refusal. A start that fails here has no Config to say how much to print, so the
 * error carries LOG_LEVEL itself: the setting when it was valid on its own, null when not.
 */
export class InvalidConfigError extends Error {
  constructor(message: string, readonly logLevel: Config['logLevel'] | null) {
    super(message);
    this.name = 'InvalidConfigError';
  }
}

/** Parses the environment once; the only reader of process.env in the service. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    const logLevel = EnvSchema.shape.LOG_LEVEL.safeParse(env.LOG_LEVEL);
    throw new InvalidConfigError(`invalid configuration: ${lines.join('; ')}`, logLevel.success ? logLevel.data : null);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: path.resolve(PROJECT_ROOT, e.DATA_DIR),
    geodataDir: path.resolve(PROJECT_ROOT, e.GEODATA_DIR),
    provincesCsv: e.PROVINCES_CSV.trim()
      ? path.resolve(PROJECT_ROOT, e.PROVINCES_CSV)
      : path.resolve(PROJECT_ROOT, e.GEODATA_DIR, '..', 'vietnam', 'provinces-2025.csv'),
    nationalCommunes: e.NATIONAL_COMMUNES.trim()
      ? path.resolve(PROJECT_ROOT, e.NATIONAL_COMMUNES)
      : path.resolve(PROJECT_ROOT, e.GEODATA_DIR, '..', 'vietnam', 'vietnam-wards-2025-simplified.geojson'),
    clientDir: path.resolve(PROJECT_ROOT, e.CLIENT_DIR),
    logLevel: e.LOG_LEVEL,
    publicReads: e.PUBLIC_READS,
    demoData: e.DEMO_DATA,
    maxUploadBytes: Math.round(e.MAX_UPLOAD_MB * 1024 * 1024),
    corsOrigins: e.CORS_ORIGINS.split(',').map((o) => o.trim()).filter(Boolean),
    rateLimitWrites: e.RATE_LIMIT_WRITES,
    rateLimitExpensiveReads: e.RATE_LIMIT_EXPENSIVE_READS,
    basemapUrl: e.BASEMAP_URL ?? null,
    basemapAttribution: e.BASEMAP_ATTRIBUTION,
    populationRaster: e.POPULATION_RASTER.trim() ? path.resolve(PROJECT_ROOT, e.POPULATION_RASTER) : null,
    terrainDir: e.TERRAIN_DIR.trim() ? path.resolve(PROJECT_ROOT, e.TERRAIN_DIR) : null,
  });
}

/**
 * TEST_PAUSE_MID_WRITE_MS (test-only, see above), read on its own so that the write path needs no
 * wiring for a setting that production never sets; loadConfig has already refused a bad value at start.
 */
export function testPauseMidWriteMs(env: NodeJS.ProcessEnv = process.env): number {
  return TestPauseMidWriteMs.parse(emptyAsUndefined(env.TEST_PAUSE_MID_WRITE_MS));
}
