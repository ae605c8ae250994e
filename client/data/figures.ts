// The value of the chosen metric for every commune and for the province, on a date: what the
// choropleth, the legend and the province panel's ranking read. Shortfalls are ranked by the
// server's own rule (server/summary/gaps.ts, through server/contract/rules.ts).
import { api } from '../api';
import type { CommuneSummary, CoverageFigure } from '../../server/contract/answers';
import { computeGaps, type GapRow } from '../../server/contract/rules';
import { coverageValue, metricSpec, type MapMetric } from './targets';

export interface CommuneValue {
  value: number | null;
  population: number | null;
  households: number | null;
  areaKm2: number | null;
  /** Area not reached, km² (coverage metrics only). */
  uncoveredKm2: number | null;
  /** The figure the value comes from (coverage metrics only): the gaps' uncovered area and people. */
  figure: Pick<CoverageFigure, 'areaKm2' | 'coveredKm2' | 'population' | 'coveredPopulation'> | null;
}

export interface MetricFigures {
  metric: MapMetric;
  asOf: string | null;
  byCode: Map<string, CommuneValue>;
  province: number | null;
  computedAt: string | null;
  stale: boolean;
  /** False when the server has no data for this metric yet (e.g. fiber before uploads). */
  available: boolean;
  /** The figures rest on synthetic demo data (fiber uploads marked as demo). */
  synthetic: boolean;
}

export async function loadMetricFigures(
  metric: MapMetric,
  asOf: string | null,
  communes: ReadonlyMap<string, CommuneSummary>,
  signal?: AbortSignal,
  /** One province's communes (the country's map); without it, every commune held. */
  province?: string,
): Promise<MetricFigures> {
  const spec = metricSpec(metric);
  const byCode = new Map<string, CommuneValue>();
  if (spec.kind === 'coverage') {
    const res = await api.coverage({ technology: spec.technology, operator: 'all', asOf, province }, signal);
    for (const f of res.communes) {
      if (f.operator !== 'all' || f.technology !== spec.technology) continue;
      byCode.set(f.communeCode, {
        value: coverageValue(f, metric),
        population: f.population,
        households: communes.get(f.communeCode)?.households ?? null,
        areaKm2: f.areaKm2,
        uncoveredKm2: Math.max(0, f.areaKm2 - f.coveredKm2),
        figure: f,
      });
    }
    const p = res.province.find((x) => x.operator === 'all' && x.technology === spec.technology);
    return {
      metric, asOf, byCode, province: p ? coverageValue(p, metric) : null,
      computedAt: res.computedAt, stale: res.stale, available: byCode.size > 0, synthetic: false,
    };
  }
  // Fiber: GET /api/broadband, households with a subscription (fiberPct) or passed (passedPct).
  const body = await api.broadband({ asOf, province }, signal);
  const pick = (row: { fiberPct: number | null; passedPct: number | null }) => (spec.measure === 'passed' ? row.passedPct : row.fiberPct);
  for (const row of body?.communes ?? []) {
    const c = communes.get(row.communeCode);
    byCode.set(row.communeCode, { value: pick(row), population: c?.population ?? null, households: c?.households ?? null, areaKm2: c?.areaKm2 ?? null, uncoveredKm2: null, figure: null });
  }
  return {
    metric, asOf, byCode, province: body ? pick(body.province) : null,
    computedAt: null, stale: false, available: [...byCode.values()].some((v) => v.value !== null),
    synthetic: body?.synthetic === true,
  };
}

/** Communes below `threshold`, ranked as the server ranks them (GET /api/gaps), named by their full names. */
export function gapsFromFigures(figures: MetricFigures, threshold: number, communes: ReadonlyMap<string, CommuneSummary>): GapRow[] {
  const codes = [...figures.byCode.keys()];
  const places = codes.map((code) => {
    const c = communes.get(code);
    const v = figures.byCode.get(code)!;
    return { code, name: c?.fullName ?? code, population: v.population, households: v.households };
  });
  const values = new Map(codes.map((code) => [code, { [figures.metric]: figures.byCode.get(code)!.value }]));
  const coverage = new Map(codes.flatMap((code) => {
    const f = figures.byCode.get(code)!.figure;
    return f ? [[code, f] as const] : [];
  }));
  return computeGaps(places, values, { metric: figures.metric, threshold }, coverage).items;
}

/** One commune's shortfall against `threshold` (null when it reaches it), as the server counts it. */
export function shortfallOf(commune: CommuneSummary, metric: MapMetric, threshold: number, value: number): GapRow | null {
  return computeGaps([commune], new Map([[commune.code, { [metric]: value }]]), { metric, threshold }).items[0] ?? null;
}
