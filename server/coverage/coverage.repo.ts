import type { Knex } from 'knex';
import type { CommuneKind } from '../communes/communes.schema';
import type { CoverageFigure, Technology } from './engine/index';
import { ON_AIR_SQL } from '../stations/on-air';
import { coalesced, readDataVersions } from '../db/data-versions';

/** A commune as the coverage engine needs it, with what decides its radio environment. */
export interface CommuneForCoverage {
  code: string;
  name: string;
  kind: CommuneKind;
  population: number;
  areaKm2: number;
  geometry: GeoJSON.MultiPolygon;
}

/** A radio active on the date asked, with its station's position and commune. */
export interface ActiveRadio {
  radioId: number;
  stationId: number;
  operator: string;
  siteCode: string;
  technology: Technology;
  bandMhz: number;
  heightM: number | null;
  azimuthDeg: number | null;
  beamwidthDeg: number | null;
  radiusM: number | null;
  lon: number;
  lat: number;
  communeCode: string | null;
}

/** Radios read in one snapshot together with the version of the station data they reflect. */
export interface RadioSnapshot {
  /** `data_versions.stations` in that snapshot: every committed station write adds one. */
  version: number;
  /** Radios on air on the date asked, in id order. */
  radios: ActiveRadio[];
  /** Every (technology, operator) with at least one radio row, whatever its status or dates. */
  known: Array<{ technology: Technology; operator: string }>;
}

/** A figure as stored: the engine's, with the commune's share of known terrain (null: flat ground). */
export interface StoredFigure extends CoverageFigure {
  terrainPct: number | null;
  runId: number;
  computedAt: Date;
  asOf: string;
  modelVersion: string;
  inputsDigest: string | null;
}

export interface RunInfo {
  id: number;
  startedAt: Date;
  finishedAt: Date | null;
  asOf: string;
  modelVersion: string;
  inputsDigest: string | null;
  scope: 'full' | 'communes';
  communes: number;
  radios: number;
  durationMs: number | null;
  trigger: string;
  status: string;
}

export interface CoverageRepo {
  /** A cheap fingerprint of the commune table: the engine's commune cache is rebuilt when it moves. */
  communesStamp(): Promise<string>;
  communes(): Promise<CommuneForCoverage[]>;
  /**
   * Radios on air on `asOf` (YYYY-MM-DD): not planned, commissioned on or before it (or undated),
   * not decommissioned on or before it. Optionally only those within `nearM` of a bbox.
   */
  activeRadios(asOf: string, near?: { bbox: [number, number, number, number]; marginM: number }): Promise<ActiveRadio[]>;
  /**
   * The radios on air on `asOf` and the (technology, operator) pairs known, with the data version,
   * all from one snapshot; only those of `stationIds` when given (however many rows they have).
   */
  radiosSnapshot(asOf: string, stationIds?: readonly number[]): Promise<RadioSnapshot>;
  startRun(run: { asOf: string; modelVersion: string; scope: 'full' | 'communes'; trigger: string; importId: number | null }): Promise<number>;
  /** Replaces the figures of the communes in `codes` by `figures`, and closes the run. */
  saveRun(runId: number, codes: readonly string[], figures: ReadonlyArray<CoverageFigure & { terrainPct: number | null }>, meta: { inputsDigest: string; radios: number; durationMs: number }): Promise<void>;
  failRun(runId: number): Promise<void>;
  figures(filter: { commune?: string; technology?: Technology; operator?: string }): Promise<StoredFigure[]>;
  lastRun(): Promise<RunInfo | null>;
  /**
   * The last run and whether stations, radios or communes changed since it started, in one query;
   * `staleProvinces`: the provinces whose communes were imported since (optional for fakes: none).
   */
  lastRunWithStaleness(): Promise<(RunInfo & { stale: boolean; stationsChanged?: boolean; staleProvinces?: string[] }) | null>;
  /** Changes whenever a radio or station is written: keys the in-memory radio cache. */
  radiosVersion(): Promise<string>;
  /** The versions of every dataset (stations, communes, coverage runs…): keys today's stored figures. */
  dataVersions(): Promise<string>;
  run(id: number): Promise<RunInfo | null>;
  /** True when stations, radios or communes changed after the figures were computed. */
  isStale(since: Date): Promise<boolean>;
  /** The part of a commune outside the given footprints, by PostGIS; null when there is no such commune. */
  uncovered(code: string, footprints: readonly GeoJSON.Polygon[]): Promise<{ geometry: GeoJSON.Geometry | null; areaKm2: number } | null>;
  /** The union of footprints clipped to a bbox, simplified for display. */
  union(footprints: readonly GeoJSON.Polygon[], bbox: [number, number, number, number]): Promise<GeoJSON.Geometry | null>;
}

