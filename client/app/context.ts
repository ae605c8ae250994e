// What the page's parts share once the communes are loaded: the store, the language, the
// communes, the targets and the figures of each metric and date (fetched once, then cached).
import type { CommuneSummary, CommunesGeoJson } from '../../server/contract/answers';
import type { Technology } from '../../server/contract/rules';
import { createFormatters, messagesFor, type Formatters, type Lang, type Messages } from '../i18n';
import { loadMetricFigures, type MetricFigures } from '../data/figures';
import { operatorName } from '../data/operators';
import { BUILT_IN_TARGETS, metricTechnology, type MapMetric, type Target } from '../data/targets';
import type { OverlayQuery, OverlayStatus } from '../map/coverage-layer';
import { STATIONS_MIN_ZOOM } from '../map/stations-layer';
import type { LegendModel } from '../ui/legend';
import type { AppState, Store } from '../state';

export interface Ctx {
  store: Store;
  /** Today as the server counts it (UTC date): the default of every asOf. */
  today: string;
  m: Messages;
  fmt: Formatters;
  communes: CommunesGeoJson;
  byCode: Map<string, CommuneSummary>;
  targets: Target[];
  builtInTargets: boolean;
  isDemo: boolean;
  figuresCache: Map<string, Promise<MetricFigures>>;
}

export function createCtx(store: Store, lang: Lang, today: string, communes: CommunesGeoJson): Ctx {
  const m = messagesFor(lang);
  return {
    store, today, m, fmt: createFormatters(m), communes,
    byCode: new Map(communes.features.map((f) => [f.properties.code, f.properties])),
    targets: [...BUILT_IN_TARGETS], builtInTargets: true, isDemo: false, figuresCache: new Map(),
  };
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

/** The technology of the coverage overlay and the uncovered area: the filter's, else the metric's. */
export function overlayQuery(s: Readonly<AppState>): OverlayQuery {
  const technology: Technology = s.technology !== 'all' ? s.technology : (metricTechnology(s.metric) ?? '4G');
  return { technology, operator: s.operator, asOf: s.asOf };
}

export interface LegendView {
  figures: MetricFigures | null;
  zoom: number;
  coverage: { status: OverlayStatus; error?: string };
}

/** What the legend shows for a state, the metric's figures and the map's zoom. */
export function legendModel(ctx: Ctx, s: Readonly<AppState>, view: LegendView): LegendModel {
  const q = overlayQuery(s);
  const { figures } = view;
  return {
    metricLabel: ctx.m.metrics[s.metric] ?? s.metric, threshold: s.threshold, provinceValue: figures?.province ?? null,
    dataAvailable: figures?.available ?? true, syntheticData: figures?.synthetic ?? false, stationsVisible: s.showStations, stationsZoomedOut: view.zoom < STATIONS_MIN_ZOOM,
    operator: s.operator, asOf: s.asOf, gapTechnology: s.commune ? q.technology : null,
    coverage: s.showCoverage ? { technology: q.technology, operatorLabel: q.operator === 'all' ? ctx.m.allOperators : operatorName(q.operator), ...view.coverage } : null,
  };
}
