import type { Knex } from 'knex';
import type { PopulationGrid } from '../coverage/engine/population';

export const SRID_WGS84 = 4326;
/** Vertices per piece when communes are cut up, so each cell meets a small polygon, not a whole commune. */
const SUBDIVIDE_VERTICES = 128;
/** Coordinates of the answer: 5 decimals, about 1 m. */
const GEOJSON_DECIMALS = 5;

export interface DensityRow {
  communeCode: string;
  densityPerKm2: number;
  spread: 'grid' | 'even';
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
  /** [minLon, minLat, maxLon, maxLat] of the piece, for filtering by a view. */
  bbox: [number, number, number, number];
}

export interface PopulationRepo {
  /** [minLon, minLat, maxLon, maxLat] of every commune; null without communes. */
  extent(): Promise<[number, number, number, number] | null>;
  /**
   * The dasymetric density on every piece (cell ∩ commune) of every commune, people/km²:
   * P × (g_c / A_c) ÷ Σ_c g_c · a_c / A_c, with a_c the area of the piece and A_c of the cell
   * (geodesic areas); a commune whose cells hold nobody, or without a grid, is one piece at P / area.
   */
  densityPieces(grid: PopulationGrid | null): Promise<DensityRow[]>;
}

export function createPopulationRepo(knex: Knex): PopulationRepo {
  return {
    async extent() {
      const { rows } = await knex.raw(
        `SELECT ST_XMin(e) AS w, ST_YMin(e) AS s, ST_XMax(e) AS e, ST_YMax(e) AS n FROM (SELECT ST_Extent(geom)::geometry AS e FROM communes) x`,
      );
      const r = rows[0] as { w: number | null; s: number; e: number; n: number };
      return r.w === null ? null : [r.w, r.s, r.e, r.n];
    },

    async densityPieces(grid) {
      const cells: Array<{ c: number; r: number; v: number }> = [];
      if (grid) {
        for (let r = 0; r < grid.height; r++) {
          for (let c = 0; c < grid.width; c++) {
            const v = grid.values[r * grid.width + c];
            if (v > 0) cells.push({ c, r, v }); // NaN (no data) and 0: nobody
          }
        }
      }
      const g = grid ?? { west: 0, north: 0, cellDegX: 1, cellDegY: 1 };
      // The display geometry (about 20 m): this is a map layer; the figures use the full one.
      const { rows } = await knex.raw(
        `WITH x AS (SELECT * FROM json_to_recordset(?::json) AS x(c int, r int, v float8)),
              cell AS (SELECT c, r, v, ST_MakeEnvelope(?::float8 + c * ?::float8, ?::float8 - (r + 1) * ?::float8,
                                                       ?::float8 + (c + 1) * ?::float8, ?::float8 - r * ?::float8, ${SRID_WGS84}) AS g FROM x),
              cell_a AS (SELECT c, r, v, g, ST_Area(g::geography) / 1e6 AS a_km2 FROM cell),
              part AS (SELECT code, ST_Subdivide(geom_display, ${SUBDIVIDE_VERTICES}) AS g FROM communes),
              bit AS (SELECT p.code, x.c, x.r, x.v, x.a_km2, ST_Intersection(p.g, x.g) AS g
                        FROM part p JOIN cell_a x ON p.g && x.g AND ST_Intersects(p.g, x.g)),
              piece AS (SELECT code, c, r, v, a_km2, ST_CollectionExtract(ST_Union(g), 3) AS g FROM bit GROUP BY code, c, r, v, a_km2),
              piece_a AS (SELECT *, ST_Area(g::geography) / 1e6 AS piece_km2 FROM piece WHERE NOT ST_IsEmpty(g)),
              w AS (SELECT code, sum(v * piece_km2 / a_km2) AS weight FROM piece_a GROUP BY code),
              out AS (
                SELECT m.code, coalesce(m.population, 0) * (p.v / p.a_km2) / w.weight AS density, 'grid' AS spread, p.g
                  FROM communes m JOIN w ON w.code = m.code AND w.weight > 0 JOIN piece_a p ON p.code = m.code
                UNION ALL
                SELECT m.code, CASE WHEN m.area_km2 > 0 THEN coalesce(m.population, 0) / m.area_km2 ELSE 0 END, 'even', m.geom_display
                  FROM communes m WHERE NOT EXISTS (SELECT 1 FROM w WHERE w.code = m.code AND w.weight > 0))
         SELECT code AS "communeCode", density AS "densityPerKm2", spread, ST_AsGeoJSON(g, ${GEOJSON_DECIMALS}) AS geometry,
                ST_XMin(g) AS w, ST_YMin(g) AS s, ST_XMax(g) AS e, ST_YMax(g) AS n
           FROM out ORDER BY code, w, n`,
        [JSON.stringify(cells), g.west, g.cellDegX, g.north, g.cellDegY, g.west, g.cellDegX, g.north, g.cellDegY],
      );
      return (rows as Array<{ communeCode: string; densityPerKm2: number; spread: 'grid' | 'even'; geometry: string; w: number; s: number; e: number; n: number }>)
        .map((r) => ({ communeCode: r.communeCode, densityPerKm2: r.densityPerKm2, spread: r.spread, geometry: JSON.parse(r.geometry), bbox: [r.w, r.s, r.e, r.n] }));
    },
  };
}
