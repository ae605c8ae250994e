/**
 * Self-measured timing of the coverage engine on the real Phú Thọ communes (full resolution) with
 * synthetic radios. Not a test (timings vary by machine); run:
 *   npx tsx test/unit/coverage/timing.script.ts [radioCount=10000] [rowSpacingM=25] [radiusM]
 * Without radiusM, radii come from the default link budget (rural 2G reaches 20+ km); with it,
 * every radio gets that radius (OpenCelliD's default `range` is 1000).
 * Reads the shared reference geodata from ../shared/geodata (GEODATA_FILE overrides the path).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Feature, FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { computeCommuneCoverage, provinceRollup, type CoverageCommune } from '../../../server/coverage/engine';
import { syntheticRadios, type SiteCentre } from './synthetic';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const file = process.env.GEODATA_FILE ?? path.resolve(ROOT, '../shared/geodata/phu-tho/phutho-wards-2025.geojson');
const radioCount = Number(process.argv[2] ?? 10_000);
const rowSpacingM = Number(process.argv[3] ?? 25);
const fixedRadiusM = process.argv[4] === undefined ? null : Number(process.argv[4]);

const collection = JSON.parse(readFileSync(file, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
const features = collection.features as Array<Feature<Polygon | MultiPolygon, Record<string, unknown>>>;
const communes: CoverageCommune[] = features.map((f) => ({
  code: String(f.properties.ma_xa),
  population: Number(f.properties.dan_so),
  geometry: f.geometry,
}));
const centres: SiteCentre[] = features.map((f) => ({
  lon: Number(f.properties.tam_lon),
  lat: Number(f.properties.tam_lat),
  kind: f.properties.loai === 'Phường' ? 'phuong' : 'xa',
  densityPerKm2: Number(f.properties.dan_so) / Number(f.properties.dien_tich_km2),
}));
const radios = syntheticRadios(centres, radioCount).map((r) => (fixedRadiusM === null ? r : { ...r, radiusM: fixedRadiusM }));

// Three runs: the first includes JIT warm-up, the later ones are what a long-lived server sees.
const runsMs: number[] = [];
let figures = computeCommuneCoverage(communes, [], { rowSpacingM }); // cold: polygons only
for (let run = 0; run < 3; run++) {
  const started = performance.now();
  figures = computeCommuneCoverage(communes, radios, { rowSpacingM });
  runsMs.push(performance.now() - started);
}
const rollup = provinceRollup(figures);
console.log(
  `${communes.length} communes, ${radios.length} radios, rows every ${rowSpacingM} m: ` +
    `${runsMs.map((ms) => ms.toFixed(0)).join(' / ')} ms, ${figures.length} figures, heap ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MB`,
);
for (const p of rollup.filter((r) => r.operator === 'all')) {
  console.log(`  ${p.technology} all: ${p.areaPct.toFixed(2)} % of ${p.areaKm2.toFixed(0)} km², ${p.populationPct.toFixed(2)} % of people`);
}
