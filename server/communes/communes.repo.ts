import type { Knex } from 'knex';
import type { CommuneDetail, CommuneInput, CommuneSummary } from './communes.schema';
import type { ProvinceInput } from '../provinces/provinces.schema';

export const SRID_WGS84 = 4326;
/** Display simplification tolerance in degrees (about 20 m): shapes kept, a tenth of the vertices. */
const DISPLAY_TOLERANCE_DEG = 0.0002;
/**
 * Overview tolerance in degrees (about 90 m, a third of a pixel when the whole province fills the
 * map): a third of the display vertices, so the map's first frame has less to parse and tile.
 */
const OVERVIEW_TOLERANCE_DEG = 0.0008;

export interface GeometryCheck {
  index: number;
  valid: boolean;
  empty: boolean;
  /** ST_IsValidReason, or the parse error when PostGIS could not read the geometry. */
  reason: string | null;
  readable: boolean;
}

export interface UpsertResult {
  inserted: number;
  updated: number;
  /** Communes left as stored because their stored boundary is finer than the file's. */
  kept: KeptCommune[];
}

/** A commune whose stored boundary has more vertices than the incoming one: the finer one stays. */
export interface KeptCommune {
  code: string;
  provinceCode: string;
  storedVertices: number;
  fileVertices: number;
}

export interface UpsertOptions {
  /** Names and kinds of the provinces the communes belong to: added, or updated when held. */
  provinces?: readonly ProvinceInput[];
  /** Replace every commune, even where the stored boundary is finer (default: keep the finer). */
  replace?: boolean;
}

export interface CommunesRepo {
  count(): Promise<number>;
  list(): Promise<CommuneSummary[]>;
  get(code: string, geometry: 'full' | 'display'): Promise<(CommuneDetail & { geometry: GeoJSON.MultiPolygon }) | null>;
  /** Display geometries of every commune as GeoJSON features, in code order. */
  displayFeatures(detail?: 'display' | 'overview'): Promise<Array<{ properties: CommuneSummary; geometry: GeoJSON.MultiPolygon }>>;
  /** Asks PostGIS whether each geometry is readable, valid and non-empty. Writes nothing. */
  checkGeometries(items: ReadonlyArray<{ index: number; geometry: unknown }>): Promise<GeometryCheck[]>;
  /**
   * Inserts or updates by code, repairing invalid geometries with ST_MakeValid, in one transaction.
   * A stored commune whose boundary has more vertices than the incoming one (a province loaded from
   * its own full-resolution file, then a simplified national file) is kept whole unless `replace`.
   */
  upsertAll(communes: readonly CommuneInput[], options?: UpsertOptions): Promise<UpsertResult>;
}

/** A province's outline for the country map: its communes' display shapes dissolved, simplified to ~200 m. */
const PROVINCE_TOLERANCE_DEG = 0.002;
const PROVINCE_OUTLINE_SQL = `
  UPDATE provinces p SET updated_at = now(), geom_display = (
    SELECT ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SimplifyPreserveTopology(ST_Union(c.geom_display), ${PROVINCE_TOLERANCE_DEG})), 3))
      FROM communes c WHERE c.province_code = p.code)
   WHERE p.code IN (SELECT json_array_elements_text(?::json))`;

const SUMMARY_COLUMNS = `code, name, full_name AS "fullName", kind, province_code AS "provinceCode", population, households, area_km2 AS "areaKm2"`;
const DETAIL_COLUMNS = `${SUMMARY_COLUMNS}, province_name AS "provinceName",
  official_area_km2 AS "officialAreaKm2", household_size AS "householdSize", households_method AS "householdsMethod"`;

// GeoJSON in → a valid 2D MultiPolygon: ST_MakeValid may return a collection, keep its polygons.
const GEOMETRY_SQL = `ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(?), ${SRID_WGS84}))), 3))`;

