import { versionedCache } from '../db/versioned-cache';
import type { StationTileQuery, TilesRepo } from './tiles.repo';

/**
 * Tiles kept by the cache at most: a few megabytes (a z12 tile of the province's sites is a few
 * kilobytes, a cluster tile less), enough for every tile of the province from z5 to z12.
 */
const MAX_TILES = 4096;

/**
 * Station tiles, each encoded once per version of the data: a tile asked again before any write
 * is answered from memory instead of a PostGIS query (or, below zoom 9, grouping every site of the
 * tile in Node). The stamp is read per request, so a write is seen by the next tile asked.
 */
export function createTilesService(repo: TilesRepo, dataVersions: () => Promise<string>) {
  const cache = versionedCache(MAX_TILES);
  return {
    async stations(z: number, x: number, y: number, query: StationTileQuery = {}): Promise<Buffer> {
      return cache(await dataVersions(), `${z}/${x}/${y}|${query.asOf ?? ''}`, () => repo.stations(z, x, y, query));
    },
    encoder: () => repo.encoder(),
  };
}

export type TilesService = ReturnType<typeof createTilesService>;
