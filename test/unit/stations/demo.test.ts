import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { booleanPointInPolygon } from '@turf/turf';
import type { MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import {
  DEMO_DATA_DATE,
  PHU_THO_ANCHORS,
  generateDemoStations,
  summarizeStations,
  type DemoCommune,
} from '../../../server/stations/demo/generate-demo';
import { apportion, createPrng } from '../../../server/stations/demo/prng';
import { DEFAULT_OPERATORS, RadioRowSchema, VIETNAM_BANDS_MHZ, type RadioRow } from '../../../server/stations/stations.schema';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const FILE = path.resolve(ROOT, process.env.GEODATA_DIR ?? '../shared/geodata/phu-tho', 'phutho-wards-2025-simplified.geojson');
const HAVE_FILE = fs.existsSync(FILE);
if (!HAVE_FILE) console.warn(`demo.test: ${FILE} is missing (set GEODATA_DIR); the province tests are skipped`);

interface WardFeature {
  properties: { ma_xa: string; ten: string; loai: string; dan_so: number | null; dien_tich_km2: number };
  geometry: Polygon | MultiPolygon;
}

function readCommunes(): DemoCommune[] {
  const fc = JSON.parse(fs.readFileSync(FILE, 'utf8')) as { features: WardFeature[] };
  return fc.features.map(({ properties: p, geometry }) => ({
    code: p.ma_xa,
    name: p.ten,
    kind: p.loai === 'Phường' ? 'phuong' : 'xa',
    population: p.dan_so,
    areaKm2: p.dien_tich_km2,
    geometry,
  }));
}

const siteKey = (r: RadioRow) => `${r.operator}/${r.siteCode}`;
/** Commune name back from the site name "DEMO <commune> <n>" (names are unique in the province). */
const communeName = (r: RadioRow) => r.name.replace(/^DEMO (.+) \d+$/, '$1');

describe('prng helpers', () => {
  it('repeats for a seed and apportions exactly with a minimum', () => {
    const a = createPrng(1);
    const b = createPrng(1);
    expect([a.next(), a.next(), a.normal()]).toEqual([b.next(), b.next(), b.normal()]);
    // 2 each, then 4 shared 0.4 / 0.4 / 3.2: the last unit goes to the larger remainder, lower index first.
    expect(apportion(10, [1, 1, 8], 2)).toEqual([3, 2, 5]);
    expect(apportion(7, [1, 2, 3]).reduce((s, x) => s + x, 0)).toBe(7);
  });
});

describe.skipIf(!HAVE_FILE)('generateDemoStations on the 148 communes of Phú Thọ', () => {
  const communes = HAVE_FILE ? readCommunes() : [];
  const started = performance.now();
  const rows = HAVE_FILE ? generateDemoStations(communes, { seed: 2026 }) : [];
  const elapsedMs = performance.now() - started;
  const byName = new Map(communes.map((c) => [c.name, c]));

  it('is deterministic: same seed byte-identical, input order irrelevant, another seed differs; under 2 s', () => {
    const t0 = performance.now();
    const again = generateDemoStations([...communes].reverse(), { seed: 2026 });
    // The faster of two runs: a loaded test machine should not turn timing noise into a failure.
    expect(Math.min(elapsedMs, performance.now() - t0)).toBeLessThan(2000);
    expect(communes).toHaveLength(148);
    expect(JSON.stringify(again)).toBe(JSON.stringify(rows));
    expect(JSON.stringify(generateDemoStations(communes, { seed: 7 }))).not.toBe(JSON.stringify(rows));
  });

  it('every row passes RadioRowSchema, is labelled DEMO and numbered from 2', () => {
    // Collect failures and assert once: 23,000 rows × several expects would take seconds.
    const bad: string[] = [];
    const sixDecimals = (x: number) => Math.round(x * 1e6) / 1e6 === x;
    rows.forEach((r, i) => {
      const parsed = RadioRowSchema.safeParse(r);
      if (!parsed.success) bad.push(`${r.row}: ${JSON.stringify(parsed.error.issues)}`);
      if (r.row !== i + 2) bad.push(`${r.row}: row number, expected ${i + 2}`);
      if (!/^DEMO-(VT|VNP|MBF|VNM|GM)-\d{5}$/.test(r.siteCode) || !r.name.startsWith('DEMO ')) bad.push(`${r.row}: label ${r.siteCode} ${r.name}`);
      if (r.radiusM !== null) bad.push(`${r.row}: radius`);
      if (!sixDecimals(r.lon) || !sixDecimals(r.lat)) bad.push(`${r.row}: precision ${r.lon},${r.lat}`);
      if (r.heightM === null || r.heightM < 15 || r.heightM > 45) bad.push(`${r.row}: height ${r.heightM}`);
      if (!VIETNAM_BANDS_MHZ[r.technology].includes(r.bandMhz)) bad.push(`${r.row}: band ${r.bandMhz}`);
    });
    expect(bad.slice(0, 10)).toEqual([]);
  });

  it('matches the published anchors', () => {
    const s = summarizeStations(rows);
    expect(s.radiosByTechnology['4G']).toBe(9283);
    expect(s.sitesWith4g).toBe(9283);
    expect(s.sitesWith3gOr4g).toBeGreaterThan(10_200);
    expect(s.sitesWith5g).toBe(868);
    expect(summarizeStations(rows, PHU_THO_ANCHORS.sites5gOnAir.date).sitesWith5g).toBe(170);
    expect(summarizeStations(rows, '2025-06-30').sitesWith5g).toBe(0);
    // 2G on about half the sites; about 5 % of 3G switched off.
    expect(s.radiosByTechnology['2G'] / s.sites).toBeGreaterThan(0.4);
    expect(s.radiosByTechnology['2G'] / s.sites).toBeLessThan(0.6);
    const off = rows.filter((r) => r.status === 'decommissioned');
    expect(off.every((r) => r.technology === '3G' && r.decommissionedOn! >= '2024-01-01' && r.decommissionedOn! <= '2025-12-31')).toBe(true);
    expect(off.length / s.radiosByTechnology['3G']).toBeCloseTo(0.05, 2);
  });

  it('dates: 5G in the roll-out window, planned in the future, 3G and 4G in their eras', () => {
    const year = (r: RadioRow) => r.commissionedOn!.slice(0, 4);
    const bad = rows.filter((r) =>
      (r.technology === '5G' && r.status === 'active' && !(r.commissionedOn! >= '2025-07-01' && r.commissionedOn! <= DEMO_DATA_DATE))
      || (r.status === 'planned' && !(r.commissionedOn! > DEMO_DATA_DATE))
      || (r.technology === '4G' && !(year(r) >= '2016' && year(r) <= '2025'))
      || (r.technology === '3G' && !(year(r) >= '2010' && year(r) <= '2016')));
    expect(bad.slice(0, 5)).toEqual([]);
    expect(rows.some((r) => r.status === 'planned')).toBe(true);
  });

  it('5G only on the auctioned bands, sectorised in phường, on sites that carry 4G', () => {
    const band: Record<string, number> = { viettel: 2600, vnpt: 3700, mobifone: 3800 };
    const with4g = new Set(rows.filter((r) => r.technology === '4G').map(siteKey));
    const bad = rows.filter((r) => r.technology === '5G').filter((r) => {
      if (r.bandMhz !== band[r.operator] || !with4g.has(siteKey(r))) return true;
      if (byName.get(communeName(r))!.kind !== 'phuong') return r.azimuthDeg !== null || r.beamwidthDeg !== null;
      return ![0, 120, 240].includes(r.azimuthDeg!) || r.beamwidthDeg! < 65 || r.beamwidthDeg! > 120;
    });
    expect(bad.slice(0, 5)).toEqual([]);
  });

  it('places every site inside its commune', () => {
    const sites = new Map(rows.map((r) => [siteKey(r), r]));
    const outside = [...sites.values()].filter((r) => {
      const c = byName.get(communeName(r));
      return !c || !booleanPointInPolygon([r.lon, r.lat], c.geometry);
    });
    expect(outside.map((r) => `${r.siteCode} ${r.name} ${r.lon},${r.lat}`).slice(0, 5)).toEqual([]);
  });

  it('gives phường a larger share of 5G than of population and area; every operator present', () => {
    const phuong = communes.filter((c) => c.kind === 'phuong');
    const sum = (xs: DemoCommune[], f: (c: DemoCommune) => number) => xs.reduce((s, c) => s + f(c), 0);
    const popShare = sum(phuong, (c) => c.population ?? 0) / sum(communes, (c) => c.population ?? 0);
    const areaShare = sum(phuong, (c) => c.areaKm2) / sum(communes, (c) => c.areaKm2);
    const sites5g = new Set(rows.filter((r) => r.technology === '5G' && r.status === 'active').map((r) => `${siteKey(r)}|${communeName(r)}`));
    const inPhuong = [...sites5g].filter((k) => byName.get(k.split('|')[1])!.kind === 'phuong').length;
    expect(inPhuong / sites5g.size).toBeGreaterThan(popShare);
    expect(inPhuong / sites5g.size).toBeGreaterThan(areaShare);
    const s = summarizeStations(rows);
    for (const op of DEFAULT_OPERATORS) expect(s.sitesByOperator[op], op).toBeGreaterThan(0);
    expect(s.sitesByOperator.viettel).toBeGreaterThan(s.sitesByOperator.vnpt);
  });

  it('keeps the anchors on a few communes, every commune with sites', () => {
    const few = communes.filter((c) => ['Việt Trì', 'Đà Bắc', 'Vĩnh Yên', 'Tam Dương', 'Mường Hoa'].includes(c.name));
    expect(few.length).toBeGreaterThanOrEqual(4);
    const small = generateDemoStations(few, { seed: 2026 });
    const s = summarizeStations(small);
    expect(s.sitesWith4g).toBe(9283);
    expect(s.sitesWith5g).toBe(868);
    const names = new Set(small.map(communeName));
    expect(names.size).toBe(few.length);
  });
});
