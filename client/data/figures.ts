// The value of the chosen metric for every commune and for the province, on a date: what the
// choropleth, the legend and the province panel's ranking read.
import { api } from '../api';
import type { CommuneProperties, GapRow } from '../api-types';
import { coverageValue, metricSpec, rowsOf, type MapMetric } from './targets';

export interface CommuneValue {
  value: number | null;
  population: number | null;
  households: number | null;
  areaKm2: number | null;
  /** Area not reached, km² (coverage metrics only). */
  uncoveredKm2: number | null;
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

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export async function loadMetricFigures(
  metric: MapMetric,
  asOf: string | null,
  communes: ReadonlyMap<string, CommuneProperties>,
  signal?: AbortSignal,
): Promise<MetricFigures> {
  const spec = metricSpec(metric);
  const byCode = new Map<string, CommuneValue>();
  if (spec.kind === 'coverage') {
    const res = await api.coverage({ technology: spec.technology, operator: 'all', asOf }, signal);
    for (const f of res.communes) {
      if (f.operator !== 'all' || f.technology !== spec.technology) continue;
      byCode.set(f.communeCode, {
        value: coverageValue(f, metric),
        population: f.population,
        households: communes.get(f.communeCode)?.households ?? null,
        areaKm2: f.areaKm2,
        uncoveredKm2: Math.max(0, f.areaKm2 - f.coveredKm2),
      });
    }
    const p = res.province.find((x) => x.operator === 'all' && x.technology === spec.technology);
    return {
      metric, asOf, byCode, province: p ? coverageValue(p, metric) : null,
      computedAt: res.computedAt, stale: res.stale, available: byCode.size > 0, synthetic: false,
    };
  }
  // Fiber: GET /api/broadband, households with a subscription (fiberPct) or passed (passedPct).
  const body = await api.broadband({ asOf }, signal);
  const key = spec.measure === 'passed' ? ['passedPct'] : ['fiberPct'];
  const pick = (row: Record<string, unknown>): number | null => {
    for (const k of key) if (num(row[k]) !== null) return num(row[k]);
    return null;
  };
  for (const row of rowsOf(body, 'communes')) {
    const code = typeof row.communeCode === 'string' ? row.communeCode : typeof row.code === 'string' ? row.code : null;
    if (!code) continue;
    const c = communes.get(code);
    byCode.set(code, { value: pick(row), population: c?.population ?? null, households: c?.households ?? null, areaKm2: c?.areaKm2 ?? null, uncoveredKm2: null });
  }
  const province = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>).province : null;
  return {
    metric, asOf, byCode,
    province: province && typeof province === 'object' ? pick(province as Record<string, unknown>) : null,
    computedAt: null, stale: false, available: [...byCode.values()].some((v) => v.value !== null),
    synthetic: !!body && typeof body === 'object' && (body as Record<string, unknown>).synthetic === true,
  };
}

/** People (or households) to reach a threshold `shortfallPts` away, rounded up as the server does. */
export function toReach(shortfallPts: number, base: number): number {
  return Math.ceil((shortfallPts / 100) * base - 1e-9);
}

/** Communes below `threshold`, largest shortfall first, with the people (or households) behind it. */
export function gapsFromFigures(figures: MetricFigures, threshold: number, communes: ReadonlyMap<string, CommuneProperties>): GapRow[] {
  const fiber = metricSpec(figures.metric).kind === 'fiber';
  const rows: GapRow[] = [];
  for (const [code, v] of figures.byCode) {
    if (v.value === null || threshold - v.value <= 1e-9) continue;
    const shortfallPts = threshold - v.value;
    rows.push({
      code,
      name: communes.get(code)?.fullName ?? code,
      value: v.value,
      shortfallPts,
      // As the server's gaps: population is spread evenly over a commune, so points are people.
      peopleBehind: !fiber && v.population !== null ? toReach(shortfallPts, v.population) : null,
      householdsBehind: fiber && v.households !== null ? toReach(shortfallPts, v.households) : null,
      uncoveredKm2: v.uncoveredKm2,
    });
  }
  return rows.sort((a, b) => b.shortfallPts - a.shortfallPts || a.name.localeCompare(b.name, 'vi'));
}
