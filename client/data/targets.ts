// Metrics and targets as the page uses them. Metric names are the server's
// (server/targets/metrics.ts); targets come from GET /api/targets, or from the two published
// figures below while a server does not list them yet.
import type { Target, Technology } from '../api-types';

/** Metrics the map can colour communes by (percentages, points 0–100). */
export const MAP_METRICS = [
  '5g_population_pct',
  '5g_area_pct',
  '4g_population_pct',
  '4g_area_pct',
  '3g_population_pct',
  '3g_area_pct',
  '2g_population_pct',
  '2g_area_pct',
  'fiber_households_pct',
  'fiber_passed_pct',
] as const;
export type MapMetric = (typeof MAP_METRICS)[number];

export type MetricSpec =
  | { kind: 'coverage'; technology: Technology; weight: 'area' | 'population' }
  | { kind: 'fiber'; measure: 'households' | 'passed' };

export function isMapMetric(m: string): m is MapMetric {
  return (MAP_METRICS as readonly string[]).includes(m);
}

export function metricSpec(metric: MapMetric): MetricSpec {
  const coverage = /^([2-5]g)_(area|population)_pct$/.exec(metric);
  if (coverage) return { kind: 'coverage', technology: coverage[1].toUpperCase() as Technology, weight: coverage[2] as 'area' | 'population' };
  return { kind: 'fiber', measure: metric === 'fiber_passed_pct' ? 'passed' : 'households' };
}

/** The technology a metric is about (fiber: none). */
export function metricTechnology(metric: MapMetric): Technology | null {
  const spec = metricSpec(metric);
  return spec.kind === 'coverage' ? spec.technology : null;
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

type Loose = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);

/** Rows of a list answer: a bare array, or `{items}` / `{targets}` / `{data}`. */
export function rowsOf(body: unknown, ...keys: string[]): Loose[] {
  if (Array.isArray(body)) return body as Loose[];
  if (body && typeof body === 'object') {
    for (const key of [...keys, 'items', 'data']) {
      const v = (body as Loose)[key];
      if (Array.isArray(v)) return v as Loose[];
    }
  }
  return [];
}

function sourceText(t: Loose): string | null {
  const nested = t.source && typeof t.source === 'object' ? (t.source as Loose) : null;
  const doc = str(nested?.document) ?? str(t.sourceDocument) ?? str(t.source_document) ?? str(t.source);
  const quote = str(nested?.quote) ?? str(t.sourceQuote) ?? str(t.source_quote);
  if (!doc) return null;
  return quote ? `${doc}: “${quote}”` : doc;
}

/** Targets of GET /api/targets that the map can draw; null when the answer holds none. */
export function normaliseTargets(body: unknown): Target[] | null {
  const out: Target[] = [];
  for (const t of rowsOf(body, 'targets')) {
    const metric = str(t.metric);
    const threshold = num(t.threshold);
    if (!metric || !isMapMetric(metric) || threshold === null) continue;
    const code = str(t.code) ?? str(t.id) ?? metric;
    out.push({
      // The code, not the number: stable across databases, readable in a shared link.
      id: code,
      code,
      title: str(t.title) ?? code,
      metric,
      threshold,
      deadlineYear: num(t.deadlineYear ?? t.deadline_year ?? t.year),
      scope: t.scope === 'commune' ? 'commune' : 'province',
      source: sourceText(t),
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
