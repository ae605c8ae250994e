// Loads what the two panels show and re-renders them when the state changes. Answers that arrive
// after the state moved on (another commune, another date) are dropped.
import { api } from '../api';
import type { ProvinceFigure } from '../../server/contract/answers';
import { loadCommuneData, type CommuneData } from '../data/commune-data';
import type { MetricFigures } from '../data/figures';
import { loadGaps, loadProvinceHistory, loadSummary, targetStatus, type ProvinceHistory, type SummaryView } from '../data/province-data';
import type { MapMetric } from '../data/targets';
import { renderCommunePanel } from '../ui/commune-panel';
import { message } from '../ui/dom';
import { renderProvincePanel, type ProvinceModel } from '../ui/province-panel';
import { currentTarget, figuresFor, targetLabel, type Ctx } from './context';

export function createProvincePanel(ctx: Ctx, box: HTMLElement, onFly: (code: string) => void) {
  const rollups = new Map<string, Promise<ProvinceFigure[]>>();
  const gaps = new Map<string, Awaited<ReturnType<typeof loadGaps>>>();
  let summary: SummaryView | null | undefined;
  const histories = new Map<MapMetric, ProvinceHistory | null>();
  let started = false;
  let seq = 0;

  function rollupFor(asOf: string | null): Promise<ProvinceFigure[]> {
    const key = asOf ?? '';
    if (!rollups.has(key)) {
      const p = api.coverage({ operator: 'all', asOf }).then((r) => r.province);
      p.catch(() => rollups.delete(key));
      rollups.set(key, p);
    }
    return rollups.get(key)!;
  }

  async function render(): Promise<void> {
    const mine = ++seq;
    const s = ctx.store.get();
    const target = currentTarget(ctx, s);
    const settle = <T>(p: Promise<T>): Promise<T | undefined> => p.catch(() => undefined);
    const [figures, statuses, rollup] = await Promise.all([
      settle(figuresFor(ctx, s.metric, s.asOf)),
      Promise.all(ctx.targets.map(async (t) => targetStatus(t, await settle(figuresFor(ctx, t.metric as MetricFigures['metric'], s.asOf))))),
      settle(rollupFor(s.asOf)),
    ]);
    if (mine !== seq) return;
    const gapKey = `${s.metric}|${s.threshold}|${s.targetId}|${s.asOf ?? ''}`;
    const model: ProvinceModel = {
      metric: s.metric, threshold: s.threshold, targetLabel: targetLabel(ctx, s),
      targetCode: target && !target.builtIn && target.threshold === s.threshold ? target.code : null,
      asOf: s.asOf, statuses, builtInTargets: ctx.builtInTargets, rollup, summary,
      gaps: gaps.get(gapKey), communesTotal: ctx.byCode.size,
      history: histories.get(s.metric) ?? undefined,
      error: figures ? undefined : ctx.m.loadFailed,
    };
    renderProvincePanel(box, model, ctx.m, ctx.fmt, onFly);
    if (started && !histories.has(s.metric)) {
      // Asked once per metric; null while loading, so it is not asked twice.
      histories.set(s.metric, null);
      loadProvinceHistory(s.metric, ctx.today)
        .then((h) => histories.set(s.metric, h), () => histories.set(s.metric, { points: [], computedOnPage: false }))
        .finally(() => void render());
    }
    if (!model.gaps && figures) {
      const result = await loadGaps({ target, metric: s.metric, threshold: s.threshold, asOf: s.asOf }, figures, ctx.byCode).catch(() => undefined);
      if (result && mine === seq) {
        gaps.set(gapKey, result);
        void render();
      }
    }
  }

  return {
    render,
    /** Summary and history are for the whole province and today: asked once, after first paint. */
    start(): void {
      if (started) return;
      started = true;
      loadSummary().then((v) => (summary = v), () => (summary = null)).finally(() => void render());
    },
  };
}

/** What the commune panel reads of the page: the one-province map's Ctx, or the country's map's own (client/app/country.ts). */
export type CommunePanelCtx = Pick<Ctx, 'store' | 'today' | 'm' | 'fmt' | 'byCode'>;

/** `onClose`: the panel's × button (unset: the button does nothing, as on the one-province map). */
export function createCommunePanel(ctx: CommunePanelCtx, box: HTMLElement, onClose?: () => void) {
  if (onClose) box.addEventListener('click', (e) => {
    if ((e.target as HTMLElement).closest('#commune-close')) onClose();
  });
  let data: CommuneData | null = null;
  let controller: AbortController | null = null;
  let figures: MetricFigures | undefined;

  function render(): void {
    const s = ctx.store.get();
    const commune = s.commune ? ctx.byCode.get(s.commune) : undefined;
    if (!commune) {
      box.removeAttribute('data-code');
      box.replaceChildren(message(ctx.m.communeHint));
      return;
    }
    if (!data || data.code !== commune.code) return;
    const v = figures?.metric === s.metric && figures.asOf === s.asOf ? figures.byCode.get(commune.code) : undefined;
    renderCommunePanel(box, {
      commune, data, metric: s.metric, threshold: s.threshold, mapValue: v?.value ?? null,
      technology: s.technology, operator: s.operator, asOf: s.asOf, today: ctx.today, uncoveredKm2: v?.uncoveredKm2 ?? null,
    }, ctx.m, ctx.fmt);
  }

  return {
    render,
    /** (Re)loads the selected commune's data for the state's date. */
    load(): void {
      const s = ctx.store.get();
      controller?.abort();
      data = null;
      if (!s.commune || !ctx.byCode.has(s.commune)) return render();
      controller = new AbortController();
      box.dataset.loading = 'true';
      data = loadCommuneData(s.commune, s.asOf, ctx.today, controller.signal, (d) => {
        if (d !== data) return;
        render();
        if (d.coverage || d.errors.coverage) box.dataset.loading = 'false';
      });
      render();
    },
    setFigures(f: MetricFigures): void {
      figures = f;
      render();
    },
  };
}
