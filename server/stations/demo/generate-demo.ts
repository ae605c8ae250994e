/**
 * SYNTHETIC demo stations. The province publishes counts but no station list, so this builds a
 * made-up network that has the published totals and looks like a real one on a map. No site here
 * exists: every site code starts with DEMO and every name with "DEMO".
 *
 * Pure and deterministic: no I/O, no clock, one seeded PRNG drawn in a fixed order, communes
 * sorted by code first, so the same communes and seed give byte-identical rows.
 *
 * Counting rule: a *site* is one (operator, site code); the published figures count sites
 * ("trạm"). Each 4G site carries exactly one 4G radio, so 4G sites = 4G radios = 9,283. The 868
 * 5G figure counts 5G *sites*: a 5G site in a phường has three sector radios, elsewhere one
 * omnidirectional radio, so there are more than 868 5G radios. Planned 5G sites come on top.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { DEFAULT_OPERATORS, type RadioRow, type Technology } from '../stations.schema';
import type { PopulationGrid } from '../../coverage/engine/population';
import { gridCellsIn, placeSite, placeSiteOnGrid, prepareArea, type Spread } from './place-sites';
import { apportion, createPrng, sampleWeighted, type Prng } from './prng';

export interface DemoCommune {
  code: string;
  name: string;
  kind: 'xa' | 'phuong' | 'dac_khu';
  /** Inhabitants; null when unknown (then only the area and the minimum count place sites). */
  population: number | null;
  areaKm2: number;
  /** Display geometry, [lon, lat] WGS84. */
  geometry: MultiPolygon | Polygon;
}

/** The published figures the synthetic set reproduces exactly. */
export interface DemoAnchors {
  /** Sites carrying 4G: "9,283 BTS" with 4G (Báo Phú Thọ, 3 Feb 2026). */
  sites4g: number;
  /** Sites carrying 3G or 4G: "over 10,200 BTS" (Báo Phú Thọ, 24 Dec 2025). Also the total. */
  sites3gOr4g: number;
  /** 5G sites on air, all new since 1 Jul 2025: "868 new 5G stations" (Báo Phú Thọ, 3 Feb 2026). */
  sites5g: number;
  /** Of those, on air on `date` (included): "170 5G stations on air" (Báo Phú Thọ, 24 Dec 2025). */
  sites5gOnAir: { date: string; count: number };
  /** Extra 5G sites with status planned and a commissioning date after the data date. */
  planned5g: number;
}

export const PHU_THO_ANCHORS: Readonly<DemoAnchors> = Object.freeze({
  sites4g: 9283,
  // "Over 10,200": every demo site carries 3G or 4G, so this is also the number of sites.
  sites3gOr4g: 10_240,
  sites5g: 868,
  sites5gOnAir: { date: '2025-12-24', count: 170 },
  planned5g: 24,
});

export interface DemoOptions {
  seed?: number;
  anchors?: DemoAnchors;
  /**
   * People per cell (a window of the population grid covering the communes): most sites then go
   * where people live, fewer on empty mountains. Absent: today's placement (centres, villages,
   * scattered), unchanged draw for draw.
   */
  population?: PopulationGrid | null;
}

/** Date the demo data describe: the last 5G commissioning. */
export const DEMO_DATA_DATE = '2026-02-15';
const FIVE_G_FROM = '2025-07-01';
const PLANNED_FROM = '2027-01-01';
const PLANNED_TO = '2027-06-30';

type Operator = (typeof DEFAULT_OPERATORS)[number];

/** Share of sites per operator: plausible market shares, not a published figure. */
const OPERATOR_SHARES: ReadonlyArray<readonly [Operator, number]> = [
  ['viettel', 0.42], ['vnpt', 0.27], ['mobifone', 0.22], ['vietnamobile', 0.07], ['gmobile', 0.02],
];
const OPERATOR_ABBR: Record<Operator, string> = { viettel: 'VT', vnpt: 'VNP', mobifone: 'MBF', vietnamobile: 'VNM', gmobile: 'GM' };
/** The 5G blocks of the March 2024 auction; Vietnamobile and Gmobile hold none. */
const FIVE_G_BAND_MHZ: Partial<Record<Operator, number>> = { viettel: 2600, vnpt: 3700, mobifone: 3800 };

