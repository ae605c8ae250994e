// The map page's pure logic, without a browser: diacritic-free search, the diverging scale, the
// address-hash state, shortfalls, stations on air, and reading the targets answer. (Kept next to
// the browser test that exercises the same code in the page.)
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSearchIndex, fold } from '../../client/data/search';
import { MercatorCoordinate } from 'maplibre-gl';
import { byZoom, fitCamera, mercatorX, mercatorY, visibleRect, WORLD_PX_AT_ZOOM_0 } from '../../client/map/camera';
import { colourAt, colourStops, cssGradient, SCALE } from '../../client/map/choropleth';
import { hashFromState, stateFromHash, type AppState } from '../../client/state';
import { gapsFromFigures, shortfallOf, type MetricFigures } from '../../client/data/figures';
import { pastDates, stationCounts } from '../../client/data/commune-data';
import { targetStatus } from '../../client/data/province-data';
import { BUILT_IN_TARGETS, MAP_METRICS, metricSpec, normaliseTargets } from '../../client/data/targets';
import type { CommuneSummary, Station, Target as ApiTarget } from '../../server/contract/answers';
import { PCT_METRICS, isOnAir } from '../../server/contract/rules';

const communes = [
  { code: '07900', name: 'Việt Trì', fullName: 'Phường Việt Trì' },
  { code: '08005', name: 'Vân Phú', fullName: 'Phường Vân Phú' },
  { code: '04795', name: 'Hoà Bình', fullName: 'Phường Hoà Bình' },
  { code: '09000', name: 'Đông Thành', fullName: 'Xã Đông Thành' },
  { code: '09001', name: 'Việt Xuân', fullName: 'Xã Việt Xuân' },
];

describe('commune search', () => {
  it('folds case, tone marks, vowel marks and đ', () => {
    expect(fold('Phường Việt Trì')).toBe('phuong viet tri');
    expect(fold('  VIỆT   TRÌ ')).toBe('viet tri');
    expect(fold('Đông Thành')).toBe('dong thanh');
    // Both spellings of the tone on "oa" (Hoà / Hòa) meet.
    expect(fold('Hoà Bình')).toBe(fold('Hòa Bình'));
  });

  it('finds Phường Việt Trì first for "viet tri", "Việt Trì" and "VIET TRI"', () => {
    const index = createSearchIndex(communes);
    for (const q of ['viet tri', 'Việt Trì', 'VIET TRI', 'phuong viet tri', '07900']) expect(index.search(q)[0]?.code, q).toBe('07900');
    expect(index.search('viet').map((c) => c.code)).toEqual(['07900', '09001']);
    expect(index.search('dong')[0].code).toBe('09000');
    expect(index.search('')).toEqual([]);
    expect(index.search('zzz')).toEqual([]);
  });
});

describe('diverging scale', () => {
  it('is neutral at the threshold, warm below, cool above, strictly increasing', () => {
    const stops = colourStops(65);
    expect(stops.map(([v]) => v)).toEqual([0, 32.5, 65, 82.5, 100]);
    expect(colourAt(65, 65)).toBe(SCALE.mid);
    expect(colourAt(0, 65)).toBe(SCALE.low);
    expect(colourAt(100, 65)).toBe(SCALE.high);
    for (const t of [0, 100, 0.5, 99.5]) {
      const values = colourStops(t).map(([v]) => v);
      expect(values.every((v, i) => i === 0 || v > values[i - 1]), String(t)).toBe(true);
    }
    expect(cssGradient(90)).toContain(`${SCALE.mid} 90%`);
  });
});

describe('state in the address hash', () => {
  const defaults: AppState = {
    lang: 'vi', metric: '5g_population_pct', targetId: 'pt-2026-5g-coverage', threshold: 65, technology: 'all', operator: 'all',
    asOf: null, commune: null, province: null, tab: 'province', showCoverage: false, showStations: true, showPopulation: false,
  };

  it('round-trips what differs from the defaults', () => {
    const s: AppState = { ...defaults, commune: '07900', province: '04', metric: '4g_area_pct', targetId: 'custom', threshold: 90, technology: '5G', operator: 'viettel', asOf: '2025-09-01', showCoverage: true, tab: 'commune' };
    const hash = hashFromState(s, defaults);
    expect(hash).toContain('c=07900');
    expect(hash).toContain('p=04');
    expect(stateFromHash(hash, defaults)).toEqual(s);
    expect(hashFromState(defaults, defaults)).toBe('');
  });

  it('ignores malformed values', () => {
    expect(stateFromHash('#c=7900&p=4&m=drop_table&th=500&tech=6G&d=2025-13&op=../x', defaults)).toEqual(defaults);
  });
});

