import type { Knex } from 'knex';
import type { ImportMode, RadioRow, StationStatus, Technology } from './stations.schema';

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
   */
  write(rows: readonly RadioRow[], options: { mode: ImportMode; operators: readonly string[]; dryRun: boolean; importId: number | null; isDemo?: boolean }): Promise<WriteResult>;
  list(filter: StationFilter): Promise<StationView[]>;
  get(id: number): Promise<StationView | null>;
  history(stationId: number): Promise<Array<{ at: Date; change: string; radioId: number | null; importId: number | null; detail: unknown }>>;
  count(): Promise<number>;
}

const BATCH_ROWS = 2000;

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

    async locate(points) {
      const out: LocatedPoint[] = [];
      for (let i = 0; i < points.length; i += BATCH_ROWS) {
        const batch = points.slice(i, i + BATCH_ROWS).map((p, j) => ({ i: j, lon: p.lon, lat: p.lat }));
        const { rows } = await knex.raw<{ rows: Array<{ code: string | null; km: number }> }>(
          `WITH p AS (SELECT i, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS g FROM json_to_recordset(?::json) AS x(i int, lon float8, lat float8))
           SELECT c.code,
                  CASE WHEN c.code IS NOT NULL THEN 0
                       ELSE (SELECT ST_Distance(n.geom_display::geography, p.g::geography) / 1000 FROM communes n ORDER BY n.geom_display <-> p.g LIMIT 1)
                  END AS km
             FROM p LEFT JOIN LATERAL (SELECT code FROM communes WHERE ST_Intersects(geom, p.g) ORDER BY code LIMIT 1) c ON true
            ORDER BY p.i`,
          [JSON.stringify(batch)],
        );
        for (const r of rows) out.push({ communeCode: r.code, distanceToProvinceKm: r.km ?? Number.POSITIVE_INFINITY });
      }
      return out;
    },

    async write(rows, options) {
      try {
        return await knex.transaction(async (trx) => {
          const result = await writeInTransaction(trx, rows, options);
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

async function writeInTransaction(
  trx: Knex.Transaction,
  rows: readonly RadioRow[],
  options: { mode: ImportMode; operators: readonly string[]; importId: number | null; isDemo?: boolean },
): Promise<WriteResult> {
  await trx.raw(`CREATE TEMP TABLE staging (
      row int, operator text, site_code text, name text, lon float8, lat float8, height_m float8,
      technology text, band_mhz float8, azimuth_deg float8, beamwidth_deg float8, radius_m float8,
      range_hint_m float8, samples int, status text, commissioned_on date, decommissioned_on date
    ) ON COMMIT DROP`);
  for (let i = 0; i < rows.length; i += BATCH_ROWS) {
    const batch = rows.slice(i, i + BATCH_ROWS).map((r) => ({
      row: r.row, operator: r.operator, site_code: r.siteCode, name: r.name, lon: r.lon, lat: r.lat, height_m: r.heightM,
      technology: r.technology, band_mhz: r.bandMhz, azimuth_deg: r.azimuthDeg, beamwidth_deg: r.beamwidthDeg, radius_m: r.radiusM,
      range_hint_m: r.rangeHintM ?? null, samples: r.samples ?? null, status: r.status,
      commissioned_on: r.commissionedOn, decommissioned_on: r.decommissionedOn,
    }));
    await trx.raw('INSERT INTO staging SELECT * FROM json_populate_recordset(NULL::staging, ?::json)', [JSON.stringify(batch)]);
  }
  const importId = options.importId;

  // Stations: one per (operator, site code), the first row giving name, position and height.
  // The commune is derived here, by PostGIS, at write time.
  const stations = await trx.raw<{ rows: Array<{ id: number; inserted: boolean; old_commune: string | null; commune_code: string | null }> }>(
    `WITH s AS (
       SELECT DISTINCT ON (operator, site_code) operator, site_code, name, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS geom, height_m
         FROM staging ORDER BY operator, site_code, row
     ), located AS (
       SELECT s.*, (SELECT c.code FROM communes c WHERE ST_Intersects(c.geom, s.geom) ORDER BY c.code LIMIT 1) AS commune_code,
              old.commune_code AS old_commune
         FROM s LEFT JOIN stations old ON old.operator = s.operator AND old.site_code = s.site_code
     ), up AS (
       INSERT INTO stations AS t (operator, site_code, name, geom, commune_code, height_m, is_demo)
       SELECT operator, site_code, name, geom, commune_code, height_m, ? FROM located
       ON CONFLICT (operator, site_code) DO UPDATE SET
         name = EXCLUDED.name, geom = EXCLUDED.geom, commune_code = EXCLUDED.commune_code,
         height_m = EXCLUDED.height_m, updated_at = now()
       WHERE (t.name, ST_AsBinary(t.geom), t.height_m) IS DISTINCT FROM (EXCLUDED.name, ST_AsBinary(EXCLUDED.geom), EXCLUDED.height_m)
       RETURNING t.id, t.operator, t.site_code, t.commune_code, (xmax = 0) AS inserted
     )
     SELECT up.id, up.inserted, up.commune_code, l.old_commune
       FROM up JOIN located l ON l.operator = up.operator AND l.site_code = up.site_code`,
    [options.isDemo ?? false],
  );

  const radios = await trx.raw<{ rows: Array<{ station_id: number; change: string }> }>(
    `WITH src AS (
       SELECT st.id AS station_id, g.* FROM staging g JOIN stations st ON st.operator = g.operator AND st.site_code = g.site_code
     ), up AS (
       INSERT INTO radios AS r (station_id, technology, band_mhz, azimuth_deg, beamwidth_deg, radius_m, range_hint_m, samples,
                                status, commissioned_on, decommissioned_on)
       SELECT station_id, technology, band_mhz, azimuth_deg, beamwidth_deg, radius_m, range_hint_m, samples,
              status, commissioned_on, decommissioned_on FROM src
       ON CONFLICT (station_id, technology, band_mhz, (coalesce(azimuth_deg, -1))) DO UPDATE SET
         beamwidth_deg = EXCLUDED.beamwidth_deg, radius_m = EXCLUDED.radius_m, range_hint_m = EXCLUDED.range_hint_m,
         samples = EXCLUDED.samples, status = EXCLUDED.status, commissioned_on = EXCLUDED.commissioned_on,
         decommissioned_on = EXCLUDED.decommissioned_on, updated_at = now()
       WHERE (r.beamwidth_deg, r.radius_m, r.range_hint_m, r.samples, r.status, r.commissioned_on, r.decommissioned_on)
             IS DISTINCT FROM (EXCLUDED.beamwidth_deg, EXCLUDED.radius_m, EXCLUDED.range_hint_m, EXCLUDED.samples,
                               EXCLUDED.status, EXCLUDED.commissioned_on, EXCLUDED.decommissioned_on)
       RETURNING r.id, r.station_id, (xmax = 0) AS inserted
     )
     INSERT INTO station_events (station_id, radio_id, import_id, change)
     SELECT station_id, id, ?, CASE WHEN inserted THEN 'created' ELSE 'updated' END FROM up
     RETURNING station_id, change`,
    [importId],
  );

  let decommissioned: Array<{ station_id: number; commune_code: string | null }> = [];
  if (options.mode === 'replace' && options.operators.length) {
    ({ rows: decommissioned } = await trx.raw(
      `WITH gone AS (
         UPDATE radios r SET status = 'decommissioned', decommissioned_on = greatest(current_date, coalesce(r.commissioned_on, current_date)), updated_at = now()
           FROM stations s
          WHERE r.station_id = s.id AND s.operator IN (SELECT json_array_elements_text(?::json)) AND r.status <> 'decommissioned'
            AND NOT EXISTS (SELECT 1 FROM staging g WHERE g.operator = s.operator AND g.site_code = s.site_code
                              AND g.technology = r.technology AND g.band_mhz = r.band_mhz
                              AND coalesce(g.azimuth_deg, -1) = coalesce(r.azimuth_deg, -1))
         RETURNING r.id, r.station_id, s.commune_code
       ), ev AS (
         INSERT INTO station_events (station_id, radio_id, import_id, change) SELECT station_id, id, ?, 'decommissioned' FROM gone
       )
       SELECT station_id, commune_code FROM gone`,
      [JSON.stringify(options.operators), importId],
    ));
  }

  const movedStations = stations.rows.filter((s) => !s.inserted);
  if (movedStations.length) {
    await trx.raw(
      `INSERT INTO station_events (station_id, import_id, change, detail)
       SELECT id, ?, 'updated', json_build_object('what', 'station') FROM (SELECT json_array_elements_text(?::json)::bigint AS id) m`,
      [importId, JSON.stringify(movedStations.map((s) => s.id))],
    );
  }
  if (stations.rows.length || radios.rows.length || decommissioned.length) {
    await trx.raw("UPDATE data_versions SET version = version + 1 WHERE name = 'stations'");
  }
  const radioInserted = radios.rows.filter((r) => r.change === 'created').length;
  const radioUpdated = radios.rows.length - radioInserted;
  const touched = new Set<number>([...stations.rows.map((s) => s.id), ...radios.rows.map((r) => r.station_id), ...decommissioned.map((d) => d.station_id)]);
  const communes = new Set<string>();
  for (const s of stations.rows) {
    if (s.commune_code) communes.add(s.commune_code);
    if (s.old_commune) communes.add(s.old_commune);
  }
  for (const d of decommissioned) if (d.commune_code) communes.add(d.commune_code);
  if (touched.size) {
    const { rows: more } = await trx.raw<{ rows: Array<{ commune_code: string }> }>(
      'SELECT DISTINCT commune_code FROM stations WHERE id IN (SELECT json_array_elements_text(?::json)::bigint) AND commune_code IS NOT NULL',
      [JSON.stringify([...touched])],
    );
    for (const m of more) communes.add(m.commune_code);
  }
  return {
    counts: {
      stationsInserted: stations.rows.filter((s) => s.inserted).length,
      stationsUpdated: movedStations.length,
      radiosInserted: radioInserted,
      radiosUpdated: radioUpdated,
      radiosUnchanged: rows.length - radioInserted - radioUpdated,
      radiosDecommissioned: decommissioned.length,
    },
    touchedStationIds: [...touched].sort((a, b) => a - b),
    touchedCommunes: [...communes].sort(),
  };
}
