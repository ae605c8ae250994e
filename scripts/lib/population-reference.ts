/**
 * An independent, exact reference for population coverage under the dasymetric rule, computed by
 * PostGIS alone (no engine code): each grid cell is a polygon holding its people; each commune's
 * official population is spread over the commune in proportion to the grid's density weighted by
 * area, and the covered people are the integral of that density over the covered part:
 *
 *   covered = P × Σ_c g_c · area(c ∩ commune ∩ cover) / A_c  ÷  Σ_c g_c · area(c ∩ commune) / A_c
 *
 * (g_c the cell's people, A_c its area). Where the denominator is 0 (the grid does not reach the
 * commune, or holds no people there) the population is spread evenly: P × area(commune ∩ cover) /
 * area(commune). Areas are taken in UTM 48N, as `exactPostgisCoverage` (scripts/bench-coverage.ts)
 * does; only ratios of areas enter the figures, and inside one cell those ratios hardly depend on
 * the projection.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { Knex } from 'knex';
import type { PopulationGrid } from '../../server/coverage/engine/population';

/** UTM zone 48N: metres, conformal, the zone of Phú Thọ (central meridian 105° E). */
const SRID_UTM48N = 32648;
const SRID_WGS84 = 4326;
/** Snap-rounding grid of the overlays, metres (see OVERLAY_GRID_M in scripts/bench-coverage.ts). */
const OVERLAY_GRID_M = 0.001;
/** Vertices per piece when communes and covered parts are cut up so cells meet small polygons. */
const SUBDIVIDE_VERTICES = 256;
/** Points added per cell edge before projecting, so the parallels bend as they do in UTM. */
const CELL_EDGE_STEPS = 8;

export interface ReferenceCommune {
  code: string;
  /** Official population; null or 0: nothing to cover. */
  population: number | null;
  geometry: Polygon | MultiPolygon;
}

/** Communes given inline, or read from the `communes` table (all, or those with these codes). */
export type ReferenceCommunes = readonly ReferenceCommune[] | { codes?: readonly string[] };

export interface PopulationReferenceFigure {
  communeCode: string;
  population: number;
  /** 'grid': dasymetric weights; 'even': the grid holds no people in the commune. */
  model: 'grid' | 'even';
  /** Σ g_c · area(c ∩ commune) / A_c: the grid's people inside the commune. */
  weight: number;
  /** Σ g_c · area(c ∩ commune ∩ cover) / A_c. */
  coveredWeight: number;
  coveredPeople: number;
  populationPct: number;
  /** Commune area and its covered part in UTM 48N, m². */
  areaM2: number;
  coveredM2: number;
  areaPct: number;
}

export interface PopulationReferenceInput {
  communes: ReferenceCommunes;
  /** Footprints, [lon, lat] WGS84; their union is the cover. */
  footprints: ReadonlyArray<Polygon | MultiPolygon>;
  grid: PopulationGrid;
}

/** The figures for one cover; see the module comment for the rule. */
export async function exactPostgisPopulationCoverage(knex: Knex, input: PopulationReferenceInput): Promise<PopulationReferenceFigure[]> {
  const byCover = await exactPostgisPopulationCoverageByCover(knex, { communes: input.communes, grid: input.grid, covers: { cover: input.footprints } });
  return byCover.cover;
}

/**
 * The figures for several covers at once (one per technology and operator group, say): the cells
 * and the communes' denominators are built once.
 */
export async function exactPostgisPopulationCoverageByCover<K extends string>(
  knex: Knex,
  input: { communes: ReferenceCommunes; grid: PopulationGrid; covers: Readonly<Record<K, ReadonlyArray<Polygon | MultiPolygon>>> },
): Promise<Record<K, PopulationReferenceFigure[]>> {
  const { grid } = input;
  const cells: Array<[number, number, number]> = [];
  for (let row = 0; row < grid.height; row++) {
    for (let col = 0; col < grid.width; col++) {
      const v = grid.values[row * grid.width + col];
      if (v > 0) cells.push([col, row, v]); // NaN, no data and 0: no people
    }
  }
  // Temporary tables live in one session: hold one connection (a transaction) throughout.
  return knex.transaction(async (trx) => {
    await createCommunesTable(trx, input.communes);
    await trx.raw(
      `CREATE TEMP TABLE pr_cells ON COMMIT DROP AS
       WITH x AS (SELECT * FROM json_to_recordset(?::json) AS x(c int, r int, v float8)),
            e AS (SELECT v, ST_Transform(ST_Segmentize(ST_MakeEnvelope(
                      ?::float8 + c * ?::float8, ?::float8 - (r + 1) * ?::float8,
                      ?::float8 + (c + 1) * ?::float8, ?::float8 - r * ?::float8, ${SRID_WGS84}), ?::float8), ${SRID_UTM48N}) AS g FROM x)
       SELECT v AS people, g, ST_Area(g) AS area_m2 FROM e
        WHERE EXISTS (SELECT 1 FROM pr_c c WHERE c.g && e.g)`,
      [
        JSON.stringify(cells.map(([c, r, v]) => ({ c, r, v }))),
        grid.west, grid.cellDegX, grid.north, grid.cellDegY, grid.west, grid.cellDegX, grid.north, grid.cellDegY,
        Math.min(grid.cellDegX, grid.cellDegY) / CELL_EDGE_STEPS,
      ],
    );
    await trx.raw('CREATE INDEX ON pr_cells USING gist (g)');
    await trx.raw('ANALYZE pr_cells');
    const denominators = await weightsOver(trx, 'pr_c');

    const out = {} as Record<K, PopulationReferenceFigure[]>;
    for (const key of Object.keys(input.covers) as K[]) {
      await trx.raw('DROP TABLE IF EXISTS pr_cover');
      await trx.raw(
        `CREATE TEMP TABLE pr_cover ON COMMIT DROP AS
         WITH f AS (SELECT ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(j::text), ${SRID_WGS84}), ${SRID_UTM48N}) AS g
                      FROM json_array_elements(?::json) AS j),
              u AS (SELECT ST_Union(g, ?::float8) AS g FROM f WHERE EXISTS (SELECT 1 FROM pr_c c WHERE c.g && f.g))
         SELECT c.code, ST_CollectionExtract(ST_Intersection(c.g, u.g, ?::float8), 3) AS g FROM pr_c c CROSS JOIN u WHERE u.g IS NOT NULL`,
        [JSON.stringify(input.covers[key]), OVERLAY_GRID_M, OVERLAY_GRID_M],
      );
      const covered = new Map((await weightsOver(trx, 'pr_cover')).map((w) => [w.code, w]));
      out[key] = denominators.map((d) => figure(d, covered.get(d.code)));
    }
    return out;
  });
}

