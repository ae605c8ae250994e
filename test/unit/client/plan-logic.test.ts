// The Plan tab's pure logic, without a browser: the sites as GeoJSON, the chart's series and
// scales, the communes that change colour, the compare view's values and difference scale, the
// scope typed by the user. test/e2e/plan.e2e.test.ts runs the same code in the page.
import { describe, expect, it } from 'vitest';
import {
  communesThatChange, differenceExtent, differenceStops, linearScale, parseScope, planSeries, scenarioChanges, scenarioValues, siteTicks, sitesGeoJson, valueDomain,
} from '../../../client/data/plan';
import type { PlanSite, ScenarioCoverage } from '../../../client/data/plan-api';
import type { CommuneSummary } from '../../../server/contract/answers';
import { hashFromState, stateFromHash, type AppState } from '../../../client/state';

const site = (rank: number, kind: 'upgrade' | 'new', value: number): PlanSite => ({
  rank, kind, stationId: kind === 'upgrade' ? 100 + rank : null, lon: 105.2 + rank / 100, lat: 21.3, operator: 'viettel', technology: '5G',
  bandMhz: 3500, heightM: 30, communeCode: '07900', peopleAdded: 1000 * rank, areaAddedKm2: 0.5,
  cumulative: { value, coveredPopulation: 10_000 + 1000 * rank, coveredKm2: 3 },
});

describe('plan sites and chart', () => {
  const sites = [site(1, 'upgrade', 40), site(2, 'new', 58), site(3, 'upgrade', 66)];

  it('draws the sites as points in build order, each with what its popup shows', () => {
    const fc = sitesGeoJson(sites);
    expect(fc.features.map((f) => f.id)).toEqual([1, 2, 3]);
    expect(fc.features[1]).toMatchObject({ geometry: { type: 'Point', coordinates: [105.22, 21.3] }, properties: { rank: 2, kind: 'new', stationId: null, cumulativeValue: 58, peopleAdded: 2000 } });
  });

  it('starts the series at today and follows each cumulative figure', () => {
    const series = planSeries({ before: { value: 31, coveredPopulation: 9000, population: 20000, coveredKm2: 1, areaKm2: 10, met: false }, sites });
    expect(series.map((p) => [p.sites, p.value])).toEqual([[0, 31], [1, 40], [2, 58], [3, 66]]);
  });

  it('scales the value axis to round numbers around the series and the threshold', () => {
    expect(valueDomain([31, 40, 66], 65)).toEqual([30, 70]);
    expect(valueDomain([80, 99], 65)).toEqual([60, 100]);
    expect(valueDomain([0, 3], 2)).toEqual([0, 10]);
    expect(valueDomain([100, 100], 100)).toEqual([90, 100]);
    const y = linearScale(30, 70, 120, 10);
    expect([y(30), y(70), y(50)]).toEqual([120, 10, 65]);
    expect(linearScale(5, 5, 7, 9)(5)).toBe(7);
  });

  it('ticks the sites axis with whole numbers, both ends included', () => {
    expect(siteTicks(0)).toEqual([0]);
    expect(siteTicks(3)).toEqual([0, 1, 2, 3]);
    expect(siteTicks(73)).toEqual([0, 19, 38, 57, 73]);
    for (const n of [1, 2, 7, 20, 1000]) {
      const t = siteTicks(n);
      expect(t.length).toBeLessThanOrEqual(5);
      expect(t.every(Number.isInteger)).toBe(true);
      expect([t[0], t.at(-1)]).toEqual([0, n]);
    }
  });
});