/** Sites per commune ∝ population^0.7 · area^0.3: people drive capacity, area drives coverage. */
const POPULATION_EXPONENT = 0.7;
const AREA_EXPONENT = 0.3;
/** Even the emptiest mountain commune has a few sites (mobile reaches 100 % of villages). */
const MIN_SITES_PER_COMMUNE = 8;
/** The most populous xã stand in for the industrial parks, which this data set does not locate. */
const POPULOUS_XA_COUNT = 20;
/** Where the 5G sites go (phường, populous xã, the rest); shortfalls move to the next class. */
const FIVE_G_CLASS_SHARES = [0.5, 0.3, 0.2] as const;
const THREE_G_ON_4G_SITE = 0.6;
const THREE_G_DECOMMISSIONED = 0.05;
const TWO_G_SHARE = { urban: 0.4, rural: 0.55 };
/**
 * With a population grid: the share of a commune's sites drawn from its populated cells, in
 * proportion to the cell's people (the commune's count already grows slower than its people);
 * the rest are placed as without a grid, so roads and valleys with few people still get some.
 */
const GRID_SITE_SHARE = 0.8;
const GRID_PEOPLE_EXPONENT = 1;

/** Phường: dense, one centre; xã: a centre plus former-commune villages, the rest scattered. */
const URBAN_SPREAD: Spread = { centre: 0.6, villages: 0, centreSigmaKm: 1.5, villageSigmaKm: 0 };
const RURAL_SPREAD: Spread = { centre: 0.4, villages: 0.35, centreSigmaKm: 1.2, villageSigmaKm: 0.7 };

type SiteClass = 0 | 1 | 2; // phường, populous xã, other xã

interface Site {
  operator: Operator;
  siteCode: string;
  name: string;
  lon: number;
  lat: number;
  heightM: number;
  urban: boolean;
  siteClass: SiteClass;
}

/**
 * Generates the synthetic station set as validated radio rows (`row` from 2, as in a csv with a
 * header), sites in commune-code order, each site's radios 2G → 5G.
 */