const FIGURE_COLUMNS = `f.commune_code AS "communeCode", f.technology, f.operator, f.area_km2 AS "areaKm2", f.covered_km2 AS "coveredKm2",
  f.area_pct AS "areaPct", f.population, f.covered_population AS "coveredPopulation", f.population_pct AS "populationPct",
  f.population_spread AS "populationSpread", f.terrain_pct AS "terrainPct",
  f.run_id AS "runId", r.finished_at AS "computedAt", to_char(r.as_of, 'YYYY-MM-DD') AS "asOf", r.model_version AS "modelVersion",
  r.inputs_digest AS "inputsDigest"`;

const RUN_COLUMNS = `id, started_at AS "startedAt", finished_at AS "finishedAt", to_char(as_of, 'YYYY-MM-DD') AS "asOf",
  model_version AS "modelVersion", inputs_digest AS "inputsDigest", scope, communes, radios, duration_ms AS "durationMs", trigger, status`;

const RADIO_SELECT = `SELECT r.id AS "radioId", s.id AS "stationId", s.operator, s.site_code AS "siteCode", r.technology, r.band_mhz AS "bandMhz",
    s.height_m AS "heightM", r.azimuth_deg AS "azimuthDeg", r.beamwidth_deg AS "beamwidthDeg", r.radius_m AS "radiusM",
    ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat, s.commune_code AS "communeCode"
  FROM radios r JOIN stations s ON s.id = r.station_id`;


