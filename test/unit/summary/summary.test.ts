import { EVEN_SPREAD, FLAT_GROUND } from '../../../server/coverage/coverage.inputs';
import { describe, expect, it } from 'vitest';
import type { CoverageFigure } from '../../../server/coverage/engine/index';
import { computeGaps } from '../../../server/summary/gaps';
import { communeValues, provinceValues } from '../../../server/summary/indicators';
import { evaluateTarget } from '../../../server/summary/progress';
import { renderCommuneReport, type CommuneReportData } from '../../../server/summary/report.html';
import type { CommuneFiber } from '../../../server/broadband/fiber';

// Four hand-built communes: 5G covers A 40 %, B 60 %, C 80 %, D 40 % (population spread evenly).
const COMMUNES = [
  { code: '00001', name: 'A', population: 10_000, households: 2_500 },
  { code: '00002', name: 'B', population: 1_000, households: 300 },
  { code: '00003', name: 'C', population: 5_000, households: 1_200 },
  { code: '00004', name: 'D', population: 2_000, households: 500 },
];
const fig = (communeCode: string, areaKm2: number, coveredKm2: number, population: number): CoverageFigure => ({
  communeCode, technology: '5G', operator: 'all', areaKm2, coveredKm2, areaPct: (100 * coveredKm2) / areaKm2,
  population, coveredPopulation: (population * coveredKm2) / areaKm2, populationPct: (100 * coveredKm2) / areaKm2, populationSpread: 'even',
});
const FIGURES = [fig('00001', 10, 4, 10_000), fig('00002', 50, 30, 1_000), fig('00003', 5, 4, 5_000), fig('00004', 20, 8, 2_000)];
const fiber = (communeCode: string, households: number, subscriptions: number): CommuneFiber => ({
  communeCode, households, operators: [], asOf: '2025-12-31', subscriptions, householdsPassed: subscriptions, householdsPassedSum: subscriptions, ports: null,
  fiberPct: (100 * subscriptions) / households, fiberPctRaw: (100 * subscriptions) / households, passedPct: (100 * subscriptions) / households, passedPctUpper: null, exceeds100: false, isDemo: false,
});
const FIBER = [fiber('00001', 2_500, 2_375), fiber('00002', 300, 150)];
const VALUES = communeValues(COMMUNES.map((c) => c.code), FIGURES, FIBER);
const COVERAGE = new Map(FIGURES.map((f) => [f.communeCode, f]));

describe('gaps', () => {
  it('lists the communes below a coverage target, largest shortfall first, then most people behind it', () => {
    const gaps = computeGaps(COMMUNES, VALUES, { metric: '5g_population_pct', threshold: 65 }, COVERAGE);
    expect(gaps.items.map((g) => [g.code, g.shortfallPts, g.peopleToReach])).toEqual([['00001', 25, 2_500], ['00004', 25, 500], ['00002', 5, 50]]);
    expect(gaps.items[0]).toMatchObject({ value: 40, uncoveredKm2: 6, uncoveredPopulation: 6_000, areaToReachKm2: 2.5, householdsToReach: null });
    expect(gaps.communesMeeting).toBe(1);
    expect(gaps.noData).toEqual([]);
  });

  it('counts households for fiber targets and keeps communes without figures apart', () => {
    const gaps = computeGaps(COMMUNES, VALUES, { metric: 'fiber_households_pct', threshold: 90 });
    expect(gaps.items).toEqual([expect.objectContaining({ code: '00002', value: 50, shortfallPts: 40, householdsToReach: 120, peopleToReach: null, uncoveredKm2: null })]);
    expect(gaps.communesMeeting).toBe(1);
    expect(gaps.noData.map((c) => c.code)).toEqual(['00003', '00004']);
  });

  it('a commune exactly at the threshold meets it', () => {
    expect(computeGaps(COMMUNES, VALUES, { metric: '5g_area_pct', threshold: 40 }, COVERAGE).items).toEqual([]);
  });
});

