/**
 * The SYNTHETIC demo stations follow a population grid when given one: more sites where people
 * live, fewer on empty ground, with the published anchors and the seed's reproducibility intact.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon, bbox as turfBbox } from '@turf/turf';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { generateDemoStations, summarizeStations, type DemoCommune } from '../../../server/stations/demo/generate-demo';
import type { PopulationGrid } from '../../../server/coverage/engine/population';
import { readPopulationGrid } from '../../../server/population/population-raster';
import { loadConfig } from '../../../server/config';
import type { RadioRow } from '../../../server/stations/stations.schema';

/** One position per site (its radios share it). */
function sitePositions(rows: readonly RadioRow[]): Array<[number, number]> {
  const seen = new Map<string, [number, number]>();
  for (const r of rows) seen.set(`${r.operator}/${r.siteCode}`, [r.lon, r.lat]);
  return [...seen.values()];
}

const cellOf = (g: PopulationGrid, [lon, lat]: [number, number]) => {
  const c = Math.floor((lon - g.west) / g.cellDegX);
  const r = Math.floor((g.north - lat) / g.cellDegY);
  return c >= 0 && c < g.width && r >= 0 && r < g.height ? r * g.width + c : -1;
};

describe('demo placement on a synthetic grid', () => {
  // One xã of 0.1° × 0.1° on a 10 × 10 grid: 5,000 people in one cell, 10 in each other.
  const square: Polygon = { type: 'Polygon', coordinates: [[[105, 21], [105.1, 21], [105.1, 21.1], [105, 21.1], [105, 21]]] };
  const commune: DemoCommune = { code: '00001', name: 'Thử', kind: 'xa', population: 10_000, areaKm2: 115, geometry: square };
  const grid: PopulationGrid = {
    west: 105, north: 21.1, cellDegX: 0.01, cellDegY: 0.01, width: 10, height: 10,
    values: Float32Array.from({ length: 100 }, (_, i) => (i === 77 ? 5000 : 10)),
  };
  const anchors = { sites4g: 180, sites3gOr4g: 200, sites5g: 20, sites5gOnAir: { date: '2025-12-24', count: 5 }, planned5g: 2 };

  it('puts far more sites in the populated cell than the even placement does, same counts', () => {
    const even = sitePositions(generateDemoStations([commune], { seed: 1, anchors }));
    const withGrid = sitePositions(generateDemoStations([commune], { seed: 1, anchors, population: grid }));
    const inHot = (ps: Array<[number, number]>) => ps.filter((p) => cellOf(grid, p) === 77).length / ps.length;
    expect(withGrid.length).toBe(even.length);
    // 0.8 of the sites by people: 5000 / (5000 + 99·10) ≈ 0.83 of those land in the hot cell.
    expect(inHot(withGrid)).toBeGreaterThan(0.5);
    expect(inHot(withGrid)).toBeGreaterThan(3 * inHot(even));
    expect(withGrid.every((p) => booleanPointInPolygon(p, square))).toBe(true);
  });

  it('falls back to the even placement where the grid holds nobody; absent grid changes nothing', () => {
    const empty = { ...grid, values: new Float32Array(100).fill(Number.NaN) };
    const base = JSON.stringify(generateDemoStations([commune], { seed: 3, anchors }));
    expect(JSON.stringify(generateDemoStations([commune], { seed: 3, anchors, population: empty }))).toBe(base);
    expect(JSON.stringify(generateDemoStations([commune], { seed: 3, anchors, population: null }))).toBe(base);
  });
});

const config = loadConfig({});
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WARDS = path.resolve(ROOT, config.geodataDir, 'phutho-wards-2025-simplified.geojson');
const HAVE = !!config.populationRaster && fs.existsSync(config.populationRaster) && fs.existsSync(WARDS);
if (!HAVE) console.warn('demo-placement.test: the population raster or the wards file is missing; the province test is skipped');

describe.skipIf(!HAVE)('demo placement on the 148 communes and the WorldPop grid', () => {
  it('more sites in the most populated tenth of cells, fewer in the emptiest half; anchors and seed kept', async () => {
    const fc = JSON.parse(fs.readFileSync(WARDS, 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { ma_xa: string; ten: string; loai: string; dan_so: number | null; dien_tich_km2: number }>;
    const communes: DemoCommune[] = fc.features.map(({ properties: p, geometry }) => ({
      code: p.ma_xa, name: p.ten, kind: p.loai === 'Phường' ? 'phuong' : 'xa', population: p.dan_so, areaKm2: p.dien_tich_km2, geometry,
    }));
    const grid = (await readPopulationGrid(config.populationRaster!, turfBbox(fc) as [number, number, number, number]))!;
    const even = generateDemoStations(communes, { seed: 2026 });
    const rows = generateDemoStations(communes, { seed: 2026, population: grid });
    expect(JSON.stringify(generateDemoStations([...communes].reverse(), { seed: 2026, population: grid }))).toBe(JSON.stringify(rows));

    const s = summarizeStations(rows);
    expect([s.sites, s.sitesWith4g, s.sitesWith5g]).toEqual([10_240, 9283, 868]);
    expect(rows.every((r) => r.siteCode.startsWith('DEMO-') && r.name.startsWith('DEMO '))).toBe(true);

    // The province's cells (centre in a commune) ranked by people: the top tenth holds about 46 % of them.
    const people = (i: number) => (grid.values[i] > 0 ? grid.values[i] : 0);
    const cells: number[] = [];
    for (let r = 0; r < grid.height; r++) {
      for (let c = 0; c < grid.width; c++) {
        const centre = [grid.west + (c + 0.5) * grid.cellDegX, grid.north - (r + 0.5) * grid.cellDegY];
        if (fc.features.some((f) => booleanPointInPolygon(centre, f))) cells.push(r * grid.width + c);
      }
    }
    cells.sort((a, b) => people(b) - people(a) || a - b);
    const evenSites = sitePositions(even).map((p) => cellOf(grid, p));
    const gridSites = sitePositions(rows).map((p) => cellOf(grid, p));
    const top = new Set(cells.slice(0, Math.ceil(cells.length / 10)));
    const bottom = new Set(cells.slice(Math.floor(cells.length / 2)));
    const share = (sites: number[], set: Set<number>) => sites.filter((i) => set.has(i)).length / sites.length;
    expect(share(gridSites, top)).toBeGreaterThan(share(evenSites, top) + 0.05);
    expect(share(gridSites, bottom)).toBeLessThan(share(evenSites, bottom) - 0.03);
    // Every site still in its commune ("DEMO <commune> <n>").
    const byName = new Map(communes.map((c) => [c.name, c.geometry]));
    const outside = rows.filter((r) => !booleanPointInPolygon([r.lon, r.lat], byName.get(r.name.replace(/^DEMO (.+) \d+$/, '$1'))!));
    expect(outside.length).toBe(0);
    console.log(`demo placement: sites in the top tenth of cells ${(100 * share(evenSites, top)).toFixed(1)} % → ${(100 * share(gridSites, top)).toFixed(1)} %, in the emptiest half ${(100 * share(evenSites, bottom)).toFixed(1)} % → ${(100 * share(gridSites, bottom)).toFixed(1)} %`);
  });
});
