/**
 * Small pieces of the national communes file (the configuration's NATIONAL_COMMUNES, in the shared
 * reference geodata), cut when a test runs: the geodata is read from where it lives, never copied
 * into the repository. Each cut is a GeoJSON FeatureCollection text, as an import reads it.
 */
import { readFileSync } from 'node:fs';

type Commune = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon, Record<string, unknown>>;

const files = new Map<string, Commune[]>();
/** The file's features, read once per test file (16 MB of JSON). */
function communesOf(file: string): Commune[] {
  let features = files.get(file);
  if (!features) files.set(file, (features = (JSON.parse(readFileSync(file, 'utf8')) as GeoJSON.FeatureCollection<Commune['geometry'], Record<string, unknown>>).features));
  return features;
}

const collection = (features: Commune[]) => JSON.stringify({ type: 'FeatureCollection', features });
const ofProvince = (file: string, province: string) => communesOf(file).filter((f) => f.properties.ma_tinh === province);
const vertices = (f: Commune) => JSON.stringify(f.geometry.coordinates).split('],[').length;
const firstPoint = (g: Commune['geometry']) => (g.type === 'Polygon' ? g.coordinates[0][0] : g.coordinates[0][0][0]);
const byCode = (a: Commune, b: Commune) => String(a.properties.ma_xa).localeCompare(String(b.properties.ma_xa));

/** Every commune of these provinces, and of `fewest.province` the `fewest.count` with the fewest vertices. */
export function provincesCut(file: string, provinces: readonly string[], fewest?: { province: string; count: number }): string {
  const few = fewest ? ofProvince(file, fewest.province).sort((a, b) => vertices(a) - vertices(b)).slice(0, fewest.count) : [];
  return collection(communesOf(file).filter((f) => provinces.includes(String(f.properties.ma_tinh)) || few.includes(f)));
}

/** At most `limit` communes of a province, those nearest its first commune by code: one connected piece. */
export function neighbourhoodCut(file: string, province: string, limit: number): string {
  const all = ofProvince(file, province).sort(byCode);
  if (!all.length) throw new Error(`no commune of province ${province} in ${file}`);
  const [x0, y0] = firstPoint(all[0].geometry);
  const distance = (f: Commune) => Math.hypot(firstPoint(f.geometry)[0] - x0, firstPoint(f.geometry)[1] - y0);
  return collection([...all].sort((a, b) => distance(a) - distance(b)).slice(0, limit).sort(byCode));
}
