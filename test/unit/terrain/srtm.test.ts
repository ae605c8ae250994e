import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeTile, openSrtmFolder, SRTM_VOID, TerrainError } from '../../../server/terrain/srtm';
import { loadConfig } from '../../../server/config';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'phusong-srtm-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** Writes a tile of `posts` × `posts` big-endian int16 heights `h(col, row)` into a new folder. */
function writeTile(folder: string, name: string, posts: number, h: (col: number, row: number) => number): string {
  const dir = path.join(root, folder);
  fs.mkdirSync(dir, { recursive: true });
  const bytes = Buffer.alloc(posts * posts * 2);
  for (let row = 0; row < posts; row++) for (let col = 0; col < posts; col++) bytes.writeInt16BE(h(col, row), 2 * (row * posts + col));
  fs.writeFileSync(path.join(dir, name), bytes);
  return dir;
}

// A plane on the posts of N21E105 (3″): 100 m + 2 m per column east + 3 m per row south.
const plane = (col: number, row: number) => 100 + 2 * col + 3 * row;
const planeAt = (lon: number, lat: number) => 100 + 2 * (lon - 105) * 1200 + 3 * (22 - lat) * 1200;

describe('openSrtmFolder on tiles written by the test', () => {
  it('bilinear is exact on a plane, at posts, between them and on the edges', async () => {
    const t = await openSrtmFolder(writeTile('plane', 'N21E105.hgt', 1201, plane));
    expect(t.tiles).toEqual([{ name: 'N21E105.hgt', south: 21, west: 105, arcSec: 3, posts: 1201, voids: 0 }]);
    for (const [lon, lat] of [[105.5, 21.5], [105.123456, 21.987654], [105.9999, 21.0001], [105.0004, 21.4], [105, 22], [106, 21.5], [105.5, 22], [106, 21]]) {
      expect(t.heightAt(lon, lat)).toBeCloseTo(planeAt(lon, lat), 6);
    }
    // The tile's edges on whole degrees (106° E, 22° N) belong to it too; the corner posts.
    expect(t.heightAt(105, 22)).toBe(100);
    expect(t.heightAt(106, 21)).toBe(100 + 2400 + 3600);
    expect(t.heightAt(106.0001, 21.5)).toBeNaN();
  });

  it('NaN around a void (never filled), outside every tile and for non-numbers', async () => {
    // Void at column 600, row 600 (105.5° E, 21.5° N).
    const dir = writeTile('void', 'N21E105.hgt', 1201, (c, r) => (c === 600 && r === 600 ? SRTM_VOID : plane(c, r)));
    const t = await openSrtmFolder(dir);
    expect(t.tiles[0].voids).toBe(1);
    const step = 1 / 1200;
    // The four cells around the void touch it; one cell further away does not.
    for (const [dx, dy] of [[0.5, 0.5], [-0.5, 0.5], [0.5, -0.5], [-0.5, -0.5]]) expect(t.heightAt(105.5 + dx * step, 21.5 + dy * step)).toBeNaN();
    expect(t.heightAt(105.5 + 1.5 * step, 21.5)).toBeCloseTo(planeAt(105.5 + 1.5 * step, 21.5), 6);
    expect(t.heightAt(104.5, 21.5)).toBeNaN();
    expect(t.heightAt(105.5, 22.5)).toBeNaN();
    expect(t.heightAt(Number.NaN, 21.5)).toBeNaN();
    expect(t.knownShare([104, 21, 106, 22], 20)).toBeCloseTo(0.5, 6);
  });

  it('heightsAlong gives heightAt\'s own values along a profile: inside a tile, across tiles and voids, off every tile', async () => {
    // Two tiles side by side (one with a void), the square north of them missing.
    const dir = writeTile('along', 'N21E105.hgt', 1201, (c, r) => (c === 900 && r === 300 ? SRTM_VOID : plane(c, r)));
    writeTile('along', 'N21E106.hgt', 1201, (c, r) => 50 + ((c * 7 + r * 13) % 400));
    const t = await openSrtmFolder(dir);
    const n = 120;
    const out = new Float64Array(n + 1);
    const profiles: Array<[number, number, number, number]> = [
      [105.3, 21.3, 0.001, 0.0007], // inside one tile
      [105.6, 21.2, 0.004, 0.0002], // into the next tile
      [105.74, 21.76, 0.0001, -0.00002], // over the void
      [105.5, 21.9, 0.0001, 0.002], // out of every tile
      [106, 21.5, -0.001, 0], // from an edge shared by two tiles
    ];
    let compared = 0;
    for (const [lon, lat, dLon, dLat] of profiles) {
      out.fill(-1);
      t.heightsAlong(lon, lat, dLon, dLat, n, out);
      expect(out[0]).toBe(-1); // index 0 (the site) is the caller's
      for (let j = 1; j <= n; j++) {
        const expected = t.heightAt(lon + j * dLon, lat + j * dLat);
        if (Number.isNaN(expected)) expect(out[j]).toBeNaN();
        else expect(out[j]).toBe(expected);
        compared++;
      }
    }
    expect(compared).toBe(profiles.length * n);
  });

  it('tells 1″ from 3″ by size, reads S/W names, ignores other files, refuses a bad size', async () => {
    // 1″ tile of S01W001 (−1…0° N, −1…0° E): height = column, so 1 m per arc-second eastwards.
    const dir = writeTile('mixed', 'S01W001.hgt', 3601, (c) => c);
    writeTile('mixed', 'N21E105.hgt', 1201, plane);
    fs.writeFileSync(path.join(dir, 'README.md'), 'not a tile');
    const t = await openSrtmFolder(dir);
    expect(t.tiles.map((x) => [x.name, x.south, x.west, x.arcSec])).toEqual([['N21E105.hgt', 21, 105, 3], ['S01W001.hgt', -1, -1, 1]]);
    expect(t.heightAt(-0.5, -0.5)).toBeCloseTo(1800, 6);
    expect(t.heightAt(-1 + 10.25 / 3600, -0.1)).toBeCloseTo(10.25, 6);
    expect(() => decodeTile('N21E105.hgt', new Uint8Array(1000))).toThrow(/1000 bytes/);
    await expect(openSrtmFolder(path.join(root, 'missing'))).rejects.toThrow(TerrainError);
  });

  it('the digest follows the tiles names and bytes', async () => {
    const a = await openSrtmFolder(writeTile('d1', 'N21E105.hgt', 1201, plane));
    const b = await openSrtmFolder(writeTile('d2', 'N21E105.hgt', 1201, plane));
    const c = await openSrtmFolder(writeTile('d3', 'N21E105.hgt', 1201, (col, row) => plane(col, row) + (col === 7 && row === 9 ? 1 : 0)));
    const d = await openSrtmFolder(writeTile('d4', 'N20E105.hgt', 1201, plane));
    expect(a.sha256).toBe(b.sha256);
    expect(new Set([a.sha256, c.sha256, d.sha256]).size).toBe(3);
    const empty = await openSrtmFolder(writeTile('d5', 'other.bin', 2, () => 0));
    expect(empty.tiles).toEqual([]);
    expect(empty.heightAt(105.5, 21.5)).toBeNaN();
  });
});

