import { stampedCache } from '../db/versioned-cache';
import type { CommunesTilesRepo } from './communes-tiles.repo';
import type { StationTileQuery, TilesRepo } from './tiles.repo';

/**
 * Tiles kept by the cache at most. The province spans about 11 × 10 tiles at z12 (the range
 * bench:api asks for) and fewer at each zoom below, so every tile from z5 to z12, for today and a
 * few past dates, fits; memory is bounded by this count (tile sizes were not measured).
 */
const MAX_TILES = 4096;

/**
 * Station and commune tiles, each encoded once per version of the data: a tile asked again before
 * any write is answered from memory instead of a PostGIS query (or, below zoom 9, grouping every
 * site of the tile in Node). The stamp is read per request, so a write is seen by the next tile
 * asked. Both layers share the one cache (and its bound).
 */
export function createTilesService(repo: TilesRepo, communes: CommunesTilesRepo, dataVersions: () => Promise<string>) {
  const cached = stampedCache(dataVersions, MAX_TILES);
  return {
    stations: (z: number, x: number, y: number, query: StationTileQuery = {}): Promise<Buffer> =>
      cached(`stations/${z}/${x}/${y}|${query.asOf ?? ''}`, () => repo.stations(z, x, y, query)),
    communes: (z: number, x: number, y: number): Promise<Buffer> => cached(`communes/${z}/${x}/${y}`, () => communes.communes(z, x, y)),
    encoder: () => repo.encoder(),
  };
}

export type TilesService = ReturnType<typeof createTilesService>;