export function generateDemoStations(communes: readonly DemoCommune[], options: DemoOptions = {}): RadioRow[] {
  const seed = options.seed ?? 2026;
  const anchors = options.anchors ?? PHU_THO_ANCHORS;
  if (communes.length === 0) throw new RangeError('demo stations need at least one commune');
  if (!(anchors.sites5g + anchors.planned5g <= anchors.sites4g && anchors.sites4g <= anchors.sites3gOr4g && anchors.sites5gOnAir.count <= anchors.sites5g)) {
    throw new RangeError('demo anchors must satisfy 5G + planned ≤ 4G ≤ 3G-or-4G sites and on-air 5G ≤ 5G sites');
  }
  const prng = createPrng(seed);
  const sites = placeSites(communes, anchors.sites3gOr4g, prng, options.population ?? null);
  const n = sites.length;

  const threeGOnly = new Set(sampleWeighted(prng, sites.map((s) => (s.urban ? 0.5 : 1.5)), n - anchors.sites4g));
  const has3g = sites.map((s, i) => threeGOnly.has(i) || prng.chance(THREE_G_ON_4G_SITE));
  const has2g = sites.map((s) => prng.chance(s.urban ? TWO_G_SHARE.urban : TWO_G_SHARE.rural));
  // Only 3G next to 4G is switched off, so every site keeps 3G or 4G on air.
  const n3g = has3g.filter(Boolean).length;
  const off3g = new Set(sampleWeighted(prng, has3g.map((h, i) => (h && !threeGOnly.has(i) ? 1 : 0)), Math.round(n3g * THREE_G_DECOMMISSIONED)));

  const eligible5g = sites.map((s, i) => !threeGOnly.has(i) && FIVE_G_BAND_MHZ[s.operator] !== undefined);
  const on5g = pick5gSites(sites, eligible5g, anchors.sites5g, prng);
  const early = new Set(sampleWeighted(prng, on5g.map((i) => (sites[i].urban ? 3 : 1)), anchors.sites5gOnAir.count).map((j) => on5g[j]));
  const taken = new Set(on5g);
  const planned = new Set(sampleWeighted(prng, sites.map((s, i) => (eligible5g[i] && !taken.has(i) ? 3 - s.siteClass : 0)), anchors.planned5g));
  const onAirDay = isoDay(anchors.sites5gOnAir.date);

  const rows: RadioRow[] = [];
  const push = (s: Site, technology: Technology, bandMhz: number, extra: Partial<RadioRow>) => {
    rows.push({
      row: rows.length + 2, operator: s.operator, siteCode: s.siteCode, name: s.name, lon: s.lon, lat: s.lat,
      heightM: s.heightM, technology, bandMhz, azimuthDeg: null, beamwidthDeg: null, radiusM: null,
      status: 'active', commissionedOn: null, decommissionedOn: null, ...extra,
    });
  };
  sites.forEach((s, i) => {
    if (has2g[i]) push(s, '2G', prng.weighted([[900, 0.8], [1800, 0.2]]), { commissionedOn: dateBetween(prng, '2004-01-01', '2015-12-31') });
    if (has3g[i]) {
      const band = !s.urban && s.operator !== 'vietnamobile' && s.operator !== 'gmobile' && prng.chance(0.2) ? 900 : 2100;
      const commissionedOn = dateBetween(prng, '2010-01-01', '2016-12-31');
      const off = off3g.has(i) ? dateBetween(prng, '2024-01-01', '2025-12-31') : null;
      push(s, '3G', band, { commissionedOn, status: off ? 'decommissioned' : 'active', decommissionedOn: off });
    }
    if (!threeGOnly.has(i)) {
      const band = s.operator === 'gmobile' ? 1800 : prng.weighted([[1800, 0.75], [2100, 0.15], [900, s.operator === 'vietnamobile' ? 0 : 0.1]]);
      // 4G licences date from October 2016; nothing later than the 5G start keeps history tidy.
      push(s, '4G', band, { commissionedOn: dateBetween(prng, '2016-10-15', '2025-06-30') });
    }
    const band5g = FIVE_G_BAND_MHZ[s.operator];
    if (band5g && (taken.has(i) || planned.has(i))) {
      const commissionedOn = planned.has(i)
        ? dateBetween(prng, PLANNED_FROM, PLANNED_TO)
        : early.has(i) ? dateBetween(prng, FIVE_G_FROM, dayIso(onAirDay)) : dateBetween(prng, dayIso(onAirDay + 1), DEMO_DATA_DATE);
      const status = planned.has(i) ? 'planned' : 'active';
      if (!s.urban) push(s, '5G', band5g, { commissionedOn, status });
      else {
        // Urban 5G is sectorised: three massive-MIMO panels, one beamwidth per site.
        const beamwidthDeg = prng.weighted([[65, 0.6], [90, 0.3], [120, 0.1]]);
        for (const azimuthDeg of [0, 120, 240]) push(s, '5G', band5g, { commissionedOn, status, azimuthDeg, beamwidthDeg });
      }
    }
  });
  return rows;
}

function placeSites(input: readonly DemoCommune[], total: number, prng: Prng, grid: PopulationGrid | null): Site[] {
  const communes = [...input].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const populousXa = new Set(
    communes.filter((c) => c.kind !== 'phuong')
      .sort((a, b) => (b.population ?? 0) - (a.population ?? 0) || (a.code < b.code ? -1 : 1))
      .slice(0, POPULOUS_XA_COUNT).map((c) => c.code),
  );
  const weights = communes.map((c) => Math.max(c.population ?? 0, 1) ** POPULATION_EXPONENT * Math.max(c.areaKm2, 0.1) ** AREA_EXPONENT);
  const counts = apportion(total, weights, MIN_SITES_PER_COMMUNE);
  const serial: Record<string, number> = {};
  const sites: Site[] = [];
  communes.forEach((c, ci) => {
    const urban = c.kind === 'phuong';
    // A merged xã holds 2–7 former communes; one village centre per ~40 km² approximates them.
    const villages = urban ? 0 : Math.min(5, Math.max(1, Math.round(c.areaKm2 / 40)));
    const area = prepareArea(c.geometry, villages, prng);
    const spread = urban ? URBAN_SPREAD : RURAL_SPREAD;
    const cells = grid ? gridCellsIn(area, grid, GRID_PEOPLE_EXPONENT) : null;
    for (let k = 1; k <= counts[ci]; k++) {
      const onGrid = cells && prng.chance(GRID_SITE_SHARE) ? placeSiteOnGrid(area, cells, prng) : null;
      const [lon, lat] = onGrid ?? placeSite(area, spread, prng);
      const operator = prng.weighted(OPERATOR_SHARES);
      serial[operator] = (serial[operator] ?? 0) + 1;
      sites.push({
        operator,
        siteCode: `DEMO-${OPERATOR_ABBR[operator]}-${String(serial[operator]).padStart(5, '0')}`,
        name: `DEMO ${c.name} ${k}`,
        lon, lat,
        // Rooftop masts in towns, taller ground masts in the countryside, m.
        heightM: urban ? prng.int(15, 30) : prng.int(25, 45),
        urban,
        siteClass: urban ? 0 : populousXa.has(c.code) ? 1 : 2,
      });
    }
  });
  return sites;
}