describe('communes that change colour', () => {
  it('are those below the threshold before and at or above it after, largest gain first', () => {
    const rows = [
      { code: '00001', before: 20, after: 70 }, // crosses
      { code: '00002', before: 64.9, after: 65 }, // crosses, at the threshold
      { code: '00003', before: 70, after: 90 }, // already met
      { code: '00004', before: 10, after: 64.99 }, // still below
      { code: '00005', before: 64.9999999999, after: 80 }, // met before, within float noise
    ];
    expect(communesThatChange(rows, 65).map((r) => r.code)).toEqual(['00001', '00002']);
  });

  it('read from a scenario\'s coverage: the metric of the plan, all operators, today against the scenario', () => {
    const figure = (code: string, technology: string, operator: string, populationPct: number, baselinePct: number, areaPct = 0) => ({
      communeCode: code, technology, operator, areaKm2: 10, coveredKm2: 1, areaPct, population: 1000, coveredPopulation: 500, populationPct,
      baseline: { areaPct: 0, populationPct: baselinePct, coveredPopulation: 0, coveredKm2: 0 },
      difference: { areaPct, populationPct: populationPct - baselinePct, coveredPopulation: 0, coveredKm2: 0 },
    });
    const coverage = {
      scenario: { id: 1, name: 's' }, computedAt: '', asOf: '2026-12-03', modelVersion: 'v', stale: false, populationModel: { id: 'even-spread', description: '' }, terrainModel: { id: 'flat', tiles: [], sha256: null, source: null }, province: [],
      communes: [figure('00001', '5G', 'all', 70, 40), figure('00001', '5G', 'viettel', 99, 0), figure('00001', '4G', 'all', 1, 1), figure('00002', '5G', 'all', 50, 50, 12)],
    } as ScenarioCoverage;
    const values = scenarioValues(coverage, '5g_population_pct', '5G');
    expect([...values]).toEqual([['00001', { value: 70, baseline: 40, difference: 30 }], ['00002', { value: 50, baseline: 50, difference: 0 }]]);
    expect(communesThatChange(scenarioChanges(values), 65).map((r) => r.code)).toEqual(['00001']);
    expect(scenarioValues(coverage, '5g_area_pct', '5G').get('00002')).toEqual({ value: 12, baseline: 0, difference: 12 });
    expect(scenarioValues(coverage, 'fiber_communes_pct', '5G').size).toBe(0);
  });
});

describe('the difference scale', () => {
  it('is symmetric around zero, as wide as the largest change rounded up to 5 points, at least 5', () => {
    expect(differenceExtent([])).toBe(5);
    expect(differenceExtent([0.2, 3])).toBe(5);
    expect(differenceExtent([12.1, -3])).toBe(15);
    expect(differenceExtent([-21])).toBe(25);
    const stops = differenceStops(20);
    expect(stops.map(([v]) => v)).toEqual([-20, -10, 0, 10, 20]);
    expect(stops[2][1]).toBe('#f7f7f7');
  });
});

describe('the scope typed in the form', () => {
  const communes = new Map([['07900', {}], ['08005', {}]] as Array<[string, CommuneSummary]>);
  it('keeps known codes once each, in order, and names the rest', () => {
    expect(parseScope(' 08005, 07900;08005\n12345 abc ', communes)).toEqual({ codes: ['08005', '07900'], unknown: ['12345', 'abc'] });
    expect(parseScope('', communes)).toEqual({ codes: [], unknown: [] });
  });
});

describe('the Plan tab in the address', () => {
  const defaults: AppState = {
    lang: 'vi', metric: '5g_population_pct', targetId: 'pt-2026-5g-coverage', threshold: 65, technology: 'all', operator: 'all',
    asOf: null, commune: null, province: null, tab: 'province', showCoverage: false, showStations: true, showPopulation: false,
  };
  it('is kept in the hash like the other tabs (the token never is: it lives in sessionStorage)', () => {
    expect(stateFromHash('#tab=plan', defaults).tab).toBe('plan');
    expect(hashFromState({ ...defaults, tab: 'plan' }, defaults)).toBe('#tab=plan');
    expect(stateFromHash('#tab=plans', defaults).tab).toBe('province');
  });
});