describe('shortfalls', () => {
  const props = (code: string, population: number, households: number): CommuneSummary => ({ code, name: code, fullName: `Xã ${code}`, kind: 'xa', provinceCode: '25', population, households, areaKm2: 10 });
  const byCode = new Map([['a', props('a', 1000, 250)], ['b', props('b', 2000, 500)], ['c', props('c', 500, 100)]]);
  const figures: MetricFigures = {
    metric: '5g_population_pct', asOf: null, province: 40, computedAt: null, stale: false, available: true, synthetic: false,
    byCode: new Map([
      ['a', { value: 10, population: 1000, households: 250, areaKm2: 10, uncoveredKm2: 9, figure: { areaKm2: 10, coveredKm2: 1, population: 1000, coveredPopulation: 100 } }],
      ['b', { value: 64.9, population: 2000, households: 500, areaKm2: 10, uncoveredKm2: 3.51, figure: { areaKm2: 10, coveredKm2: 6.49, population: 2000, coveredPopulation: 1298 } }],
      ['c', { value: 65, population: 500, households: 100, areaKm2: 10, uncoveredKm2: 3.5, figure: { areaKm2: 10, coveredKm2: 6.5, population: 500, coveredPopulation: 325 } }],
    ]),
  };

  it('lists communes below the threshold, largest shortfall first, with the people behind it rounded up', () => {
    const rows = gapsFromFigures(figures, 65, byCode);
    expect(rows.map((r) => r.code)).toEqual(['a', 'b']);
    expect(rows[0]).toMatchObject({ name: 'Xã a', shortfallPts: 55, peopleToReach: 550, householdsToReach: null, uncoveredKm2: 9, uncoveredPopulation: 900 });
    expect(rows[1].peopleToReach).toBe(2); // 0.1 point of 2,000 people, rounded up
    expect(shortfallOf(byCode.get('b')!, '5g_population_pct', 65, 64.9)?.peopleToReach).toBe(2);
    expect(shortfallOf(byCode.get('c')!, '5g_population_pct', 65, 65)).toBeNull();
  });

  it('breaks ties as the server does: more people behind first, then by code (not by name)', () => {
    const tie = new Map([['z', props('z', 3000, 700)], ['y', props('y', 1000, 200)], ['x', props('x', 3000, 700)]]);
    const even: MetricFigures = {
      ...figures, byCode: new Map([...tie.values()].map((c) => [c.code, { value: 60, population: c.population, households: c.households, areaKm2: 10, uncoveredKm2: 4, figure: null }])),
    };
    expect(gapsFromFigures(even, 65, tie).map((r) => r.code)).toEqual(['x', 'z', 'y']);
  });

  it('counts households, not people, for a fiber metric', () => {
    const rows = gapsFromFigures({ ...figures, metric: 'fiber_households_pct' }, 65, byCode);
    expect(rows[0]).toMatchObject({ peopleToReach: null, householdsToReach: 138 }); // 55 % of 250, rounded up
  });

  it('meets a target as the server says: a commune target when every commune reaches it', () => {
    const target = { ...BUILT_IN_TARGETS[0], scope: 'commune' as const };
    expect(targetStatus(target, figures)).toMatchObject({ value: 10, met: false, communesBelow: 2 });
    expect(targetStatus({ ...target, scope: 'province' }, figures)).toMatchObject({ value: 40, met: false, distancePts: -25 });
    expect(targetStatus({ ...target, scope: 'province', threshold: 40 }, figures).met).toBe(true);
  });
});

