import type { Knex } from 'knex';
import type { CommuneKind } from '../communes/communes.schema';
import type { CoverageFigure, Technology } from './engine/index';

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

export interface StoredFigure extends CoverageFigure {
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
  /** Communes within `distanceM` of any of these stations (their footprints may reach them). */
  communesNearStations(stationIds: readonly number[], distanceM: number): Promise<string[]>;
  startRun(run: { asOf: string; modelVersion: string; scope: 'full' | 'communes'; trigger: string; importId: number | null }): Promise<number>;
  /** Replaces the figures of the communes in `codes` by `figures`, and closes the run. */
  saveRun(runId: number, codes: readonly string[], figures: readonly CoverageFigure[], meta: { inputsDigest: string; radios: number; durationMs: number }): Promise<void>;
  failRun(runId: number): Promise<void>;
  figures(filter: { commune?: string; technology?: Technology; operator?: string }): Promise<StoredFigure[]>;
  lastRun(): Promise<RunInfo | null>;
  /** The last run and whether stations, radios or communes changed since it started, in one query. */
  lastRunWithStaleness(): Promise<(RunInfo & { stale: boolean }) | null>;
  /** Changes whenever a radio or station is written: keys the in-memory radio cache. */
  radiosVersion(): Promise<string>;
  run(id: number): Promise<RunInfo | null>;
  /** True when stations, radios or communes changed after the figures were computed. */
  isStale(since: Date): Promise<boolean>;
  /** The part of a commune outside the given footprints, by PostGIS. */
  uncovered(code: string, footprints: readonly GeoJSON.Polygon[]): Promise<{ geometry: GeoJSON.Geometry | null; areaKm2: number } | null>;
  /** The union of footprints clipped to a bbox, simplified for display. */
  union(footprints: readonly GeoJSON.Polygon[], bbox: [number, number, number, number]): Promise<GeoJSON.Geometry | null>;
}

const FIGURE_COLUMNS = `f.commune_code AS "communeCode", f.technology, f.operator, f.area_km2 AS "areaKm2", f.covered_km2 AS "coveredKm2",
  f.area_pct AS "areaPct", f.population, f.covered_population AS "coveredPopulation", f.population_pct AS "populationPct",
  f.run_id AS "runId", r.finished_at AS "computedAt", to_char(r.as_of, 'YYYY-MM-DD') AS "asOf", r.model_version AS "modelVersion",
  r.inputs_digest AS "inputsDigest"`;

const RUN_COLUMNS = `id, started_at AS "startedAt", finished_at AS "finishedAt", to_char(as_of, 'YYYY-MM-DD') AS "asOf",
  model_version AS "modelVersion", inputs_digest AS "inputsDigest", scope, communes, radios, duration_ms AS "durationMs", trigger, status`;

const ACTIVE_ON = `r.status <> 'planned'
  AND (r.commissioned_on IS NULL OR r.commissioned_on <= ?::date)
  AND (r.decommissioned_on IS NULL OR r.decommissioned_on > ?::date)
  AND NOT (r.status = 'decommissioned' AND r.decommissioned_on IS NULL)`;

export function createCoverageRepo(knex: Knex): CoverageRepo {
  return {
    async communesStamp() {
      const { rows } = await knex.raw('SELECT count(*) AS n, max(imported_at) AS t FROM communes');
      return `${rows[0].n}:${rows[0].t?.toISOString?.() ?? ''}`;
    },

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
      const { rows } = await knex.raw(
        `SELECT r.id AS "radioId", s.id AS "stationId", s.operator, s.site_code AS "siteCode", r.technology, r.band_mhz AS "bandMhz",
                s.height_m AS "heightM", r.azimuth_deg AS "azimuthDeg", r.beamwidth_deg AS "beamwidthDeg", r.radius_m AS "radiusM",
                ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat, s.commune_code AS "communeCode"
           FROM radios r JOIN stations s ON s.id = r.station_id
          WHERE ${ACTIVE_ON} ${where}
          ORDER BY r.id`,
        bindings,
      );
      return rows;
    },

    async communesNearStations(stationIds, distanceM) {
      if (stationIds.length === 0) return [];
      const { rows } = await knex.raw(
        `SELECT DISTINCT c.code FROM communes c JOIN stations s ON s.id IN (SELECT json_array_elements_text(?::json)::bigint)
          WHERE ST_DWithin(c.geom_display::geography, s.geom::geography, ?) ORDER BY c.code`,
        [JSON.stringify(stationIds), distanceM],
      );
      return rows.map((r: { code: string }) => r.code);
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
        `SELECT ${RUN_COLUMNS},
                EXISTS (SELECT 1 FROM radios WHERE updated_at > r.started_at) OR EXISTS (SELECT 1 FROM stations WHERE updated_at > r.started_at)
                  OR EXISTS (SELECT 1 FROM communes WHERE imported_at > r.started_at) AS stale
           FROM coverage_runs r WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1`,
      );
      return rows[0] ?? null;
    },

    async radiosVersion() {
      const { rows } = await knex.raw("SELECT version FROM data_versions WHERE name = 'stations'");
      return String(rows[0]?.version ?? 0);
    },

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
      const { rows } = await knex.raw(
        `WITH f AS (SELECT ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(x.g), 4326)) AS u
                      FROM json_array_elements_text(?::json) AS x(g)),
              d AS (SELECT CASE WHEN f.u IS NULL THEN c.geom ELSE ST_Difference(c.geom, ST_MakeValid(f.u)) END AS g FROM communes c, f WHERE c.code = ?)
         SELECT ST_AsGeoJSON(ST_CollectionExtract(d.g, 3), 6) AS geometry, ST_Area(d.g::geography) / 1e6 AS km2 FROM d`,
        [JSON.stringify(footprints.map((p) => JSON.stringify(p))), code],
      );
      if (!rows[0]) return null;
      return { geometry: rows[0].geometry ? JSON.parse(rows[0].geometry) : null, areaKm2: rows[0].km2 ?? 0 };
    },

    async union(footprints, bbox) {
      if (footprints.length === 0) return null;
      const { rows } = await knex.raw(
        `SELECT ST_AsGeoJSON(ST_SimplifyPreserveTopology(ST_Intersection(ST_Union(ST_SetSRID(ST_GeomFromGeoJSON(x.g), 4326)),
                  ST_MakeEnvelope(?, ?, ?, ?, 4326)), 0.0002), 6) AS geometry
           FROM json_array_elements_text(?::json) AS x(g)`,
        [...bbox, JSON.stringify(footprints.map((p) => JSON.stringify(p)))],
      );
      return rows[0]?.geometry ? JSON.parse(rows[0].geometry) : null;
    },
  };
}