export function createCommunesRepo(knex: Knex): CommunesRepo {
  return {
    async count() {
      const { rows } = await knex.raw<{ rows: Array<{ n: number }> }>('SELECT count(*) AS n FROM communes');
      return rows[0].n;
    },

    async list() {
      const { rows } = await knex.raw<{ rows: CommuneSummary[] }>(`SELECT ${SUMMARY_COLUMNS} FROM communes ORDER BY code`);
      return rows;
    },

    async get(code, geometry) {
      const column = geometry === 'full' ? 'geom' : 'geom_display';
      const { rows } = await knex.raw<{ rows: Array<CommuneDetail & { geometry: string }> }>(
        `SELECT ${DETAIL_COLUMNS}, ST_AsGeoJSON(${column}, 6) AS geometry FROM communes WHERE code = ?`,
        [code],
      );
      const row = rows[0];
      return row ? { ...row, geometry: JSON.parse(row.geometry) } : null;
    },

    async displayFeatures(detail = 'display') {
      // Simplified from the display geometry at each call; the service keeps the result per data version.
      const geometry = detail === 'overview' ? 'ST_Multi(ST_SimplifyPreserveTopology(geom_display, ?))' : 'geom_display';
      const { rows } = await knex.raw<{ rows: Array<CommuneSummary & { geometry: string }> }>(
        `SELECT ${SUMMARY_COLUMNS}, ST_AsGeoJSON(${geometry}, 5) AS geometry FROM communes ORDER BY code`,
        detail === 'overview' ? [OVERVIEW_TOLERANCE_DEG] : [],
      );
      return rows.map(({ geometry, ...properties }) => ({ properties, geometry: JSON.parse(geometry) }));
    },

    async checkGeometries(items) {
      const out: GeometryCheck[] = [];
      for (const { index, geometry } of items) {
        try {
          const { rows } = await knex.raw<{ rows: Array<{ valid: boolean; empty: boolean; reason: string }> }>(
            `SELECT ST_IsValid(g) AS valid, ST_IsEmpty(g) AS empty, ST_IsValidReason(g) AS reason
               FROM (SELECT ST_Force2D(ST_SetSRID(ST_GeomFromGeoJSON(?), ${SRID_WGS84})) AS g) s`,
            [JSON.stringify(geometry)],
          );
          const r = rows[0];
          out.push({ index, valid: r.valid, empty: r.empty, reason: r.valid ? null : r.reason, readable: true });
        } catch (err) {
          out.push({ index, valid: false, empty: true, reason: (err as Error).message.split('\n')[0], readable: false });
        }
      }
      return out;
    },

    async upsertAll(communes, options = {}) {
      return knex.transaction(async (trx) => {
        // A commune belongs to a province. The provinces list names it (and renames one held);
        // without it, a province not held yet is added under the name the file gives.
        const named = new Map((options.provinces ?? []).map((p) => [p.code, p]));
        const provinces = [...new Map(communes.map((c) => [c.provinceCode, c.provinceName ?? c.provinceCode])).entries()];
        const listed = provinces.filter(([code]) => named.has(code)).map(([code]) => named.get(code)!);
        const unlisted = provinces.filter(([code]) => !named.has(code)).map(([code, name]) => ({ code, name }));
        if (listed.length) {
          await trx.raw(
            `INSERT INTO provinces (code, name, full_name, name_en, kind)
             SELECT x.code, x."name", x."fullName", x."nameEn", x.kind FROM json_to_recordset(?::json) AS x(code text, "name" text, "fullName" text, "nameEn" text, kind text)
             ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, full_name = EXCLUDED.full_name, name_en = EXCLUDED.name_en, kind = EXCLUDED.kind, updated_at = now()
             WHERE (provinces.name, provinces.full_name, provinces.name_en, provinces.kind) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.full_name, EXCLUDED.name_en, EXCLUDED.kind)`,
            [JSON.stringify(listed)],
          );
        }
        if (unlisted.length) {
          await trx.raw(
            `INSERT INTO provinces (code, name, full_name, kind)
             SELECT x.code, x.name, x.name, 'tinh' FROM json_to_recordset(?::json) AS x(code text, name text)
             ON CONFLICT (code) DO NOTHING`,
            [JSON.stringify(unlisted)],
          );
        }
        let inserted = 0;
        const kept: KeptCommune[] = [];
        for (const c of communes) {
          // "old" reads the row as it was before this statement; "up" writes unless the stored boundary is finer.
          const { rows } = await trx.raw<{ rows: Array<{ written: boolean; inserted: boolean | null; stored: number | null; incoming: number }> }>(
            `WITH g AS (SELECT ${GEOMETRY_SQL} AS geom),
             old AS (SELECT ST_NPoints(geom) AS n FROM communes WHERE code = ?),
             up AS (
             INSERT INTO communes (code, name, full_name, kind, province_code, province_name, population,
                                   households, household_size, households_method, official_area_km2,
                                   area_km2, geom, geom_display, imported_at)
             SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,
                    ST_Area(g.geom::geography) / 1e6, g.geom,
                    ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SimplifyPreserveTopology(g.geom, ${DISPLAY_TOLERANCE_DEG})), 3)),
                    now()
               FROM g
             ON CONFLICT (code) DO UPDATE SET
               name = EXCLUDED.name, full_name = EXCLUDED.full_name, kind = EXCLUDED.kind,
               province_code = EXCLUDED.province_code, province_name = EXCLUDED.province_name,
               population = EXCLUDED.population, households = EXCLUDED.households,
               household_size = EXCLUDED.household_size, households_method = EXCLUDED.households_method,
               official_area_km2 = EXCLUDED.official_area_km2, area_km2 = EXCLUDED.area_km2,
               geom = EXCLUDED.geom, geom_display = EXCLUDED.geom_display, imported_at = EXCLUDED.imported_at
             WHERE ?::boolean OR ST_NPoints(communes.geom) <= ST_NPoints(EXCLUDED.geom)
             RETURNING (xmax = 0) AS inserted)
             SELECT EXISTS (SELECT 1 FROM up) AS written, (SELECT inserted FROM up) AS inserted,
                    (SELECT n FROM old) AS stored, (SELECT ST_NPoints(geom) FROM g) AS incoming`,
            [
              JSON.stringify(c.geometry), c.code, c.code, c.name, c.fullName, c.kind, c.provinceCode, c.provinceName,
              c.population, c.households, c.householdSize, c.householdsMethod, c.officialAreaKm2, options.replace === true,
            ],
          );
          const r = rows[0];
          if (!r.written) kept.push({ code: c.code, provinceCode: c.provinceCode, storedVertices: Number(r.stored), fileVertices: Number(r.incoming) });
          else if (r.inserted) inserted += 1;
        }
        await trx.raw(PROVINCE_OUTLINE_SQL, [JSON.stringify(provinces.map(([code]) => code))]);
        return { inserted, updated: communes.length - inserted - kept.length, kept };
      });
    },
  };
}
