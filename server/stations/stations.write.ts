import type { Knex } from 'knex';
import { testPauseMidWriteMs } from '../config';
import { positionKey, type ImportMode, type RadioRow } from './stations.schema';
import type { WriteResult } from './stations.repo';

/**
 * Rows per staging statement. Fewer, larger statements matter on the embedded engine (one
 * backend behind a socket); much larger ones only grow its WASM memory, which never shrinks.
 */
export const STAGE_BATCH_ROWS = 10_000;

export interface WriteOptions {
  mode: ImportMode;
  operators: readonly string[];
  importId: number | null;
  isDemo?: boolean;
}

/**
 * Bindings that are whole columns: the `pg` driver sends a JS array as one array literal (nulls
 * included), which `unnest(?::type[], …)` turns back into rows. Knex's types know no nullable arrays.
 */
export const columns = (...values: ReadonlyArray<unknown>[]): readonly Knex.RawBinding[] => values as unknown as Knex.RawBinding[];

/** One station of the upload: its first row gives name, position and height. */
export interface StagedSite {
  operator: string;
  siteCode: string;
  name: string;
  lon: number;
  lat: number;
  heightM: number | null;
  /** Row of the radio that gave the fields above. */
  firstRow: number;
}

/** The stations of `rows` (one per operator and site code), and for each row the index of its station. */
export function groupSites(rows: readonly RadioRow[]): { sites: StagedSite[]; siteOfRow: Int32Array } {
  const sites: StagedSite[] = [];
  const index = new Map<string, number>();
  const siteOfRow = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    const key = `${r.operator}\u0000${r.siteCode}`;
    let k = index.get(key);
    if (k === undefined) {
      k = sites.length;
      index.set(key, k);
      sites.push({ operator: r.operator, siteCode: r.siteCode, name: r.name, lon: r.lon, lat: r.lat, heightM: r.heightM, firstRow: r.row });
    } else if (r.row < sites[k].firstRow) {
      sites[k] = { operator: r.operator, siteCode: r.siteCode, name: r.name, lon: r.lon, lat: r.lat, heightM: r.heightM, firstRow: r.row };
    }
    siteOfRow[i] = k;
  });
  return { sites, siteOfRow };
}

/**
 * The write of an upload, inside the caller's transaction. Rows are staged in temporary tables
 * (stations apart from radios), then each table is written by one set-based statement; the
 * summary stays in the database until the last statement reads it.
 * `communeAt` holds the commune of every station position (`positionKey`), null outside all.
 */
