// What the page's parts share once the communes are loaded: the store, the language, the
// communes, the targets and the figures of each metric and date (fetched once, then cached).
import type { CommuneProperties, CommunesGeoJson, Target } from '../api-types';
import type { Formatters, Messages } from '../i18n';
import { loadMetricFigures, type MetricFigures } from '../data/figures';
import type { MapMetric } from '../data/targets';
import type { AppState, Store } from '../state';

export interface Ctx {
  store: Store;
  /** Today as the server counts it (UTC date): the default of every asOf. */
  today: string;
  m: Messages;
  fmt: Formatters;
  communes: CommunesGeoJson;
  byCode: Map<string, CommuneProperties>;
  targets: Target[];
  builtInTargets: boolean;
  isDemo: boolean;
  figuresCache: Map<string, Promise<MetricFigures>>;
}

export function figuresFor(ctx: Ctx, metric: MapMetric, asOf: string | null): Promise<MetricFigures> {
  const key = `${metric}|${asOf ?? ''}`;
  let p = ctx.figuresCache.get(key);
  if (!p) {
    p = loadMetricFigures(metric, asOf, ctx.byCode);
    // A failure is not cached: the next change of date or metric asks again.
    p.catch(() => ctx.figuresCache.delete(key));
    ctx.figuresCache.set(key, p);
  }
  return p;
}

export function currentTarget(ctx: Ctx, s: Readonly<AppState>): Target | null {
  return ctx.targets.find((t) => t.id === s.targetId) ?? null;
}

/** "5G ≥ 65 %" style name of what the map is measured against. */
export function targetLabel(ctx: Ctx, s: Readonly<AppState>): string {
  const t = currentTarget(ctx, s);
  const metric = ctx.m.metrics[s.metric] ?? s.metric;
  return ctx.m.targetOption(metric, ctx.fmt.pct(t?.threshold ?? s.threshold), t?.deadlineYear ?? null);
}

/** Target for a metric when the user picks it: its first stored target, else the custom threshold. */
export function targetForMetric(ctx: Ctx, metric: MapMetric, threshold: number): Pick<AppState, 'targetId' | 'threshold'> {
  const t = ctx.targets.find((x) => x.metric === metric);
  return t ? { targetId: t.id, threshold: t.threshold } : { targetId: 'custom', threshold };
}