/** Exactly `count` eligible sites (fewer only if fewer exist), by class quotas, sorted. */
function pick5gSites(sites: readonly Site[], eligible: readonly boolean[], count: number, prng: Prng): number[] {
  const quotas = apportion(count, [...FIVE_G_CLASS_SHARES]);
  const chosen = new Set<number>();
  let carry = 0;
  for (const cls of [0, 1, 2] as const) {
    const pool: number[] = sites.map((s, i) => (eligible[i] && s.siteClass === cls ? 1 : 0));
    const available = pool.reduce((a, b) => a + b, 0);
    const want = quotas[cls] + carry;
    for (const i of sampleWeighted(prng, pool, want)) chosen.add(i);
    carry = Math.max(0, want - available);
  }
  if (carry > 0) {
    for (const i of sampleWeighted(prng, sites.map((_, i) => (eligible[i] && !chosen.has(i) ? 1 : 0)), carry)) chosen.add(i);
  }
  return [...chosen].sort((a, b) => a - b);
}

const DAY_MS = 86_400_000;
const isoDay = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / DAY_MS);
const dayIso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** A calendar day in [from, to], both included, as YYYY-MM-DD. */
function dateBetween(prng: Prng, from: string, to: string): string {
  return dayIso(prng.int(isoDay(from), isoDay(to)));
}

/** Counts the anchors are checked against; "on air" means commissioned by `asOf` and not yet off. */
export interface DemoSummary {
  asOf: string;
  sites: number;
  radios: number;
  sitesByOperator: Record<string, number>;
  radiosByTechnology: Record<Technology, number>;
  radiosByStatus: Record<RadioRow['status'], number>;
  sitesWith4g: number;
  sitesWith3gOr4g: number;
  sitesWith5g: number;
  radios5g: number;
}

/** Summarises rows (demo or real) as of a date, YYYY-MM-DD; defaults to the demo data date. */
export function summarizeStations(rows: readonly RadioRow[], asOf = DEMO_DATA_DATE): DemoSummary {
  const onAir = (r: RadioRow) => r.status !== 'planned' && (!r.commissionedOn || r.commissionedOn <= asOf)
    && (!r.decommissionedOn || r.decommissionedOn > asOf);
  const sites = new Map<string, string>();
  const sitesWith = (pred: (r: RadioRow) => boolean) => new Set(rows.filter(pred).map((r) => `${r.operator}/${r.siteCode}`)).size;
  const radiosByTechnology: Record<Technology, number> = { '2G': 0, '3G': 0, '4G': 0, '5G': 0 };
  const radiosByStatus: Record<RadioRow['status'], number> = { planned: 0, active: 0, decommissioned: 0 };
  for (const r of rows) {
    sites.set(`${r.operator}/${r.siteCode}`, r.operator);
    radiosByTechnology[r.technology] += 1;
    radiosByStatus[r.status] += 1;
  }
  const perOperator = new Map<string, number>();
  for (const op of sites.values()) perOperator.set(op, (perOperator.get(op) ?? 0) + 1);
  const sitesByOperator = Object.fromEntries([...perOperator].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)));
  return {
    asOf,
    sites: sites.size,
    radios: rows.length,
    sitesByOperator,
    radiosByTechnology,
    radiosByStatus,
    sitesWith4g: sitesWith((r) => r.technology === '4G' && onAir(r)),
    sitesWith3gOr4g: sitesWith((r) => (r.technology === '3G' || r.technology === '4G') && onAir(r)),
    sitesWith5g: sitesWith((r) => r.technology === '5G' && onAir(r)),
    radios5g: rows.filter((r) => r.technology === '5G' && onAir(r)).length,
  };
}
