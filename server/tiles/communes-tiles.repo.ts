import type { Knex } from 'knex';
import vtpbf, { type VtFeature } from 'vt-pbf';
import { TILE_BUFFER, TILE_EXTENT } from './tiles.repo';

export const COMMUNES_LAYER = 'communes';
/**
 * Tolerance of the simplification, in tile units (1/4096 of the tile's width): a vertex closer
 * than half a unit to the line through its neighbours cannot be seen, so the whole country fits
 * a z5 tile while a z12 tile keeps the display geometry's ~20 m detail.
 */
const SIMPLIFY_UNITS = 0.5;

export interface CommunesTilesRepo {
  /** The communes tile z/x/y as Mapbox Vector Tile bytes (empty buffer: no commune there). */
  communes(z: number, x: number, y: number): Promise<Buffer>;
  /** Which encoder served the last tile: PostGIS ST_AsMVT, or Node (vt-pbf) where PostGIS lacks protobuf. */
  encoder(): 'postgis' | 'node' | 'unknown';
}

/**
 * One row per commune touching the tile (its buffer included), the display boundary simplified
 * for the zoom in Web Mercator; `geom` is the only part that differs between the two encoders.
 * Properties are what the map filters and names by; the figures it colours by come from
 * /api/coverage as feature-state, so a recompute never re-encodes a tile.
 */
function communesSql(geom: string): string {
  return `
  WITH bounds AS (SELECT ST_TileEnvelope(?, ?, ?) AS env),
  area AS (SELECT env, (ST_XMax(env) - ST_XMin(env)) / ${TILE_EXTENT}.0 AS unit_m,
                  ST_Expand(env, (ST_XMax(env) - ST_XMin(env)) * ${TILE_BUFFER} / ${TILE_EXTENT}.0) AS buffered FROM bounds),
  clip AS (SELECT area.*, ST_Transform(buffered, 4326) AS clip4326 FROM area),
  c AS (
    SELECT c.code, c.name, c.full_name, c.province_code, c.kind, clip.env, clip.buffered,
           ST_Simplify(ST_Transform(c.geom_display, 3857), clip.unit_m * ${SIMPLIFY_UNITS}, true) AS g
      FROM communes c CROSS JOIN clip
     WHERE c.geom_display && clip.clip4326)
  SELECT (c.code)::int AS id, c.code, c.name, c.full_name AS "fullName", c.province_code AS "provinceCode", c.kind,
         ${geom}
    FROM c`;
}

/**
 * The same affine map ST_AsMVTGeom applies (tile-local, y down, snapped to whole units), clipped to
 * the buffered tile; exterior rings then have a positive area in tile units (clockwise with y
 * down), as the MVT specification (4.3.4.4) asks.
 */
const TILE_GEOM = `ST_AsGeoJSON(ST_ForcePolygonCCW(ST_CollectionExtract(ST_MakeValid(ST_SnapToGrid(ST_Affine(
    ST_ClipByBox2D(c.g, c.buffered),
    ${TILE_EXTENT} / (ST_XMax(c.env) - ST_XMin(c.env)), 0, 0, -${TILE_EXTENT} / (ST_YMax(c.env) - ST_YMin(c.env)),
    -ST_XMin(c.env) * ${TILE_EXTENT} / (ST_XMax(c.env) - ST_XMin(c.env)), ST_YMax(c.env) * ${TILE_EXTENT} / (ST_YMax(c.env) - ST_YMin(c.env))), 1)), 3)), 0) AS geojson`;

type Ring = Array<[number, number]>;

function ringsOf(geojson: string | null): Ring[] {
  if (!geojson) return [];
  const g = JSON.parse(geojson) as GeoJSON.Polygon | GeoJSON.MultiPolygon;
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.type === 'MultiPolygon' ? g.coordinates : [];
  // Slivers left by snapping to whole units (under one unit², i.e. under a pixel) cannot be seen.
  return (polygons.flat() as Ring[]).filter((r) => r.length >= 4 && Math.abs(ringArea(r)) >= 1);
}

/** Surveyor's formula, tile units²: positive for an exterior ring (MVT 4.3.4.4). */
export function ringArea(ring: ReadonlyArray<readonly [number, number]>): number {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += (ring[j][0] - ring[i][0]) * (ring[j][1] + ring[i][1]);
  return a / 2;
}

/** `encoder: 'node'` forces the Node encoder (tests compare both on a server that has ST_AsMVT). */
export function createCommunesTilesRepo(knex: Knex, options: { encoder?: 'node' } = {}): CommunesTilesRepo {
  let mode: 'postgis' | 'node' | 'unknown' = options.encoder ?? 'unknown';

  async function viaPostgis(z: number, x: number, y: number): Promise<Buffer> {
    const { rows } = await knex.raw<{ rows: Array<{ tile: Buffer }> }>(
      `WITH f AS (${communesSql(`ST_AsMVTGeom(c.g, c.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom`)})
       SELECT ST_AsMVT(f.*, '${COMMUNES_LAYER}', ${TILE_EXTENT}, 'geom', 'id') AS tile FROM f WHERE f.geom IS NOT NULL`,
      [z, x, y],
    );
    return rows[0]?.tile ?? Buffer.alloc(0);
  }

  async function viaNode(z: number, x: number, y: number): Promise<Buffer> {
    const { rows } = await knex.raw<{ rows: Array<Record<string, string | number> & { id: number; geojson: string | null }> }>(communesSql(TILE_GEOM), [z, x, y]);
    const features: VtFeature[] = [];
    for (const { id, geojson, ...tags } of rows) {
      const rings = ringsOf(geojson);
      if (rings.length) features.push({ type: 3, id: Number(id), geometry: rings, tags });
    }
    return features.length ? Buffer.from(vtpbf.fromGeojsonVt({ [COMMUNES_LAYER]: { features } }, { version: 2, extent: TILE_EXTENT })) : Buffer.alloc(0);
  }

  return {
    async communes(z, x, y) {
      if (mode === 'node') return viaNode(z, x, y);
      try {
        const tile = await viaPostgis(z, x, y);
        mode = 'postgis';
        return tile;
      } catch (err) {
        // The embedded PostGIS is built without protobuf-c: encode in Node from then on.
        if (!/protobuf/i.test((err as Error).message)) throw err;
        mode = 'node';
        return viaNode(z, x, y);
      }
    },
    encoder: () => mode,
  };
}
