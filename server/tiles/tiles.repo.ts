import type { Knex } from 'knex';
import vtpbf, { type VtFeature } from 'vt-pbf';
import { BUILT_BY_SQL, ON_AIR_SQL } from '../stations/on-air';

export const TILE_EXTENT = 4096;
export const TILE_BUFFER = 64;
export const STATIONS_LAYER = 'stations';
/**
 * Below this zoom a tile carries clusters instead of sites: the province's ~10,000 sites in one
 * z8 tile would be half a megabyte drawn as a smear. One cluster per operator and grid cell.
 */
export const CLUSTER_BELOW_ZOOM = 9;
/** Grid cell of the clusters, tile units: 512 of 4096, i.e. 32 px on a 256 px tile. */
const CLUSTER_CELL = 512;

export interface StationTileQuery {
  /** The stations as they were on this day (YYYY-MM-DD): built by then, on air that day. Default: today, all stations. */
  asOf?: string;
}

export interface TilesRepo {
  /** The stations tile z/x/y as Mapbox Vector Tile bytes (empty buffer: nothing there). */
  stations(z: number, x: number, y: number, query?: StationTileQuery): Promise<Buffer>;
  /** Which encoder served the last site tile: PostGIS ST_AsMVT, or Node (vt-pbf) where PostGIS lacks protobuf. */
  encoder(): 'postgis' | 'node' | 'unknown';
}

/**
 * One row per station with its attributes; `geom` is the only part that differs between the two
 * encoders. Technologies are flags so a map filters with ['get', 't5G']. With a date, only the
 * radios built by then count, and `active` means on air that day.
 */
function stationsSql(geom: string, asOf: string | undefined): { sql: string; bindings: Knex.Value[] } {
  const radios = asOf ? `LEFT JOIN radios r ON r.station_id = s.id AND ${BUILT_BY_SQL}` : 'LEFT JOIN radios r ON r.station_id = s.id';
  const active = asOf ? `coalesce(bool_or(${ON_AIR_SQL}), false)` : "coalesce(bool_or(r.status = 'active'), false)";
  const sql = `
  WITH bounds AS (SELECT ST_TileEnvelope(?, ?, ?) AS env),
  area AS (SELECT env, ST_Transform(ST_Expand(env, (ST_XMax(env) - ST_XMin(env)) * ${TILE_BUFFER} / ${TILE_EXTENT}.0), 4326) AS clip FROM bounds)
  SELECT s.id, s.operator, s.site_code AS "siteCode", s.name, s.is_demo AS "isDemo",
         bool_or(r.technology = '2G') AS "t2G", bool_or(r.technology = '3G') AS "t3G",
         bool_or(r.technology = '4G') AS "t4G", bool_or(r.technology = '5G') AS "t5G",
         string_agg(DISTINCT r.technology, ',' ORDER BY r.technology) AS technologies,
         ${active} AS active,
         ${geom}
    FROM stations s CROSS JOIN area ${radios}
   WHERE s.geom && area.clip
   GROUP BY s.province_code, s.id, area.env
   ${asOf ? 'HAVING count(r.id) > 0' : ''}`;
  return { sql, bindings: asOf ? [asOf, asOf, asOf] : [] };
}

// The same affine map ST_AsMVTGeom applies to a point: tile-local, y down, rounded.
const TILE_XY = `round((ST_X(ST_Transform(s.geom, 3857)) - ST_XMin(area.env)) / (ST_XMax(area.env) - ST_XMin(area.env)) * ${TILE_EXTENT})::int AS tx,
                 round((ST_YMax(area.env) - ST_Y(ST_Transform(s.geom, 3857))) / (ST_YMax(area.env) - ST_YMin(area.env)) * ${TILE_EXTENT})::int AS ty`;

function encode(features: VtFeature[]): Buffer {
  return features.length ? Buffer.from(vtpbf.fromGeojsonVt({ [STATIONS_LAYER]: { features } }, { version: 2, extent: TILE_EXTENT })) : Buffer.alloc(0);
}

const tagsOf = (props: Record<string, unknown>) => Object.fromEntries(Object.entries(props).filter(([, v]) => v !== null)) as VtFeature['tags'];