export function createCoverageRepo(knex: Knex): CoverageRepo {
  return {
    // Asked on every coverage read: concurrent reads share one query (see coalesced).
    communesStamp: coalesced(async () => {
      const { rows } = await knex.raw('SELECT count(*) AS n, max(imported_at) AS t FROM communes');
      return `${rows[0].n}:${rows[0].t?.toISOString?.() ?? ''}`;
    }),

    async communes() {
      const { rows } = await knex.raw(
        `SELECT code, name, kind, coalesce(population, 0) AS population, area_km2 AS "areaKm2", ST_AsGeoJSON(geom) AS geometry FROM communes ORDER BY code`,
      );
      return rows.map((r: CommuneForCoverage & { geometry: string }) => ({ ...r, geometry: JSON.parse(r.geometry) }));
    },

    async activeRadios(asOf, near) {
      const bindings: Knex.Value[] = [asOf, asOf];
      let where = '';
      if (near) {
        where = 'AND ST_DWithin(s.geom::geography, ST_MakeEnvelope(?, ?, ?, ?, 4326)::geography, ?)';
        bindings.push(...near.bbox, near.marginM);
      }
      const { rows } = await knex.raw(`${RADIO_SELECT} WHERE ${ON_AIR_SQL} ${where} ORDER BY r.id`, bindings);
      return rows;
    },

    async radiosSnapshot(asOf, stationIds) {
      const only = stationIds ? 'AND s.id IN (SELECT json_array_elements_text(?::json)::bigint)' : '';
      const ids = stationIds ? [JSON.stringify(stationIds)] : [];
      // Repeatable read: the version, the radios and the pairs come from the same moment.
      return knex.transaction(async (trx) => {
        const { rows: [v] } = await trx.raw("SELECT version FROM data_versions WHERE name = 'stations'");
        const { rows: radios } = await trx.raw(`${RADIO_SELECT} WHERE ${ON_AIR_SQL} ${only} ORDER BY r.id`, [asOf, asOf, ...ids]);
        const { rows: known } = await trx.raw(
          `SELECT DISTINCT r.technology, s.operator FROM radios r JOIN stations s ON s.id = r.station_id WHERE true ${only} ORDER BY 1, 2`,
          ids,
        );
        return { version: Number(v?.version ?? 0), radios, known };
      }, { isolationLevel: 'repeatable read' });
    },

    async startRun(run) {
      const { rows } = await knex.raw(
        `INSERT INTO coverage_runs (as_of, model_version, scope, trigger, import_id) VALUES (?, ?, ?, ?, ?) RETURNING id`,
        [run.asOf, run.modelVersion, run.scope, run.trigger, run.importId],
      );
      return rows[0].id;
    },

    async saveRun(runId, codes, figures, meta) {
      // One short transaction: on the embedded engine every other query waits while it is open.
      await knex.transaction(async (trx) => {
        await trx.raw('DELETE FROM commune_coverage WHERE commune_code IN (SELECT json_array_elements_text(?::json))', [JSON.stringify(codes)]);
        const BATCH = 2000;
        for (let i = 0; i < figures.length; i += BATCH) {
          const batch = figures.slice(i, i + BATCH).map((f) => ({
            commune_code: f.communeCode, technology: f.technology, operator: f.operator, area_km2: f.areaKm2, covered_km2: f.coveredKm2,
            area_pct: f.areaPct, population: f.population, covered_population: f.coveredPopulation, population_pct: f.populationPct, run_id: runId,
            population_spread: f.populationSpread, terrain_pct: f.terrainPct,
          }));
          await trx.raw('INSERT INTO commune_coverage SELECT * FROM json_populate_recordset(NULL::commune_coverage, ?::json)', [JSON.stringify(batch)]);
        }
        await trx.raw(
          `UPDATE coverage_runs SET finished_at = clock_timestamp(), status = 'succeeded', inputs_digest = ?, communes = ?, radios = ?, duration_ms = ? WHERE id = ?`,
          [meta.inputsDigest, codes.length, meta.radios, meta.durationMs, runId],
        );
      });
    },

    async failRun(runId) {
      await knex.raw(`UPDATE coverage_runs SET status = 'failed', finished_at = clock_timestamp() WHERE id = ?`, [runId]);
    },

    async figures(filter) {
      const where: string[] = [];
      const bindings: Knex.Value[] = [];
      if (filter.commune) { where.push('f.commune_code = ?'); bindings.push(filter.commune); }
      if (filter.technology) { where.push('f.technology = ?'); bindings.push(filter.technology); }
      if (filter.operator) { where.push('f.operator = ?'); bindings.push(filter.operator); }
      const { rows } = await knex.raw(
        `SELECT ${FIGURE_COLUMNS} FROM commune_coverage f JOIN coverage_runs r ON r.id = f.run_id
          ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY f.commune_code, f.technology, f.operator`,
        bindings,
      );
      return rows;
    },

    async lastRun() {
      const { rows } = await knex.raw(`SELECT ${RUN_COLUMNS} FROM coverage_runs WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1`);
      return rows[0] ?? null;
    },

    async lastRunWithStaleness() {
      const { rows } = await knex.raw(
        `SELECT ${RUN_COLUMNS}, s."stationsChanged", s."staleProvinces",
                s."stationsChanged" OR json_array_length(s."staleProvinces") > 0 AS stale
           FROM coverage_runs r CROSS JOIN LATERAL (SELECT
                  EXISTS (SELECT 1 FROM radios WHERE updated_at > r.started_at) OR EXISTS (SELECT 1 FROM stations WHERE updated_at > r.started_at) AS "stationsChanged",
                  (SELECT coalesce(json_agg(DISTINCT province_code ORDER BY province_code), '[]'::json) FROM communes WHERE imported_at > r.started_at) AS "staleProvinces") s WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1`,
      );
      return rows[0] ?? null;
    },

    dataVersions: () => readDataVersions(knex),

    // Asked on every point lookup, gap and layer: concurrent callers share one query (see coalesced).
    radiosVersion: coalesced(async () => {
      const { rows } = await knex.raw("SELECT version FROM data_versions WHERE name = 'stations'");
      return String(rows[0]?.version ?? 0);
    }),

    async run(id) {
      const { rows } = await knex.raw(`SELECT ${RUN_COLUMNS} FROM coverage_runs WHERE id = ?`, [id]);
      return rows[0] ?? null;
    },

    async isStale(since) {
      const { rows } = await knex.raw(
        `SELECT EXISTS (SELECT 1 FROM radios WHERE updated_at > ?) OR EXISTS (SELECT 1 FROM stations WHERE updated_at > ?)
             OR EXISTS (SELECT 1 FROM communes WHERE imported_at > ?) AS stale`,
        [since, since, since],
      );
      return rows[0].stale;
    },

    async uncovered(code, footprints) {
      const row = await overlay<{ geometry: string | null; km2: number | null }>(
        knex,
        `WITH f AS (SELECT ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(x.g), 4326), ?::float8) AS u
                      FROM json_array_elements_text(?::json) AS x(g)),
              d AS (SELECT CASE WHEN f.u IS NULL THEN c.geom ELSE ST_Difference(c.geom, f.u, ?::float8) END AS g FROM communes c, f WHERE c.code = ?)
         SELECT true AS done, ST_AsGeoJSON(ST_CollectionExtract(d.g, 3), 6) AS geometry, ST_Area(d.g::geography) / 1e6 AS km2
           FROM (SELECT 1) one LEFT JOIN d ON true`,
        [OVERLAY_GRID_DEG, JSON.stringify(footprints.map((p) => JSON.stringify(p))), OVERLAY_GRID_DEG, code],
      );
      if (row.km2 === null) return null;
      return { geometry: row.geometry ? JSON.parse(row.geometry) : null, areaKm2: row.km2 };
    },

    async union(footprints, bbox) {
      if (footprints.length === 0) return null;
      const row = await overlay<{ geometry: string | null }>(
        knex,
        `SELECT true AS done, ST_AsGeoJSON(ST_SimplifyPreserveTopology(ST_Intersection(ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(x.g), 4326), ?::float8),
                  ST_MakeEnvelope(?, ?, ?, ?, 4326), ?::float8), 0.0002), 6) AS geometry
           FROM json_array_elements_text(?::json) AS x(g)`,
        [OVERLAY_GRID_DEG, ...bbox, OVERLAY_GRID_DEG, JSON.stringify(footprints.map((p) => JSON.stringify(p)))],
      );
      return row.geometry ? JSON.parse(row.geometry) : null;
    },
  };
}

