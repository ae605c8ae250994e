import type { Knex } from 'knex';
import { positionKey, type ImportMode, type RadioRow, type StationStatus, type Technology } from './stations.schema';
import { STAGE_BATCH_ROWS, columns, groupSites, writeInTransaction, type StagedSite } from './stations.write';

export interface ImportCounts {
  stationsInserted: number;
  stationsUpdated: number;
  radiosInserted: number;
  radiosUpdated: number;
  radiosUnchanged: number;
  radiosDecommissioned: number;
}

export interface WriteResult {
  counts: ImportCounts;
  /** Stations whose position or radios changed: the coverage around them must be recomputed. */
  touchedStationIds: number[];
  /** Communes the touched stations stood in before the write and stand in after it. */
  touchedCommunes: string[];
}

export interface StationFilter {
  bbox?: [number, number, number, number];
  operator?: string;
  technology?: Technology;
  status?: StationStatus;
  commune?: string;
  province?: string;
  limit: number;
  afterId?: number;
}

export interface RadioView {
  id: number;
  technology: Technology;
  bandMhz: number;
  azimuthDeg: number | null;
  beamwidthDeg: number | null;
  radiusM: number | null;
  rangeHintM: number | null;
  status: StationStatus;
  commissionedOn: string | null;
  decommissionedOn: string | null;
}

export interface StationView {
  id: number;
  operator: string;
  siteCode: string;
  name: string;
  lon: number;
  lat: number;
  communeCode: string | null;
  heightM: number | null;
  isDemo: boolean;
  radios: RadioView[];
}

export interface LocatedPoint {
  communeCode: string | null;
  distanceToProvinceKm: number;
}

export interface StationsRepo {
  operators(): Promise<Array<{ code: string; name: string; mnc: string | null }>>;
  /** Commune of each point, and its distance to the nearest commune when it is in none. */
  locate(points: ReadonlyArray<{ lon: number; lat: number }>): Promise<LocatedPoint[]>;
  /**
   * Writes validated rows in one transaction: `merge` upserts by (operator, site code, technology,
   * band, azimuth); `replace` also decommissions the radios of `operators` missing from the rows.
   * With `dryRun` the same statements run and are rolled back, so the counts are exact.
   * `communeAt`: the communes `locate` found for the rows' positions (`positionKey`), so that
   * validation and write place a station alike and only once; positions missing there are located
   * before the transaction.
   */
  write(
    rows: readonly RadioRow[],
    options: {
      mode: ImportMode; operators: readonly string[]; dryRun: boolean; importId: number | null; isDemo?: boolean; communeAt?: ReadonlyMap<string, string | null>;
      /** `groupSites(rows)` done already (an upload's worker thread does it), so the event loop need not. */
      grouped?: { sites: readonly StagedSite[]; siteOfRow: Int32Array };
    },
  ): Promise<WriteResult>;
  list(filter: StationFilter): Promise<StationView[]>;
  get(id: number): Promise<StationView | null>;
  history(stationId: number): Promise<Array<{ at: Date; change: string; radioId: number | null; importId: number | null; detail: unknown }>>;
  count(): Promise<number>;
}

class DryRunRollback extends Error {
  constructor(readonly result: WriteResult) {
    super('dry run');
  }
}

const RADIO_JSON = `json_build_object('id', r.id, 'technology', r.technology, 'bandMhz', r.band_mhz, 'azimuthDeg', r.azimuth_deg,
  'beamwidthDeg', r.beamwidth_deg, 'radiusM', r.radius_m, 'rangeHintM', r.range_hint_m, 'status', r.status,
  'commissionedOn', to_char(r.commissioned_on, 'YYYY-MM-DD'), 'decommissionedOn', to_char(r.decommissioned_on, 'YYYY-MM-DD'))`;

const STATION_SELECT = `SELECT s.id, s.operator, s.site_code AS "siteCode", s.name, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat,
    s.commune_code AS "communeCode", s.height_m AS "heightM", s.is_demo AS "isDemo",
    coalesce((SELECT json_agg(${RADIO_JSON} ORDER BY r.technology, r.band_mhz, r.azimuth_deg) FROM radios r WHERE r.station_id = s.id), '[]'::json) AS radios
  FROM stations s`;

