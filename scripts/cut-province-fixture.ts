// Cuts a small test fixture from the national wards file: the communes of the provinces named,
// at most `--limit` of each (neighbours first: those nearest the province's first commune, so the
// cut is one connected piece), coordinates rounded to 4 decimals (about 10 m). One file per
// province, for test/e2e/national.e2e.test.ts:
//   npx tsx scripts/cut-province-fixture.ts --file ../shared/geodata/vietnam/vietnam-wards-2025-simplified.geojson \
//     --provinces 04,46 --limit 12 --out test/fixtures/communes/national
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { file: { type: 'string' }, provinces: { type: 'string' }, limit: { type: 'string', default: '12' }, out: { type: 'string' } } });
if (!values.file || !values.provinces || !values.out) {
  console.error('usage: cut-province-fixture --file WARDS.geojson --provinces 04,46 [--limit 12] --out DIR');
  process.exit(2);
}
const KEEP = ['ma_xa', 'ten', 'ten_day_du', 'ten_en', 'ma_tinh', 'dien_tich_km2', 'dan_so', 'loai'];
const round = (c: unknown): unknown => (typeof c === 'number' ? Math.round(c * 1e4) / 1e4 : (c as unknown[]).map(round));
const doc = JSON.parse(fs.readFileSync(values.file, 'utf8')) as GeoJSON.FeatureCollection<GeoJSON.Polygon | GeoJSON.MultiPolygon>;
const firstPoint = (g: GeoJSON.Polygon | GeoJSON.MultiPolygon) => (g.type === 'Polygon' ? g.coordinates[0][0] : g.coordinates[0][0][0]);

for (const code of values.provinces.split(',')) {
  const all = doc.features.filter((f) => f.properties?.ma_tinh === code).sort((a, b) => String(a.properties!.ma_xa).localeCompare(String(b.properties!.ma_xa)));
  if (!all.length) throw new Error(`no commune of province ${code} in ${values.file}`);
  const [x0, y0] = firstPoint(all[0].geometry);
  const near = all
    .map((f) => ({ f, d: Math.hypot(firstPoint(f.geometry)[0] - x0, firstPoint(f.geometry)[1] - y0) }))
    .sort((a, b) => a.d - b.d)
    .slice(0, Number(values.limit))
    .map(({ f }) => f)
    .sort((a, b) => String(a.properties!.ma_xa).localeCompare(String(b.properties!.ma_xa)));
  const out = {
    type: 'FeatureCollection',
    features: near.map((f) => ({
      type: 'Feature',
      properties: Object.fromEntries(KEEP.map((k) => [k, f.properties![k] ?? null])),
      geometry: { type: f.geometry.type, coordinates: round(f.geometry.coordinates) },
    })),
  };
  const file = path.join(values.out, `${code}.geojson`);
  fs.writeFileSync(file, `${JSON.stringify(out)}\n`);
  console.log(`${file}: ${near.length} of ${all.length} communes, ${fs.statSync(file).size} bytes`);
}
