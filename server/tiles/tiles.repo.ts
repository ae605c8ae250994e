import type { Knex } from 'knex';
import vtpbf, { type VtFeature } from 'vt-pbf';

export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;
export const STATIONS_LAYER = 'stations';

export interface TilesRepo {
  /** The stations tile z/x/y as Mapbox Vector Tile bytes (empty buffer: nothing there). */
  stations(z: number, x: number, y: number): Promise<Buffer>;
  /** Which encoder served the last tile: PostGIS ST_AsMVT, or Node (vt-pbf) where PostGIS lacks protobuf. */
  encoder(): 'postgis' | 'node' | 'unknown';
}

// One row per station with its attributes; `{{geom}}` is the only part that differs between the
// two encoders. Technologies are flags so a map filters with ['get', 't5G'].
const STATIONS_SQL = (geom: string) => `
  WITH bounds AS (SELECT ST_TileEnvelope(?, ?, ?) AS env),
  area AS (SELECT env, ST_Transform(ST_Expand(env, (ST_XMax(env) - ST_XMin(env)) * ${TILE_BUFFER} / ${TILE_EXTENT}.0), 4326) AS clip FROM bounds)
  SELECT s.id, s.operator, s.site_code AS "siteCode", s.name, s.is_demo AS "isDemo",
         bool_or(r.technology = '2G') AS "t2G", bool_or(r.technology = '3G') AS "t3G",
         bool_or(r.technology = '4G') AS "t4G", bool_or(r.technology = '5G') AS "t5G",
         string_agg(DISTINCT r.technology, ',' ORDER BY r.technology) AS technologies,
         coalesce(bool_or(r.status = 'active'), false) AS active,
         ${geom}
    FROM stations s CROSS JOIN area LEFT JOIN radios r ON r.station_id = s.id
   WHERE s.geom && area.clip
   GROUP BY s.id, area.env`;

/** `encoder: 'node'` forces the Node encoder (tests compare both on a server that has ST_AsMVT). */
export function createTilesRepo(knex: Knex, options: { encoder?: 'node' } = {}): TilesRepo {
  let mode: 'postgis' | 'node' | 'unknown' = options.encoder ?? 'unknown';

  async function viaPostgis(z: number, x: number, y: number): Promise<Buffer> {
    const { rows } = await knex.raw<{ rows: Array<{ tile: Buffer }> }>(
      `WITH f AS (${STATIONS_SQL(`ST_AsMVTGeom(ST_Transform(s.geom, 3857), area.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom`)})
       SELECT ST_AsMVT(f.*, '${STATIONS_LAYER}', ${TILE_EXTENT}, 'geom', 'id') AS tile FROM f WHERE f.geom IS NOT NULL`,
      [z, x, y],
    );
    return rows[0]?.tile ?? Buffer.alloc(0);
  }

  async function viaNode(z: number, x: number, y: number): Promise<Buffer> {
    // The same affine map ST_AsMVTGeom applies to a point: tile-local, y down, rounded.
    const { rows } = await knex.raw<{ rows: Array<Record<string, unknown> & { id: number; tx: number; ty: number }> }>(
      STATIONS_SQL(`round((ST_X(ST_Transform(s.geom, 3857)) - ST_XMin(area.env)) / (ST_XMax(area.env) - ST_XMin(area.env)) * ${TILE_EXTENT})::int AS tx,
                    round((ST_YMax(area.env) - ST_Y(ST_Transform(s.geom, 3857))) / (ST_YMax(area.env) - ST_YMin(area.env)) * ${TILE_EXTENT})::int AS ty`),
      [z, x, y],
    );
    if (rows.length === 0) return Buffer.alloc(0);
    const features: VtFeature[] = rows.map(({ id, tx, ty, ...props }) => ({
      type: 1,
      id,
      geometry: [[tx, ty]],
      tags: Object.fromEntries(Object.entries(props).filter(([, v]) => v !== null)) as VtFeature['tags'],
    }));
    return Buffer.from(vtpbf.fromGeojsonVt({ [STATIONS_LAYER]: { features } }, { version: 2, extent: TILE_EXTENT }));
  }

  return {
    async stations(z, x, y) {
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