/**
 * Snap-rounding grid of the footprint overlays, degrees (about 0.1 mm). GEOS 3.14 (embedded
 * PostGIS 3.6) throws a TopologyException on the plain union of some 5G sector wedges of the demo
 * (gaps of 07942, 08209 and others); with a grid size (PostGIS ≥ 3.1, GEOS ≥ 3.9) the overlay is
 * snap-rounded and cannot fail that way, and moves no edge by more than half a grid cell.
 */
export const OVERLAY_GRID_DEG = 1e-9;

/**
 * Runs an overlay query that always returns exactly one row (with `done` true), and returns it.
 * PGlite answers a query that failed inside GEOS with no rows instead of an error, and its reply
 * to the next message on that connection is then out of step. In a transaction, the missing row
 * becomes an error here and the rollback takes that stray reply; the driver then drops the
 * connection, so no later query meets it. On a server the GEOS error is an ordinary SQL error.
 */
async function overlay<T>(knex: Knex, sql: string, bindings: readonly Knex.Value[]): Promise<T> {
  let missing = false;
  try {
    return await knex.transaction(async (trx) => {
      const { rows } = await trx.raw(sql, bindings);
      missing = rows[0]?.done !== true;
      if (missing) throw new Error('no result row');
      return rows[0];
    });
  } catch (err) {
    // The rollback that takes the stray reply fails in its turn: say what went wrong first.
    if (missing) throw new Error('the footprint overlay failed in PostGIS (GEOS) and gave no result', { cause: err });
    throw err;
  }
}