interface Weights {
  code: string;
  population: number;
  areaM2: number;
  weight: number;
}

async function createCommunesTable(trx: Knex.Transaction, communes: ReferenceCommunes) {
  if (Array.isArray(communes)) {
    const list = communes as readonly ReferenceCommune[];
    await trx.raw(
      `CREATE TEMP TABLE pr_c ON COMMIT DROP AS
       SELECT code, coalesce(population, 0)::float8 AS population,
              ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(geometry::text), ${SRID_WGS84}), ${SRID_UTM48N}) AS g
         FROM json_to_recordset(?::json) AS x(code text, population float8, geometry json)`,
      [JSON.stringify(list.map((c) => ({ code: c.code, population: c.population, geometry: c.geometry })))],
    );
  } else {
    const codes = (communes as { codes?: readonly string[] }).codes;
    const filter = codes ? JSON.stringify(codes) : null;
    await trx.raw(
      `CREATE TEMP TABLE pr_c ON COMMIT DROP AS
       SELECT code, coalesce(population, 0)::float8 AS population, ST_Transform(geom, ${SRID_UTM48N}) AS g FROM communes
        WHERE ?::json IS NULL OR code IN (SELECT json_array_elements_text(?::json))`,
      [filter, filter],
    );
  }
  await trx.raw('CREATE INDEX ON pr_c USING gist (g)');
}

/**
 * For every commune, Σ g_c · area(c ∩ piece) / A_c over the polygons of `table` (code, g), cut into
 * small pieces first so each cell is intersected with a few hundred vertices, not a whole commune.
 */
async function weightsOver(trx: Knex.Transaction, table: 'pr_c' | 'pr_cover'): Promise<Weights[]> {
  await trx.raw(`DROP TABLE IF EXISTS pr_pieces`);
  await trx.raw(
    `CREATE TEMP TABLE pr_pieces ON COMMIT DROP AS
     SELECT code, ST_Subdivide(g, ${SUBDIVIDE_VERTICES}) AS g FROM ${table} WHERE NOT ST_IsEmpty(g)`,
  );
  await trx.raw('CREATE INDEX ON pr_pieces USING gist (g)');
  await trx.raw('ANALYZE pr_pieces');
  const { rows } = await trx.raw(
    `WITH a AS (SELECT code, sum(ST_Area(g)) AS area_m2 FROM pr_pieces GROUP BY code),
          w AS (SELECT p.code, sum(x.people * ST_Area(ST_Intersection(x.g, p.g, ?::float8)) / x.area_m2) AS weight
                  FROM pr_pieces p JOIN pr_cells x ON x.g && p.g GROUP BY p.code)
     SELECT c.code, c.population, coalesce(a.area_m2, 0) AS "areaM2", coalesce(w.weight, 0) AS weight
       FROM pr_c c LEFT JOIN a ON a.code = c.code LEFT JOIN w ON w.code = c.code ORDER BY c.code`,
    [OVERLAY_GRID_M],
  );
  return rows as Weights[];
}

function figure(commune: Weights, covered: Weights | undefined): PopulationReferenceFigure {
  const coveredM2 = covered?.areaM2 ?? 0;
  const coveredWeight = covered?.weight ?? 0;
  const model = commune.weight > 0 ? 'grid' : 'even';
  const share = model === 'grid' ? coveredWeight / commune.weight : commune.areaM2 > 0 ? coveredM2 / commune.areaM2 : 0;
  return {
    communeCode: commune.code,
    population: commune.population,
    model,
    weight: commune.weight,
    coveredWeight,
    coveredPeople: commune.population * share,
    populationPct: 100 * share,
    areaM2: commune.areaM2,
    coveredM2,
    areaPct: commune.areaM2 > 0 ? (100 * coveredM2) / commune.areaM2 : 0,
  };
}
