// Metrics and targets as the page uses them. The metric names and what each measures are the
// server's (server/targets/metrics.ts, through server/contract/rules.ts); targets come from
// GET /api/targets, or from the two published figures below while it does not answer.
import type { TargetList } from '../../server/contract/answers';
import { PCT_METRICS, metricSpec, type PctMetric, type Technology } from '../../server/contract/rules';

export { metricSpec };

/** Metrics the map can colour communes by: every percentage but the share of communes reached. */
export type MapMetric = Exclude<PctMetric, 'fiber_communes_pct'>;
const isMapMetricName = (m: PctMetric): m is MapMetric => m !== 'fiber_communes_pct';

/** In the order the metric select lists them: coverage newest generation first, people before area, then fiber. */
export const MAP_METRICS: readonly MapMetric[] = PCT_METRICS.filter(isMapMetricName).sort((a, b) => order(a) - order(b));
function order(m: MapMetric): number {
  const spec = metricSpec(m);
  return spec.kind === 'coverage' ? (5 - Number(spec.technology[0])) * 2 + (spec.weight === 'population' ? 0 : 1) : 100 + PCT_METRICS.indexOf(m);
}

export function isMapMetric(m: string): m is MapMetric {
  return (MAP_METRICS as readonly string[]).includes(m);
}

/** The technology a metric is about (fiber: none). */
export function metricTechnology(metric: MapMetric): Technology | null {
  const spec = metricSpec(metric);
  return spec.kind === 'coverage' ? spec.technology : null;
}

/** A target as the page uses it: one of GET /api/targets (by code), or a built-in one. */
export interface Target {
  id: string;
  code: string;
  title: string;
  metric: MapMetric;
  threshold: number;
  deadlineYear: number | null;
  scope: 'province' | 'commune';
  /** The source as one line of text. */
  source: string | null;
  builtIn: boolean;
}

const PRESS = 'Báo Phú Thọ, 3/2/2026';

/** The province's published 2026 targets (seeded with their sources by server/db/migrations/0006_targets.ts), used until /api/targets answers. */
export const BUILT_IN_TARGETS: readonly Target[] = [
  {
    id: 'pt-2026-5g-coverage', code: 'pt-2026-5g-coverage', title: '5G', metric: '5g_population_pct', threshold: 65,
    deadlineYear: 2026, scope: 'province', source: `${PRESS}: “tỷ lệ phủ sóng 5G đạt tối thiểu 65%”`, builtIn: true,
  },
  {
    id: 'pt-2026-fiber-households', code: 'pt-2026-fiber-households', title: 'Cáp quang / fiber', metric: 'fiber_households_pct', threshold: 90,
    deadlineYear: 2026, scope: 'province', source: `${PRESS}: “tỷ lệ hộ gia đình có kết nối internet cáp quang đạt tối thiểu 90%”`, builtIn: true,
  },
];

/** Threshold used with a metric that has no target, until the user types one. */
export const DEFAULT_CUSTOM_THRESHOLD = 50;

/** Targets of GET /api/targets that the map can draw; null when the answer holds none. */
export function normaliseTargets(body: TargetList | null): Target[] | null {
  const out: Target[] = [];
  for (const t of body?.items ?? []) {
    if (!isMapMetric(t.metric)) continue;
    out.push({
      // The code, not the number: stable across databases, readable in a shared link.
      id: t.code, code: t.code, title: t.title, metric: t.metric, threshold: t.threshold, deadlineYear: t.deadlineYear, scope: t.scope,
      source: t.source.quote ? `${t.source.document}: “${t.source.quote}”` : t.source.document,
      builtIn: false,
    });
  }
  return out.length ? out : null;
}

/** A commune's value of a coverage metric from a figure row. */
export function coverageValue(f: { areaPct: number; populationPct: number }, metric: MapMetric): number {
  const spec = metricSpec(metric);
  return spec.kind === 'coverage' && spec.weight === 'area' ? f.areaPct : f.populationPct;
}
