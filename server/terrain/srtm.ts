/**
 * Ground heights from a folder of standard SRTM `.hgt` tiles (NASA/USGS, public domain). A tile
 * named N21E105.hgt covers 21–22° N, 105–106° E: n × n big-endian int16 posts (n = 1201 for 3″,
 * 3601 for 1″), metres above the EGM96 geoid, row 0 along the north edge, column 0 along the west
 * edge; neighbouring tiles repeat their shared edge. −32768 marks a void, which is never filled.
 *
 * The coverage engine takes `heightAt` as an input; it reads no file itself.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

/** SRTM void marker. */
export const SRTM_VOID = -32768;
/** Posts per side by resolution: 3″ (SRTM3) and 1″ (SRTM1). */
const POSTS_BY_ARC_SEC: ReadonlyMap<number, 1 | 3> = new Map([[1201, 3], [3601, 1]]);
const TILE_NAME = /^([NS])(\d{2})([EW])(\d{3})\.hgt$/i;

export interface SrtmTileInfo {
  /** File name as found, e.g. N21E105.hgt. */
  name: string;
  /** South-west corner, whole degrees. */
  south: number;
  west: number;
  /** Post spacing, arc-seconds (3 or 1). */
  arcSec: 1 | 3;
  /** Posts per side (1201 or 3601). */
  posts: number;
  /** Posts holding the void marker. */
  voids: number;
}

export interface Terrain {
  /**
   * Ground height at a point, metres above the geoid: bilinear between the four surrounding
   * posts; NaN where unknown (outside every tile, or any of the four posts is a void).
   */
  heightAt(lon: number, lat: number): number;
  /**
   * heightAt at lon0 + j·dLon, lat0 + j·dLat for j = 1 … n, into out[j] (a footprint's radial):
   * the same values, with the tile looked up once when the whole profile lies in one tile.
   */
  heightsAlong(lon0: number, lat0: number, dLon: number, dLat: number, n: number, out: Float64Array): void;
  /** The tiles found, sorted by name. */
  tiles: readonly SrtmTileInfo[];
  /** SHA-256 over every tile's name and bytes, in name order (hex): part of the model version. */
  sha256: string;
  /**
   * Share (0–1) of a bbox [minLon, minLat, maxLon, maxLat] where the height is known, sampled at
   * the centres of a `samples` × `samples` grid.
   */
  knownShare(bbox: readonly [number, number, number, number], samples?: number): number;
}

/** A problem with the terrain folder or one of its tiles; the message names the file. */
export class TerrainError extends Error {
  override name = 'TerrainError';
}

interface Tile extends SrtmTileInfo {
  /** Heights in native byte order, row-major from the north-west post. */
  heights: Int16Array;
}

