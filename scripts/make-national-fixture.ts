/**
 * Cuts the national test fixture (test/fixtures/communes/national-sample.geojson) from the shared
 * national communes file: two small provinces whole (Lai Châu 12, with one commune of unknown
 * population; Huế 46) and three communes of Phú Thọ (25), which the test database already holds
 * at full resolution. Run again only when the national file changes:
 *   npx tsx scripts/make-national-fixture.ts [--from FILE]
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, PROJECT_ROOT } from '../server/config';
import { runScript } from './lib/run-script';

const PROVINCES = ['12', '46'];
const PHU_THO_COMMUNES = 3;
const OUT = path.join(PROJECT_ROOT, 'test/fixtures/communes/national-sample.geojson');

const { values } = parseArgs({ options: { from: { type: 'string' } } });

interface Feature { properties: Record<string, unknown>; geometry: { coordinates: unknown } }

async function run() {
  const from = values.from ? path.resolve(values.from) : path.resolve(loadConfig().geodataDir, '..', 'vietnam', 'vietnam-wards-2025-simplified.geojson');
  const doc = JSON.parse(await fs.readFile(from, 'utf8')) as { type: string; features: Feature[] };
  const vertices = (f: Feature) => JSON.stringify(f.geometry.coordinates).split('],[').length;
  // The Phú Thọ communes with the fewest vertices, to keep the fixture small.
  const phuTho = doc.features.filter((f) => f.properties.ma_tinh === '25').sort((a, b) => vertices(a) - vertices(b)).slice(0, PHU_THO_COMMUNES);
  const features = doc.features.filter((f) => PROVINCES.includes(String(f.properties.ma_tinh)) || phuTho.includes(f));
  await fs.writeFile(OUT, JSON.stringify({ type: 'FeatureCollection', features }) + '\n');
  const unknown = features.filter((f) => f.properties.dan_so == null).length;
  console.log(`wrote ${path.relative(PROJECT_ROOT, OUT)}: ${features.length} features (${phuTho.map((f) => f.properties.ma_xa).join(', ')} of Phú Thọ), ${unknown} of unknown population`);
}

runScript('make-national-fixture', run);
