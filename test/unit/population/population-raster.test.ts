import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon, bbox as turfBbox } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { writeArrayBuffer } from 'geotiff';
import { afterAll, describe, expect, it } from 'vitest';
import { describePopulationRaster, PopulationRasterError, readPopulationGrid, UNKNOWN_LICENCE } from '../../../server/population/population-raster';
import { gridDensityAt, prepareGrid, cellAreaKm2 } from '../../../server/coverage/engine/population';
import { loadConfig } from '../../../server/config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phusong-raster-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A GeoTIFF written by the test: `width` × `height` Float32 cells from (west, north), rows north to south. */
function writeTiff(name: string, values: number[], width: number, height: number, extra: Record<string, unknown> = {}): string {
  const file = path.join(dir, name);
  const buffer = writeArrayBuffer(new Float32Array(values), {
    width, height,
    ModelPixelScale: [0.25, 0.5, 0], ModelTiepoint: [0, 0, 0, 105, 22, 0],
    GeographicTypeGeoKey: 4326, GTModelTypeGeoKey: 2, GDAL_NODATA: '-99999',
    SampleFormat: [3], BitsPerSample: [32],
    ...extra,
  } as Parameters<typeof writeArrayBuffer>[1]);
  fs.writeFileSync(file, Buffer.from(buffer));
  return file;
}

// 8 columns of 0.25° from 105° E, 4 rows of 0.5° from 22° N: value = 10·row + column, one no-data cell.
const values = Array.from({ length: 32 }, (_, i) => 10 * Math.floor(i / 8) + (i % 8));
values[2 * 8 + 5] = -99999;
const SMALL = writeTiff('synthetic_pop_2019.tif', values, 8, 4);

describe('readPopulationGrid on a GeoTIFF written by the test', () => {
  it('reads a window around the bbox with one cell of margin, values in place', async () => {
    // bbox inside column 3 (105.75–106.0) and row 1 (21.0–21.5): margin gives columns 2–4, rows 0–2.
    const g = (await readPopulationGrid(SMALL, [105.8, 21.1, 105.9, 21.4]))!;
    expect({ west: g.west, north: g.north, width: g.width, height: g.height, cellDegX: g.cellDegX, cellDegY: g.cellDegY })
      .toEqual({ west: 105.5, north: 22, width: 3, height: 3, cellDegX: 0.25, cellDegY: 0.5 });
    expect(Array.from(g.values.slice(0, 6))).toEqual([2, 3, 4, 12, 13, 14]);
    // Row 2: 22, 23, 24 read as they are (the no-data cell is column 5, outside this window).
    expect(Array.from(g.values.slice(6))).toEqual([22, 23, 24]);
  });

  it('marks the no-data cell NaN (the engine counts 0 people there) and clips to the raster', async () => {
    const g = (await readPopulationGrid(SMALL, [106.0, 20.0, 108.0, 21.2]))!;
    expect(g.west).toBe(105.75);
    expect(g.width).toBe(5); // columns 3–7: clipped at the east edge
    expect(g.north).toBe(22);
    expect(g.height).toBe(4); // rows 0–3 (row 1 holds 21.2° N, plus the margin): clipped at the south edge
    const at = (row: number, col: number) => g.values[row * g.width + (col - 3)];
    expect(Number.isNaN(at(2, 5))).toBe(true);
    expect(at(2, 4)).toBe(24);
    expect(at(3, 7)).toBe(37);
    const p = prepareGrid(g);
    expect(gridDensityAt(p, 106.3, 20.8)).toBe(0); // the no-data cell's centre
    expect(gridDensityAt(p, 106.05, 20.8)).toBeCloseTo(24 / cellAreaKm2(g, 2), 9);
  });

  it('answers null for a bbox the raster does not reach', async () => {
    expect(await readPopulationGrid(SMALL, [100, 10, 101, 11])).toBeNull();
    await expect(readPopulationGrid(SMALL, [106, 21, 105, 22])).rejects.toThrow(RangeError);
  });

  it('refuses a projected raster, several bands, and a file that is no GeoTIFF', async () => {
    const utm = writeTiff('utm.tif', values, 8, 4, { GeographicTypeGeoKey: undefined, GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: 32648 });
    await expect(readPopulationGrid(utm, [105, 21, 106, 22])).rejects.toThrow(/EPSG:32648.*EPSG:4326/);
    const rgb = path.join(dir, 'rgb.tif');
    fs.writeFileSync(rgb, Buffer.from(writeArrayBuffer(new Uint8Array(2 * 2 * 3), {
      width: 2, height: 2, SamplesPerPixel: 3, BitsPerSample: [8, 8, 8], PhotometricInterpretation: 2,
      ModelPixelScale: [1, 1, 0], ModelTiepoint: [0, 0, 0, 105, 22, 0], GeographicTypeGeoKey: 4326, GTModelTypeGeoKey: 2,
    } as Parameters<typeof writeArrayBuffer>[1])));
    await expect(describePopulationRaster(rgb)).rejects.toThrow(/3 bands/);
    const text = path.join(dir, 'not.tif');
    fs.writeFileSync(text, 'hello');
    await expect(readPopulationGrid(text, [105, 21, 106, 22])).rejects.toThrow(PopulationRasterError);
  });

  it('describes another file by its name, year from the name, licence unknown', async () => {
    const info = await describePopulationRaster(SMALL);
    expect(info).toMatchObject({ id: 'synthetic_pop_2019', name: 'synthetic pop 2019', year: 2019, licence: UNKNOWN_LICENCE });
    expect(info.sha256).toMatch(/^[0-9a-f]{64}$/);
    const noYear = writeTiff('grid.tif', values, 8, 4);
    expect((await describePopulationRaster(noYear)).year).toBeNull();
  });
});