/** Reads every standard-named `.hgt` file of `dir` (other files are ignored) into memory. */
export async function openSrtmFolder(dir: string): Promise<Terrain> {
  let entries: string[];
  try {
    entries = await fs.readdir(dir);
  } catch (err) {
    throw new TerrainError(`terrain folder ${dir}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const names = entries.filter((n) => TILE_NAME.test(n)).sort();
  const hash = createHash('sha256');
  const tiles: Tile[] = [];
  for (const name of names) {
    const bytes = await fs.readFile(path.join(dir, name));
    hash.update(`${name}\n`);
    hash.update(bytes);
    tiles.push(decodeTile(name, bytes));
  }
  return createTerrain(tiles, hash.digest('hex'));
}

/** One tile from its file name and bytes (exported for tests that build tiles in memory). */
export function decodeTile(name: string, bytes: Uint8Array): Tile {
  const m = TILE_NAME.exec(name);
  if (!m) throw new TerrainError(`terrain tile ${name}: not a standard SRTM name such as N21E105.hgt`);
  const posts = Math.round(Math.sqrt(bytes.length / 2));
  const arcSec = POSTS_BY_ARC_SEC.get(posts);
  if (!arcSec || posts * posts * 2 !== bytes.length) {
    throw new TerrainError(`terrain tile ${name}: ${bytes.length} bytes, expected ${1201 * 1201 * 2} (3″) or ${3601 * 3601 * 2} (1″)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const heights = new Int16Array(posts * posts);
  let voids = 0;
  for (let i = 0; i < heights.length; i++) {
    const h = view.getInt16(2 * i, false);
    heights[i] = h;
    if (h === SRTM_VOID) voids += 1;
  }
  const south = (m[1].toUpperCase() === 'S' ? -1 : 1) * Number(m[2]);
  const west = (m[3].toUpperCase() === 'W' ? -1 : 1) * Number(m[4]);
  return { name, south, west, arcSec, posts, voids, heights };
}

/** A terrain over decoded tiles; two tiles for the same square are refused. */
export function createTerrain(tiles: readonly Tile[], sha256: string): Terrain {
  // Numeric keys: heightAt runs for every sample of every footprint profile.
  const keyOf = (south: number, west: number) => (south + 90) * 1000 + (west + 180);
  const bySquare = new Map<number, Tile>();
  for (const t of tiles) {
    const key = keyOf(t.south, t.west);
    if (bySquare.has(key)) throw new TerrainError(`terrain tiles ${bySquare.get(key)!.name} and ${t.name} cover the same square`);
    bySquare.set(key, t);
  }

  const square = (south: number, west: number) => bySquare.get(keyOf(south, west));
  /** The tile holding a point; a point on a whole degree is also on the edge of the tile south or west of it. */
  function tileFor(lon: number, lat: number): Tile | undefined {
    const s = Math.floor(lat);
    const w = Math.floor(lon);
    return square(s, w)
      ?? (s === lat ? square(s - 1, w) : undefined)
      ?? (w === lon ? square(s, w - 1) : undefined)
      ?? (s === lat && w === lon ? square(s - 1, w - 1) : undefined);
  }

  /** Bilinear height in tile t, whose square holds the point (NaN next to a void). */
  function sample(t: Tile, lon: number, lat: number): number {
    const last = t.posts - 1;
    const x = (lon - t.west) * last;
    const y = (t.south + 1 - lat) * last; // rows run from the north edge
    // A point on the last row or column uses the cell before it, at weight 1.
    const i = Math.min(Math.floor(x), last - 1);
    const j = Math.min(Math.floor(y), last - 1);
    const fx = x - i;
    const fy = y - j;
    const k = j * t.posts + i;
    const h00 = t.heights[k];
    const h10 = t.heights[k + 1];
    const h01 = t.heights[k + t.posts];
    const h11 = t.heights[k + t.posts + 1];
    if (h00 === SRTM_VOID || h10 === SRTM_VOID || h01 === SRTM_VOID || h11 === SRTM_VOID) return Number.NaN;
    return (h00 * (1 - fx) + h10 * fx) * (1 - fy) + (h01 * (1 - fx) + h11 * fx) * fy;
  }

  function heightAt(lon: number, lat: number): number {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return Number.NaN;
    const t = tileFor(lon, lat);
    return t ? sample(t, lon, lat) : Number.NaN;
  }

  /** Whether a point lies in the half-open square [west, west + 1) × [south, south + 1) of tile t: heightAt then reads t. */
  const inSquare = (t: Tile, lon: number, lat: number) => lon >= t.west && lon < t.west + 1 && lat >= t.south && lat < t.south + 1;

  function heightsAlong(lon0: number, lat0: number, dLon: number, dLat: number, n: number, out: Float64Array): void {
    const first = tileFor(lon0 + dLon, lat0 + dLat);
    // The square is convex: with both ends in it, so is every sample between them.
    if (first && inSquare(first, lon0 + dLon, lat0 + dLat) && inSquare(first, lon0 + n * dLon, lat0 + n * dLat)) {
      for (let j = 1; j <= n; j++) out[j] = sample(first, lon0 + j * dLon, lat0 + j * dLat);
      return;
    }
    for (let j = 1; j <= n; j++) out[j] = heightAt(lon0 + j * dLon, lat0 + j * dLat);
  }

  function knownShare([minLon, minLat, maxLon, maxLat]: readonly [number, number, number, number], samples = 64): number {
    let known = 0;
    for (let a = 0; a < samples; a++) {
      for (let b = 0; b < samples; b++) {
        const lon = minLon + ((a + 0.5) / samples) * (maxLon - minLon);
        const lat = minLat + ((b + 0.5) / samples) * (maxLat - minLat);
        if (Number.isFinite(heightAt(lon, lat))) known += 1;
      }
    }
    return known / (samples * samples);
  }

  const infos = [...tiles].sort((a, b) => (a.name < b.name ? -1 : 1)).map(({ heights: _h, ...info }) => Object.freeze(info));
  return { heightAt, heightsAlong, tiles: Object.freeze(infos), sha256, knownShare };
}

/** A terrain as the coverage engine samples it: heightAt, with heightsAlong for whole radials. */
export function heightSampler(terrain: Pick<Terrain, 'heightAt' | 'heightsAlong'>) {
  return Object.assign((lon: number, lat: number) => terrain.heightAt(lon, lat), { along: terrain.heightsAlong });
}