export async function writeInTransaction(
  trx: Knex.Transaction,
  rows: readonly RadioRow[],
  staged: { sites: readonly StagedSite[]; siteOfRow: Int32Array; communeAt: ReadonlyMap<string, string | null> },
  options: WriteOptions,
): Promise<WriteResult> {
  const { sites, siteOfRow, communeAt } = staged;
  const importId = options.importId;
  // The temporary tables have no statistics: estimates are off by orders of magnitude, which made
  // the server JIT-compile statements for longer than compiling saved; a larger work_mem keeps the
  // sorts of a large upload's staged rows in memory instead of on disk (figures:
  // test/bench/README.md, "Import"). Both last until the end of the transaction.
  await trx.raw(`
    SET LOCAL jit = off;
    SET LOCAL work_mem = '32MB';
    CREATE TEMP TABLE staging_sites (site int, operator text, site_code text, name text, lon float8, lat float8,
      height_m float8, commune_code text) ON COMMIT DROP;
    CREATE TEMP TABLE staging_radios (row int, site int, technology text, band_mhz float8, azimuth_deg float8,
      beamwidth_deg float8, radius_m float8, range_hint_m float8, samples int, status text, commissioned_on date,
      decommissioned_on date) ON COMMIT DROP;
    CREATE TEMP TABLE written_sites (n serial, id bigint, inserted boolean, commune_code text, old_commune text) ON COMMIT DROP;
    CREATE TEMP TABLE touched (station_id bigint, commune_code text) ON COMMIT DROP`);

  // Column arrays (unnest) rather than JSON objects: about a third of the bytes, no key per value.
  for (let i = 0; i < sites.length; i += STAGE_BATCH_ROWS) {
    const b = sites.slice(i, i + STAGE_BATCH_ROWS);
    await trx.raw(
      `INSERT INTO staging_sites SELECT * FROM unnest(?::int[], ?::text[], ?::text[], ?::text[], ?::float8[], ?::float8[], ?::float8[], ?::text[])`,
      columns(b.map((_, k) => i + k), b.map((s) => s.operator), b.map((s) => s.siteCode), b.map((s) => s.name), b.map((s) => s.lon), b.map((s) => s.lat),
        b.map((s) => s.heightM), b.map((s) => communeAt.get(positionKey(s)) ?? null)),
    );
  }
  for (let i = 0; i < rows.length; i += STAGE_BATCH_ROWS) {
    const b = rows.slice(i, i + STAGE_BATCH_ROWS);
    await trx.raw(
      `INSERT INTO staging_radios SELECT * FROM unnest(?::int[], ?::int[], ?::text[], ?::float8[], ?::float8[], ?::float8[], ?::float8[],
         ?::float8[], ?::int[], ?::text[], ?::date[], ?::date[])`,
      columns(b.map((r) => r.row), Array.from(siteOfRow.subarray(i, i + b.length)), b.map((r) => r.technology), b.map((r) => r.bandMhz), b.map((r) => r.azimuthDeg),
        b.map((r) => r.beamwidthDeg), b.map((r) => r.radiusM), b.map((r) => r.rangeHintM ?? null), b.map((r) => r.samples ?? null), b.map((r) => r.status),
        b.map((r) => r.commissionedOn), b.map((r) => r.decommissionedOn)),
    );
  }

  // Stations, in the order they first appear in the file. The commune comes staged (found by
  // validation, or located just before the write); the old one is read in the statement's
  // snapshot, before the upsert.
  await trx.raw(
    `WITH up AS (
       INSERT INTO stations AS t (operator, site_code, name, geom, commune_code, height_m, is_demo)
       SELECT operator, site_code, name, ST_SetSRID(ST_MakePoint(lon, lat), 4326), commune_code, height_m, ?
         FROM staging_sites ORDER BY site
       ON CONFLICT (operator, site_code) DO UPDATE SET
         name = EXCLUDED.name, geom = EXCLUDED.geom, commune_code = EXCLUDED.commune_code,
         height_m = EXCLUDED.height_m, updated_at = now()
       WHERE (t.name, ST_AsBinary(t.geom), t.height_m) IS DISTINCT FROM (EXCLUDED.name, ST_AsBinary(EXCLUDED.geom), EXCLUDED.height_m)
       RETURNING t.id, t.operator, t.site_code, t.commune_code, (xmax = 0) AS inserted
     )
     INSERT INTO written_sites (id, inserted, commune_code, old_commune)
     SELECT up.id, up.inserted, up.commune_code, old.commune_code
       FROM up LEFT JOIN stations old ON old.operator = up.operator AND old.site_code = up.site_code`,
    [options.isDemo ?? false],
  );

  // Radios, in file order, and one event per radio inserted or changed.
  const radios = await trx.raw<{ rows: Array<{ inserted: number; written: number }> }>(
    `WITH src AS (
       SELECT st.id AS station_id, g.*
         FROM staging_radios g JOIN staging_sites s ON s.site = g.site
         JOIN stations st ON st.operator = s.operator AND st.site_code = s.site_code
        ORDER BY g.row
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
     ), events AS (
       INSERT INTO station_events (station_id, radio_id, import_id, change)
       SELECT station_id, id, ?, CASE WHEN inserted THEN 'created' ELSE 'updated' END FROM up
     ), stations_touched AS (
       INSERT INTO touched (station_id) SELECT DISTINCT station_id FROM up
     )
     SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*)::int AS written FROM up`,
    [importId],
  );

  let decommissioned = 0;
  if (options.mode === 'replace' && options.operators.length) {
    // The file's radios by station id: the anti-join hashes numbers instead of sorting text.
    const { rows: gone } = await trx.raw<{ rows: Array<{ n: number }> }>(
      `WITH present AS (
         SELECT st.id AS station_id, g.technology, g.band_mhz, coalesce(g.azimuth_deg, -1) AS azimuth
           FROM staging_radios g JOIN staging_sites gs ON gs.site = g.site
           JOIN stations st ON st.operator = gs.operator AND st.site_code = gs.site_code
       ), gone AS (
         UPDATE radios r SET status = 'decommissioned', decommissioned_on = greatest(current_date, coalesce(r.commissioned_on, current_date)), updated_at = now()
           FROM stations s
          WHERE r.station_id = s.id AND s.operator IN (SELECT json_array_elements_text(?::json)) AND r.status <> 'decommissioned'
            AND NOT EXISTS (SELECT 1 FROM present p WHERE p.station_id = r.station_id AND p.technology = r.technology
                              AND p.band_mhz = r.band_mhz AND p.azimuth = coalesce(r.azimuth_deg, -1))
         RETURNING r.id, r.station_id, s.commune_code
       ), events AS (
         INSERT INTO station_events (station_id, radio_id, import_id, change) SELECT station_id, id, ?, 'decommissioned' FROM gone
       ), stations_touched AS (
         INSERT INTO touched (station_id, commune_code) SELECT station_id, commune_code FROM gone
       )
       SELECT count(*)::int AS n FROM gone`,
      [JSON.stringify(options.operators), importId],
    );
    decommissioned = gone[0].n;
  }

  // After the radio events, as before: a station's history lists its radios first.
  await trx.raw(
    `INSERT INTO station_events (station_id, import_id, change, detail)
     SELECT id, ?, 'updated', json_build_object('what', 'station') FROM written_sites WHERE NOT inserted ORDER BY n`,
    [importId],
  );
  await trx.raw(
    `UPDATE data_versions SET version = version + 1
      WHERE name = 'stations' AND (EXISTS (SELECT 1 FROM written_sites) OR EXISTS (SELECT 1 FROM touched))`,
  );
  await pauseMidWrite(trx);
  const { rows: summary } = await trx.raw<{ rows: Array<{ inserted: number; updated: number; ids: number[] | null; communes: string[] | null }> }>(
    `WITH ids AS (SELECT id FROM written_sites UNION SELECT station_id FROM touched)
     SELECT (SELECT count(*) FROM written_sites WHERE inserted)::int AS inserted,
            (SELECT count(*) FROM written_sites WHERE NOT inserted)::int AS updated,
            (SELECT json_agg(id ORDER BY id) FROM ids) AS ids,
            (SELECT json_agg(code ORDER BY code) FROM (
               SELECT commune_code AS code FROM written_sites UNION SELECT old_commune FROM written_sites
               UNION SELECT commune_code FROM touched UNION SELECT commune_code FROM stations WHERE id IN (SELECT id FROM ids)
             ) c WHERE code IS NOT NULL) AS communes`,
  );
  const s = summary[0];
  const { inserted: radiosInserted, written: radiosWritten } = radios.rows[0];
  return {
    counts: {
      stationsInserted: s.inserted,
      stationsUpdated: s.updated,
      radiosInserted,
      radiosUpdated: radiosWritten - radiosInserted,
      radiosUnchanged: rows.length - radiosWritten,
      radiosDecommissioned: decommissioned,
    },
    touchedStationIds: s.ids ?? [],
    touchedCommunes: s.communes ?? [],
  };
}

/** What a write paused by TEST_PAUSE_MID_WRITE_MS prints on stderr, followed by its station count. */
export const MID_WRITE_MARKER = 'phusong: paused mid-write (TEST_PAUSE_MID_WRITE_MS), uncommitted stations:';

/**
 * Test-only (server/config.ts): with every row of the write in place and nothing committed, say so
 * and wait, for a test to kill the process there. No query and no output when the setting is 0.
 */
async function pauseMidWrite(trx: Knex.Transaction): Promise<void> {
  const ms = testPauseMidWriteMs();
  if (ms === 0) return;
  const { rows } = await trx.raw<{ rows: Array<{ n: number }> }>('SELECT count(*)::int AS n FROM written_sites');
  process.stderr.write(`${MID_WRITE_MARKER} ${rows[0].n}\n`);
  await new Promise((resolve) => setTimeout(resolve, ms));
}