describe('stations on air', () => {
  const radio = (over: Partial<Station['radios'][number]>): Station['radios'][number] => ({
    id: 1, technology: '4G', bandMhz: 1800, azimuthDeg: null, beamwidthDeg: null, radiusM: null, rangeHintM: null, status: 'active', commissionedOn: null, decommissionedOn: null, ...over,
  });
  it('counts a radio as the coverage model does', () => {
    expect(isOnAir(radio({}), '2026-01-01')).toBe(true);
    expect(isOnAir(radio({ status: 'planned' }), '2026-01-01')).toBe(false);
    expect(isOnAir(radio({ commissionedOn: '2026-01-02' }), '2026-01-01')).toBe(false);
    expect(isOnAir(radio({ decommissionedOn: '2026-01-01', status: 'decommissioned' }), '2026-01-01')).toBe(false);
    expect(isOnAir(radio({ status: 'decommissioned' }), '2026-01-01')).toBe(false);
  });

  it('counts each site once per technology and once in all', () => {
    const site = (operator: string, radios: Station['radios']): Station => ({ id: 1, operator, siteCode: 's', name: 's', lon: 0, lat: 0, communeCode: null, heightM: null, isDemo: true, radios });
    const { byOperator, total } = stationCounts([
      site('viettel', [radio({ technology: '4G' }), radio({ technology: '4G', azimuthDeg: 120 }), radio({ technology: '5G', commissionedOn: '2025-08-01' })]),
      site('vnpt', [radio({ technology: '3G' })]),
    ], '2025-07-01');
    expect(total).toEqual({ '2G': 0, '3G': 1, '4G': 1, '5G': 0, any: 2 });
    expect(byOperator.get('viettel')).toEqual({ '2G': 0, '3G': 0, '4G': 1, '5G': 0, any: 1 });
  });

  it('spaces the computed history quarterly back from today', () => {
    expect(pastDates('2026-11-23')).toEqual(['2025-05-23', '2025-08-23', '2025-11-23', '2026-02-23', '2026-05-23', '2026-08-23']);
  });
});

describe('targets', () => {
  const apiTarget = (over: Partial<ApiTarget>): ApiTarget => ({
    id: 1, code: 'pt-2026-5g-coverage', title: '5G', metric: '5g_population_pct', threshold: 65, deadlineYear: 2026, scope: 'province', provinceCode: '25',
    source: { document: 'd', date: null, quote: null, url: null }, notes: null, createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'migration', ...over,
  });

  it('reads GET /api/targets, keeping the targets the map can draw, by code', () => {
    const targets = normaliseTargets({
      count: 3,
      items: [
        apiTarget({ source: { document: 'Báo Phú Thọ, 3 Feb 2026', date: '2026-02-03', quote: 'tối thiểu 65%', url: null } }),
        apiTarget({ id: 2, code: 'x', title: 'communes reached', metric: 'fiber_communes_pct', threshold: 100 }),
        apiTarget({ id: 3, code: 'pt-2026-5g-area', title: '5G area', metric: '5g_area_pct', threshold: 50, deadlineYear: 2027, scope: 'commune' }),
      ],
    });
    expect(targets?.map((t) => [t.id, t.metric, t.threshold, t.scope])).toEqual([
      ['pt-2026-5g-coverage', '5g_population_pct', 65, 'province'],
      ['pt-2026-5g-area', '5g_area_pct', 50, 'commune'],
    ]);
    expect(targets?.[0].source).toBe('Báo Phú Thọ, 3 Feb 2026: “tối thiểu 65%”');
    expect(normaliseTargets({ count: 0, items: [] })).toBeNull();
    expect(normaliseTargets(null)).toBeNull();
  });

  it('offers every percentage metric of the server but the share of communes reached, newest generation first', () => {
    expect([...MAP_METRICS].sort()).toEqual(PCT_METRICS.filter((m) => m !== 'fiber_communes_pct').sort());
    expect(MAP_METRICS.slice(0, 3)).toEqual(['5g_population_pct', '5g_area_pct', '4g_population_pct']);
    expect(MAP_METRICS.slice(-2)).toEqual(['fiber_households_pct', 'fiber_passed_pct']);
  });

  it('built-in targets are the two published ones', () => {
    expect(BUILT_IN_TARGETS.map((t) => [t.metric, t.threshold])).toEqual([['5g_population_pct', 65], ['fiber_households_pct', 90]]);
    expect(metricSpec('4g_area_pct')).toEqual({ kind: 'coverage', technology: '4G', weight: 'area' });
    expect(metricSpec('fiber_passed_pct')).toEqual({ kind: 'fiber', measure: 'passed' });
  });
});

