// What the Plan tab derives from a plan's result and a scenario's coverage, without I/O: the sites
// as GeoJSON, the series of the chart, the communes that change colour, the values of the compare
// view, the scope typed by the user. The figures themselves are the server's (the engine's); this
// only reads them.
import type { CommuneSummary } from '../../server/contract/answers';
import type { PlanResult, PlanSite, ScenarioCoverage } from './plan-api';
import { coverageValue, isMapMetric } from './targets';

/** Float noise of the engine's figures: a commune at 64.9999999 % of a 65 % target meets it (server/plans/planner.ts does the same). */
const EPS = 1e-9;

export type SiteKind = PlanSite['kind'];

export interface SiteProperties {
  rank: number;
  kind: SiteKind;
  stationId: number | null;
  operator: string;
  technology: string;
  bandMhz: number;
  heightM: number;
  communeCode: string;
  peopleAdded: number;
  cumulativeValue: number;
  cumulativePopulation: number;
}

/** The suggested sites as points, in build order, for the map's GeoJSON source. */
export function sitesGeoJson(sites: readonly PlanSite[]): GeoJSON.FeatureCollection<GeoJSON.Point, SiteProperties> {
  return {
    type: 'FeatureCollection',
    features: sites.map((s) => ({
      type: 'Feature',
      id: s.rank,
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: {
        rank: s.rank, kind: s.kind, stationId: s.stationId, operator: s.operator, technology: s.technology, bandMhz: s.bandMhz, heightM: s.heightM,
        communeCode: s.communeCode, peopleAdded: s.peopleAdded, cumulativeValue: s.cumulative.value, cumulativePopulation: s.cumulative.coveredPopulation,
      },
    })),
  };
}

export interface SeriesPoint {
  /** Sites built so far. */
  sites: number;
  /** The target's metric, points (0–100). */
  value: number;
  coveredPopulation: number;
}

/** The target metric after 0, 1, … n sites: today's figure, then each site's cumulative one. */
export function planSeries(result: Pick<PlanResult, 'before' | 'sites'>): SeriesPoint[] {
  return [
    { sites: 0, value: result.before.value, coveredPopulation: result.before.coveredPopulation },
    ...result.sites.map((s) => ({ sites: s.rank, value: s.cumulative.value, coveredPopulation: s.cumulative.coveredPopulation })),
  ];
}

/** A linear map from [d0, d1] onto [r0, r1] (a degenerate domain maps to r0). */
export function linearScale(d0: number, d1: number, r0: number, r1: number): (v: number) => number {
  const span = d1 - d0;
  return (v) => (span === 0 ? r0 : r0 + ((v - d0) / span) * (r1 - r0));
}

/**
 * The value axis of the chart, points: from a round number at or under the lowest of the series
 * and the threshold, to a round number at or over the highest (at most 100), so a plan that moves
 * a few points is not a flat line at the top of a 0–100 axis.
 */
export function valueDomain(values: readonly number[], threshold: number, step = 10): [number, number] {
  const lo = Math.max(0, Math.floor((Math.min(threshold, ...values) - EPS) / step) * step);
  const hi = Math.min(100, Math.ceil((Math.max(threshold, ...values) + EPS) / step) * step);
  return hi > lo ? [lo, hi] : [Math.max(0, hi - step), hi];
}

/** Up to `max` whole-number ticks from 0 to n (both ends included). */
export function siteTicks(n: number, max = 5): number[] {
  if (n <= 0) return [0];
  const step = Math.max(1, Math.ceil(n / (max - 1)));
  const ticks: number[] = [];
  for (let t = 0; t < n; t += step) ticks.push(t);
  ticks.push(n);
  return ticks;
}

export interface CommuneChange {
  code: string;
  before: number;
  after: number;
}

/**
 * The communes whose colour on the map changes side: below the threshold before, at or above it
 * after (the diverging scale turns from red to blue there). Largest gain first.
 */
export function communesThatChange(rows: readonly CommuneChange[], threshold: number): CommuneChange[] {
  return rows
    .filter((r) => r.before < threshold - EPS && r.after >= threshold - EPS)
    .sort((a, b) => b.after - b.before - (a.after - a.before) || a.code.localeCompare(b.code));
}

export interface ScenarioValue {
  value: number;
  baseline: number;
  difference: number;
}

/** Each commune's value of a coverage metric with the scenario, today's, and the difference (points). */
export function scenarioValues(coverage: ScenarioCoverage, metric: string, technology: string): Map<string, ScenarioValue> {
  const out = new Map<string, ScenarioValue>();
  if (!isMapMetric(metric)) return out;
  for (const f of coverage.communes) {
    if (f.operator !== 'all' || f.technology !== technology) continue;
    const value = coverageValue(f, metric);
    const baseline = coverageValue(f.baseline, metric);
    out.set(f.communeCode, { value, baseline, difference: value - baseline });
  }
  return out;
}

/** The same values as rows for `communesThatChange`. */
export function scenarioChanges(values: ReadonlyMap<string, ScenarioValue>): CommuneChange[] {
  return [...values].map(([code, v]) => ({ code, before: v.baseline, after: v.value }));
}

/**
 * Diverging colours of a difference (points), ColorBrewer PuOr: losses orange, gains purple, so a
 * difference is not mistaken for a value on the map's own red–blue scale.
 */
export const DIFFERENCE_SCALE = { loss: '#b35806', lossMid: '#f1a340', zero: '#f7f7f7', gainMid: '#998ec3', gain: '#542788' } as const;

/** The scale's half-width, points: the largest change, rounded up to 5, at least 5. */
export function differenceExtent(values: Iterable<number>): number {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return Math.max(5, Math.ceil(max / 5) * 5);
}

/** [difference, colour] stops from −extent to +extent. */
export function differenceStops(extent: number): Array<[number, string]> {
  const e = Math.max(EPS, extent);
  return [[-e, DIFFERENCE_SCALE.loss], [-e / 2, DIFFERENCE_SCALE.lossMid], [0, DIFFERENCE_SCALE.zero], [e / 2, DIFFERENCE_SCALE.gainMid], [e, DIFFERENCE_SCALE.gain]];
}

export interface ParsedScope {
  codes: string[];
  /** Five-digit codes the province does not have, and words that are no code. */
  unknown: string[];
}

/** Commune codes typed in a field (commas, spaces or new lines between them), known ones once each, in order. */
export function parseScope(text: string, communes: ReadonlyMap<string, CommuneSummary>): ParsedScope {
  const codes: string[] = [];
  const unknown: string[] = [];
  for (const word of text.split(/[\s,;]+/).filter(Boolean)) {
    if (/^\d{5}$/.test(word) && communes.has(word)) {
      if (!codes.includes(word)) codes.push(word);
    } else unknown.push(word);
  }
  return { codes, unknown };
}