const config = loadConfig({});
const RASTER = config.populationRaster;
const HAVE_RASTER = !!RASTER && fs.existsSync(RASTER);
const WARDS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..', config.geodataDir, 'phutho-wards-2025-simplified.geojson');
if (!HAVE_RASTER) console.warn(`population-raster.test: ${RASTER} is missing (set POPULATION_RASTER); the WorldPop tests are skipped`);

describe.skipIf(!HAVE_RASTER || !fs.existsSync(WARDS))('readPopulationGrid on the WorldPop 2020 grid', () => {
  it('describes it with its credit and digest', async () => {
    expect(await describePopulationRaster(RASTER!)).toMatchObject({
      name: 'WorldPop 2020, 30″ UN-adjusted', year: 2020, licence: 'CC BY 4.0',
      sha256: '55cc3fb948c9afec65d674f3ae43f2e47c7cdd2ab89e232b66d52959dcc92415',
    });
    expect((await describePopulationRaster(RASTER!)).source).toContain('10.5258/SOTON/WP00671');
  });

  it('the Phú Thọ window: about 2.3 million people in the communes, the Việt Trì cell in place', async () => {
    const wards = JSON.parse(fs.readFileSync(WARDS, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
    const g = (await readPopulationGrid(RASTER!, turfBbox(wards) as [number, number, number, number]))!;
    expect(g.width * g.height).toBeGreaterThan(20_000);
    let inside = 0;
    for (let r = 0; r < g.height; r++) {
      for (let c = 0; c < g.width; c++) {
        const v = g.values[r * g.width + c];
        const centre = [g.west + (c + 0.5) * g.cellDegX, g.north - (r + 0.5) * g.cellDegY];
        if (v > 0 && wards.features.some((f) => booleanPointInPolygon(centre, f))) inside += v;
      }
    }
    expect(inside).toBeGreaterThan(2.25e6);
    expect(inside).toBeLessThan(2.35e6);
    const p = prepareGrid(g);
    const cellAt = (lon: number, lat: number) => gridDensityAt(p, lon, lat) * cellAreaKm2(g, Math.floor((g.north - lat) / g.cellDegY));
    // GDAL (gdallocationinfo -wgs84) reads 1,196.7 at pixel 390, line 249, and 1,024.7 one line north.
    expect(cellAt(105.4029, 21.3204)).toBeCloseTo(1196.71, 1);
    expect(cellAt(105.399, 21.3326)).toBeCloseTo(1024.67, 1);
  });
});