const TERRAIN = loadConfig({}).terrainDir;
const TILE = TERRAIN ? path.join(TERRAIN, 'N21E105.hgt') : '';
const HAVE_TILE = !!TERRAIN && fs.existsSync(TILE);
if (!HAVE_TILE) console.warn(`srtm.test: ${TILE || 'TERRAIN_DIR'} is missing; the real-tile tests are skipped`);

describe.skipIf(!HAVE_TILE)('the SRTM3 tile N21E105', () => {
  it('Tam Đảo is the highest post, 1,582 m; Việt Trì low; 1,539 voids as documented', async () => {
    const t = await openSrtmFolder(TERRAIN!);
    expect(t.tiles.find((x) => x.name === 'N21E105.hgt')).toMatchObject({ arcSec: 3, voids: 1539 });
    const tile = decodeTile('N21E105.hgt', fs.readFileSync(TILE));
    let max = -Infinity;
    let at = -1;
    tile.heights.forEach((h, i) => { if (h > max) { max = h; at = i; } });
    expect(max).toBe(1582);
    const [col, row] = [at % 1201, Math.floor(at / 1201)];
    expect(105 + col / 1200).toBeCloseTo(105.544, 2);
    expect(22 - row / 1200).toBeCloseTo(21.573, 2);
    // gdallocationinfo on the same file: pixel 653, line 512 holds 1,582 m.
    expect(t.heightAt(105 + 653 / 1200, 22 - 512 / 1200)).toBeCloseTo(1582, 6);
    expect(t.heightAt(105.544, 21.573)).toBeGreaterThan(1500);
    // Việt Trì: posts (479, 801) 15, (480, 801) 14, (479, 800) 12, (480, 800) 16 by gdallocationinfo.
    expect(t.heightAt(105 + 479 / 1200, 22 - 801 / 1200)).toBeCloseTo(15, 6);
    expect(t.heightAt(105 + 479.5 / 1200, 22 - 800.5 / 1200)).toBeCloseTo((15 + 14 + 12 + 16) / 4, 6);
    const vietTri = t.heightAt(105.399, 21.3326);
    expect(vietTri).toBeGreaterThan(5);
    expect(vietTri).toBeLessThan(35);
    expect(t.knownShare([105, 21, 106, 22])).toBeGreaterThan(0.99);
  });
});