describe('targets met or not', () => {
  const base = { population: 18_000, households: 2_800 };
  it('a province target compares the province value and says how many people are missing', () => {
    const status = evaluateTarget({ metric: '5g_population_pct', threshold: 65, scope: 'province' }, { '5g_population_pct': 50 }, VALUES, base);
    expect(status).toMatchObject({ value: 50, met: false, distancePts: -15, peopleToReach: 2_700, householdsToReach: null, communesBelow: 3, communesWithData: 4, partial: false });
    expect(evaluateTarget({ metric: '5g_population_pct', threshold: 45, scope: 'province' }, { '5g_population_pct': 50 }, VALUES, base))
      .toMatchObject({ met: true, distancePts: 5, peopleToReach: 0 });
  });

  it('a commune target needs every commune with data; fiber over part of the communes is partial', () => {
    expect(evaluateTarget({ metric: '5g_area_pct', threshold: 40, scope: 'commune' }, {}, VALUES, base)).toMatchObject({ value: 40, met: true, communesBelow: 0 });
    expect(evaluateTarget({ metric: 'fiber_households_pct', threshold: 90, scope: 'commune' }, {}, VALUES, base))
      .toMatchObject({ value: 50, met: false, distancePts: -40, communesBelow: 1, communesWithData: 2, partial: true });
    expect(evaluateTarget({ metric: 'fiber_households_pct', threshold: 90, scope: 'province' }, { fiber_households_pct: null }, new Map(), base))
      .toMatchObject({ value: null, met: null, distancePts: null });
  });

  it('derives the province values from the roll-up, the fiber totals and the site counts', () => {
    const rollup = [{ technology: '4G' as const, operator: 'all', areaKm2: 100, coveredKm2: 98, areaPct: 98, population: 10, coveredPopulation: 9.9, populationPct: 99 }];
    const province = provinceValues(rollup, { fiberPct: 86, passedPct: 95, fiberCommunesPct: 100, subscriptions: 960_001, communesWithData: 148 } as never,
      { sites_count: 10, sites_3g4g_count: 9, sites_4g_count: 8, sites_5g_count: 2, sites_5g_new_count: 1 });
    expect(province).toMatchObject({ '4g_area_pct': 98, '4g_population_pct': 99, '5g_area_pct': null, fiber_households_pct: 86, fiber_subscriptions_count: 960_001, sites_4g_count: 8 });
  });
});

describe('the printable commune report', () => {
  const data = {
    generatedAt: new Date('2026-02-01T00:00:00Z'),
    commune: { code: '00001', name: 'A <script>', fullName: 'Xã Mường <b>Hoa</b>', kind: 'xa', provinceName: 'Phú Thọ', population: 10_000, households: 2_500, householdSize: 4, householdsMethod: 'census2019-communes', areaKm2: 10, officialAreaKm2: null },
    coverage: {
      computedAt: new Date(), asOf: '2026-02-01', modelVersion: 'm1', stale: false, figures: FIGURES.slice(0, 1),
      populationModel: { ...EVEN_SPREAD }, terrainModel: { ...FLAT_GROUND },
    },
    values: VALUES.get('00001')!,
    stations: { asOf: '2026-02-01', totals: {}, byOperator: { viettel: { sites: 2, '4G': 2, '5G': 1 } }, byTechnology: {} },
    syntheticStations: true, fiber: null, syntheticFiber: false,
    targets: [{ target: { id: 1, code: 't', title: 'Fiber "≥" 90 % & more', metric: 'fiber_households_pct', threshold: 90, deadlineYear: 2026, scope: 'province', source: { document: 'Báo Phú Thọ', date: null, quote: null, url: null } }, value: 50, gap: { shortfallPts: 40, householdsToReach: 1000, peopleToReach: null } }],
    history: [],
  } as unknown as CommuneReportData;

  it('escapes every text, keeps Vietnamese, says the demo data are synthetic and credits the sources', () => {
    const html = renderCommuneReport(data);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>Hoa</b>');
    expect(html).toContain('Xã Mường &lt;b&gt;Hoa&lt;/b&gt;');
    expect(html).toContain('Fiber &quot;≥&quot; 90 % &amp; more');
    expect(html).toContain('SYNTHETIC demo data');
    expect(html).toContain('thanglequoc/vietnamese-provinces-database');
    expect(html).toContain('short by 40.0 pts');
    expect(html).toContain('@page');
  });
});