describe('the opening view (shared by the static first frame and MapLibre)', () => {
  // Roughly Phú Thọ's box, and the desktop map's container with the legend open on its right.
  const box: [number, number, number, number] = [104.8, 20.3, 105.9, 21.8];
  const size = { width: 890, height: 692 };
  const padding = { top: 32, right: 32 + 288, bottom: 32, left: 32 };
  /** Where a point lands in the view, in pixels from its top-left corner. */
  const pixel = (camera: ReturnType<typeof fitCamera>, lng: number, lat: number) => {
    const r = visibleRect(camera, size);
    const scale = WORLD_PX_AT_ZOOM_0 * 2 ** camera.zoom;
    return { x: (mercatorX(lng) - r.x) * scale, y: (mercatorY(lat) - r.y) * scale };
  };

  it('projects as MapLibre does (Web Mercator, 0–1 across the world)', () => {
    for (const [lng, lat] of [[105.3, 21.2], [-70, -33.4], [0, 0], [179.9, 84]]) {
      const m = MercatorCoordinate.fromLngLat([lng, lat]);
      expect(mercatorX(lng)).toBeCloseTo(m.x, 12);
      expect(mercatorY(lat)).toBeCloseTo(m.y, 12);
    }
  });

  it('fits the box whole inside the padded room, centred in it, touching it on one axis', () => {
    const camera = fitCamera(box, size, padding);
    const nw = pixel(camera, box[0], box[3]);
    const se = pixel(camera, box[2], box[1]);
    const room = { width: size.width - padding.left - padding.right, height: size.height - padding.top - padding.bottom };
    expect(nw.x).toBeGreaterThanOrEqual(padding.left - 1e-6);
    expect(nw.y).toBeGreaterThanOrEqual(padding.top - 1e-6);
    expect(se.x).toBeLessThanOrEqual(size.width - padding.right + 1e-6);
    expect(se.y).toBeLessThanOrEqual(size.height - padding.bottom + 1e-6);
    // Tall box, wide-ish room: the height is what limits, and it is used whole.
    expect(se.y - nw.y).toBeCloseTo(room.height, 6);
    expect((nw.x + se.x) / 2).toBeCloseTo(padding.left + room.width / 2, 6);
    expect((nw.y + se.y) / 2).toBeCloseTo(padding.top + room.height / 2, 6);
  });

  it('stops at maxZoom for a small box, still centred, and falls back to it for a point', () => {
    const small: [number, number, number, number] = [105.40, 21.30, 105.41, 21.31];
    const camera = fitCamera(small, size, padding, 13);
    expect(camera.zoom).toBe(13);
    const nw = pixel(camera, small[0], small[3]);
    const se = pixel(camera, small[2], small[1]);
    expect((nw.x + se.x) / 2).toBeCloseTo(padding.left + (size.width - padding.left - padding.right) / 2, 6);
    expect(fitCamera([105.4, 21.3, 105.4, 21.3], size, padding, 13)).toMatchObject({ zoom: 13 });
  });

  it('shows a visible rectangle of the view\'s own proportions', () => {
    const r = visibleRect(fitCamera(box, size, padding), size);
    expect(r.width / r.height).toBeCloseTo(size.width / size.height, 9);
  });

  it('interpolates line widths by zoom as MapLibre\'s linear interpolate does', () => {
    const stops: Array<[number, number]> = [[8, 0.6], [12, 1.5]];
    expect(byZoom(stops, 7)).toBe(0.6);
    expect(byZoom(stops, 10)).toBeCloseTo(1.05, 12);
    expect(byZoom(stops, 14)).toBe(1.5);
  });
});

describe('the rules the page bundles from the server (server/contract/rules.ts)', () => {
  /** Modules reached from `file` by imports that stay at run time (`import type` is erased). */
  function runtimeImports(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^;]*?from\s+'([^']+)'/gms)) {
      const spec = m[1];
      if (!spec.startsWith('.')) {
        seen.add(spec);
        continue;
      }
      runtimeImports(path.resolve(path.dirname(file), `${spec}.ts`), seen);
    }
    return seen;
  }

  it('are pure modules: no package (zod, knex, express…), no Node API, nothing but the rules', () => {
    const reached = [...runtimeImports(path.resolve('server/contract/rules.ts'))].map((f) => path.relative(process.cwd(), f));
    expect(reached.filter((f) => !f.startsWith('server/'))).toEqual([]);
    expect(reached.sort()).toEqual([
      'server/contract/rules.ts', 'server/coverage/engine/types.ts', 'server/stations/on-air.ts', 'server/stations/operators.ts',
      'server/summary/gaps.ts', 'server/summary/indicators.ts', 'server/summary/progress.ts', 'server/targets/metrics.ts',
    ]);
  });
});