/** `encoder: 'node'` forces the Node encoder (tests compare both on a server that has ST_AsMVT). */
export function createTilesRepo(knex: Knex, options: { encoder?: 'node' } = {}): TilesRepo {
  let mode: 'postgis' | 'node' | 'unknown' = options.encoder ?? 'unknown';

  async function viaPostgis(z: number, x: number, y: number, asOf?: string): Promise<Buffer> {
    const q = stationsSql(`ST_AsMVTGeom(ST_Transform(s.geom, 3857), area.env, ${TILE_EXTENT}, ${TILE_BUFFER}, true) AS geom`, asOf);
    const { rows } = await knex.raw<{ rows: Array<{ tile: Buffer }> }>(
      `WITH f AS (${q.sql})
       SELECT ST_AsMVT(f.*, '${STATIONS_LAYER}', ${TILE_EXTENT}, 'geom', 'id') AS tile FROM f WHERE f.geom IS NOT NULL`,
      [z, x, y, ...q.bindings],
    );
    return rows[0]?.tile ?? Buffer.alloc(0);
  }

  async function sites(z: number, x: number, y: number, asOf?: string) {
    const q = stationsSql(TILE_XY, asOf);
    const { rows } = await knex.raw<{ rows: Array<Record<string, unknown> & { id: number; tx: number; ty: number }> }>(q.sql, [z, x, y, ...q.bindings]);
    return rows;
  }

  async function viaNode(z: number, x: number, y: number, asOf?: string): Promise<Buffer> {
    const rows = await sites(z, x, y, asOf);
    return encode(rows.map(({ id, tx, ty, ...props }) => ({ type: 1, id, geometry: [[tx, ty]], tags: tagsOf(props) })));
  }

  /**
   * Sites on air, grouped per operator in cells of the tile's grid, placed at their members' mean
   * position: `cluster: true`, `count` sites, `n2G`…`n5G` of them with each technology and the
   * same `t2G`…`t5G` flags as sites, so one filter serves both.
   */
  async function clusters(z: number, x: number, y: number, asOf?: string): Promise<Buffer> {
    const cells = new Map<string, { operator: string; n: number; sx: number; sy: number; tech: Record<string, number> }>();
    for (const s of await sites(z, x, y, asOf)) {
      // Only this tile's own sites (not its buffer's): a cluster is drawn by one tile, never twice.
      if (s.active !== true || s.tx < 0 || s.ty < 0 || s.tx >= TILE_EXTENT || s.ty >= TILE_EXTENT) continue;
      const key = `${s.operator}|${Math.floor(s.tx / CLUSTER_CELL)}|${Math.floor(s.ty / CLUSTER_CELL)}`;
      const cell = cells.get(key) ?? { operator: String(s.operator), n: 0, sx: 0, sy: 0, tech: { '2G': 0, '3G': 0, '4G': 0, '5G': 0 } };
      cell.n += 1;
      cell.sx += s.tx;
      cell.sy += s.ty;
      for (const t of ['2G', '3G', '4G', '5G']) if (s[`t${t}`] === true) cell.tech[t] += 1;
      cells.set(key, cell);
    }
    const features: VtFeature[] = [...cells.values()]
      .sort((a, b) => a.operator.localeCompare(b.operator) || a.sx / a.n - b.sx / b.n || a.sy / a.n - b.sy / b.n)
      .map((c, i) => ({
        type: 1, id: i + 1, geometry: [[Math.round(c.sx / c.n), Math.round(c.sy / c.n)]],
        tags: {
          cluster: true, operator: c.operator, count: c.n,
          ...Object.fromEntries(Object.entries(c.tech).flatMap(([t, n]) => [[`n${t}`, n], [`t${t}`, n > 0]])),
        } as VtFeature['tags'],
      }));
    return encode(features);
  }

  return {
    async stations(z, x, y, query = {}) {
      if (z < CLUSTER_BELOW_ZOOM) return clusters(z, x, y, query.asOf);
      if (mode === 'node') return viaNode(z, x, y, query.asOf);
      try {
        const tile = await viaPostgis(z, x, y, query.asOf);
        mode = 'postgis';
        return tile;
      } catch (err) {
        // The embedded PostGIS is built without protobuf-c: encode in Node from then on.
        if (!/protobuf/i.test((err as Error).message)) throw err;
        mode = 'node';
        return viaNode(z, x, y, query.asOf);
      }
    },
    encoder: () => mode,
  };
}