export function createStationsRepo(knex: Knex): StationsRepo {
  return {
    async operators() {
      return (await knex.raw('SELECT code, name, mnc FROM operators ORDER BY code')).rows;
    },

    locate: (points) => locatePoints(knex, points),

    async write(rows, options) {
      const { sites, siteOfRow } = options.grouped ?? groupSites(rows);
      let communeAt = options.communeAt ?? new Map<string, string | null>();
      const unknown = sites.filter((s) => !communeAt.has(positionKey(s)));
      if (unknown.length) {
        const located = await locatePoints(knex, unknown);
        const known = new Map(communeAt);
        unknown.forEach((s, k) => known.set(positionKey(s), located[k].communeCode));
        communeAt = known;
      }
      try {
        return await knex.transaction(async (trx) => {
          const result = await writeInTransaction(trx, rows, { sites, siteOfRow, communeAt }, options);
          if (options.dryRun) throw new DryRunRollback(result);
          return result;
        });
      } catch (err) {
        if (err instanceof DryRunRollback) return err.result;
        throw err;
      }
    },

    async list(f) {
      const where: string[] = [];
      const bindings: Knex.Value[] = [];
      if (f.bbox) {
        where.push('s.geom && ST_MakeEnvelope(?, ?, ?, ?, 4326)');
        bindings.push(...f.bbox);
      }
      if (f.operator) { where.push('s.operator = ?'); bindings.push(f.operator); }
      if (f.commune) { where.push('s.commune_code = ?'); bindings.push(f.commune); }
      if (f.province) { where.push('s.province_code = ?'); bindings.push(f.province); }
      if (f.technology || f.status) {
        where.push(`EXISTS (SELECT 1 FROM radios r WHERE r.station_id = s.id${f.technology ? ' AND r.technology = ?' : ''}${f.status ? ' AND r.status = ?' : ''})`);
        if (f.technology) bindings.push(f.technology);
        if (f.status) bindings.push(f.status);
      }
      if (f.afterId !== undefined) { where.push('s.id > ?'); bindings.push(f.afterId); }
      const sql = `${STATION_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY s.id LIMIT ?`;
      return (await knex.raw(sql, [...bindings, f.limit])).rows;
    },

    async get(id) {
      return (await knex.raw(`${STATION_SELECT} WHERE s.id = ?`, [id])).rows[0] ?? null;
    },

    async history(stationId) {
      const { rows } = await knex.raw(
        'SELECT at, change, radio_id AS "radioId", import_id AS "importId", detail FROM station_events WHERE station_id = ? ORDER BY at, id',
        [stationId],
      );
      return rows;
    },

    async count() {
      return (await knex.raw('SELECT count(*) AS n FROM stations')).rows[0].n;
    },
  };
}

/**
 * Point in commune for many points at once. The points go into a temporary table with a GiST
 * index so that the join is driven from the communes: 148 outer rows, each tested against the
 * points in its box with the polygon prepared once (PostGIS caches it while the same geometry
 * repeats). Driven from the points, every test met a different, unprepared full-resolution
 * polygon, an order of magnitude slower (test/bench/README.md, "Import"). The smallest code wins
 * where communes overlap.
 */
async function locatePoints(knex: Knex, points: ReadonlyArray<{ lon: number; lat: number }>): Promise<LocatedPoint[]> {
  if (points.length === 0) return [];
  return knex.transaction(async (trx) => {
    // The estimates are high enough for the server to JIT-compile this query, which cost more than the query itself.
    await trx.raw(`SET LOCAL jit = off; SET LOCAL work_mem = '32MB';
      CREATE TEMP TABLE locate_points (i int, g geometry(Point, 4326)) ON COMMIT DROP`);
    for (let i = 0; i < points.length; i += STAGE_BATCH_ROWS) {
      const b = points.slice(i, i + STAGE_BATCH_ROWS);
      await trx.raw(
        'INSERT INTO locate_points SELECT i, ST_SetSRID(ST_MakePoint(lon, lat), 4326) FROM unnest(?::int[], ?::float8[], ?::float8[]) AS x(i, lon, lat)',
        columns(b.map((_, k) => i + k), b.map((p) => p.lon), b.map((p) => p.lat)),
      );
    }
    await trx.raw('CREATE INDEX ON locate_points USING gist (g)');
    const { rows } = await trx.raw<{ rows: Array<{ i: number; code: string | null; km: number | null }> }>(
      `WITH inside AS (
         SELECT DISTINCT ON (p.i) p.i, c.code FROM communes c JOIN locate_points p ON ST_Intersects(c.geom, p.g) ORDER BY p.i, c.code
       )
       SELECT p.i, h.code,
              CASE WHEN h.code IS NOT NULL THEN 0
                   ELSE (SELECT ST_Distance(n.geom_display::geography, p.g::geography) / 1000 FROM communes n ORDER BY n.geom_display <-> p.g LIMIT 1)
              END AS km
         FROM locate_points p LEFT JOIN inside h ON h.i = p.i
        ORDER BY p.i`,
    );
    return rows.map((r) => ({ communeCode: r.code, distanceToProvinceKm: r.km ?? Number.POSITIVE_INFINITY }));
  });
}
