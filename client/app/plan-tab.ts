// The Plan tab: asks for a token, runs a plan (POST /api/plans), follows it (GET /api/plans/:id,
// polled while the tab is open and the page visible), then draws its sites, chart, list and the
// communes that change colour; saves it as a scenario (POST /api/scenarios {fromPlan}) and colours
// the communes today, with the scenario, or by the difference (GET /api/scenarios/:id/coverage);
// downloads the plan as CSV or GeoJSON. While the tab is closed the map is the page's own again.
import * as maplibregl from 'maplibre-gl';
import { ApiError } from '../api';
import { communesThatChange, differenceExtent, scenarioChanges, scenarioValues, sitesGeoJson, type ScenarioValue } from '../data/plan';
import { followPlan, forgetToken, loadToken, planApi, saveToken, type Plan } from '../data/plan-api';
import { addPlanLayer, planSiteAt, setPlanSites, showCompareValues, showDifference, showPlanSites } from '../map/plan-layer';
import { el, message } from '../ui/dom';
import { renderPlanForm, renderTokenBox, type PlanForm } from '../ui/plan-form';
import { renderPlanLegend, renderSitePopup } from '../ui/plan-legend';
import { renderPlanResult, type CompareView } from '../ui/plan-result';
import type { Ctx } from './context';
import '../styles/plan.css';

/** The last plan of this browser tab (its id only), so a reload finds it again. */
const PLAN_KEY = 'phusong.plan';

/** A refused or failed request as the user should read it: who refused and why (the problem's title and detail). */
export function problemMessage(err: unknown, m: Ctx['m']): string {
  if (err instanceof ApiError) {
    if (err.status === 401) return `${m.plan.error401}: ${err.message}`;
    if (err.status === 403) return `${m.plan.error403}: ${err.message}`;
    return `${m.plan.errorStatus(err.status)}: ${err.message}`;
  }
  return `${m.loadFailed}: ${err instanceof Error ? err.message : String(err)}`;
}

export interface PlanTab {
  setActive(active: boolean): void;
  /** Rebuilds the tab's texts in the current language. */
  relabel(): void;
  /** A click on the map: true when it hit a suggested site (its popup is then open). */
  click(point: maplibregl.Point): boolean;
  /** The compare view colours the communes: the page's figures must not repaint them meanwhile. */
  ownsChoropleth(): boolean;
  /** The selected commune changed: the scope's hint follows. */
  communeChanged(): void;
}

export function createPlanTab(ctx: Ctx, map: maplibregl.Map, box: HTMLElement, restoreChoropleth: () => void): PlanTab {
  let token = loadToken();
  let active = false;
  let plan: Plan | null = null;
  let runError: string | null = null;
  let polling: AbortController | null = null;
  let scenario: { id: number; name: string } | null = null;
  let saving = false;
  let saveError: string | null = null;
  let downloadError: string | null = null;
  let values: Map<string, ScenarioValue> | null = null;
  let compare: { view: CompareView; status: 'idle' | 'loading' | 'shown' | 'error'; error: string | null } = { view: 'scenario', status: 'idle', error: null };
  let painted = false;
  let popup: maplibregl.Popup | null = null;
  let form: PlanForm | null = null;

  const tokenBox = el('div', 'plan-token');
  const formBox = el('div');
  const statusBox = el('div', { id: 'plan-status', 'aria-live': 'polite' });
  const resultBox = el('div', { id: 'plan-result' });
  const legend = el('div', { class: 'plan-legend', id: 'plan-legend' });
  legend.hidden = true;
  map.getContainer().append(legend);
  addPlanLayer(map);
  showPlanSites(map, false);

  const result = () => (plan?.status === 'done' ? plan.result : null);
  const metricLabel = () => (result() ? (ctx.m.metrics[result()!.metric as keyof typeof ctx.m.metrics] ?? result()!.metric) : '');

  function build(): void {
    const p = ctx.m.plan;
    box.replaceChildren(el('h2', {}, p.title), el('p', 'hint', p.intro), tokenBox, formBox, statusBox, resultBox);
    renderTokenBox(tokenBox, token, ctx.m, {
      save(value) {
        token = value;
        saveToken(value);
        runError = null;
        build();
        resume();
      },
      forget() {
        token = null;
        forgetToken();
        stopPolling();
        build();
      },
    });
    form = token ? renderPlanForm(formBox, { m: ctx.m, fmt: ctx.fmt, targets: ctx.targets, communes: ctx.byCode, selectedCommune: () => ctx.store.get().commune }, run) : null;
    if (!token) formBox.replaceChildren();
    render();
  }

  function render(): void {
    const p = ctx.m.plan;
    const running = plan !== null && (plan.status === 'queued' || plan.status === 'running');
    form?.setBusy(running);
    statusBox.replaceChildren();
    if (runError) statusBox.append(message(runError, true));
    if (plan && plan.status !== 'done') {
      const percent = Math.round(plan.percent);
      statusBox.append(
        el('p', { 'data-testid': 'plan-progress-text', 'data-status': plan.status }, p.progress(p.status[plan.status], ctx.fmt.pct(percent))),
        el('progress', { id: 'plan-progress', max: 100, value: percent, 'aria-label': p.status[plan.status] }),
      );
      if (plan.status === 'failed') statusBox.append(message(p.failed(plan.error ?? ''), true));
    }
    const r = result();
    if (r && plan) {
      const changes = values ? scenarioChanges(values) : r.communes;
      renderPlanResult(resultBox, {
        planId: plan.id, result: r, metricLabel: metricLabel(), changed: communesThatChange(changes, r.threshold),
        scenario, saving, saveError, compare, downloadError,
      }, ctx.byCode, ctx.m, ctx.fmt, {
        save: (name) => void save(name),
        compare: (view) => {
          compare = { ...compare, view };
          paint();
          render();
        },
        download: (format) => void download(format),
        flyToCommune: (code) => ctx.store.set({ commune: code }),
        showSite,
      });
    } else resultBox.replaceChildren();
    drawLegend();
  }

  function drawLegend(): void {
    const r = result();
    renderPlanLegend(legend, {
      sites: active && r !== null && r.sites.length > 0,
      compare: active && r && painted && scenario ? { view: compare.view, metricLabel: metricLabel(), threshold: r.threshold, extent: extent(), scenarioName: scenario.name } : null,
    }, ctx.m, ctx.fmt);
    legend.hidden ||= !active;
  }

  const extent = () => differenceExtent([...(values?.values() ?? [])].map((v) => v.difference));

  /** Colours the communes by the compare view, or gives the map back to the page. */
  function paint(): void {
    const r = result();
    if (active && r && values && compare.status === 'shown') {
      const v = values;
      const codes = ctx.byCode.keys();
      if (compare.view === 'difference') showDifference(map, codes, (c) => v.get(c)?.difference ?? null, extent());
      else showCompareValues(map, codes, (c) => (compare.view === 'today' ? v.get(c)?.baseline : v.get(c)?.value) ?? null, r.threshold);
      painted = true;
      box.dataset.compareView = compare.view;
    } else if (painted) {
      painted = false;
      delete box.dataset.compareView;
      restoreChoropleth();
    }
    drawLegend();
  }

  function showPlan(next: Plan): void {
    const finished = next.status === 'done' && (plan?.id !== next.id || plan.status !== 'done');
    plan = next;
    if (finished) {
      setPlanSites(map, sitesGeoJson(next.result!.sites));
      showPlanSites(map, active);
    }
    render();
  }

  function stopPolling(): void {
    polling?.abort();
    polling = null;
  }

  /** Follows the plan while the tab is open and the page visible. */
  function resume(): void {
    if (!active || !token || polling || document.hidden) return;
    const id = plan?.id ?? Number(sessionStorage.getItem(PLAN_KEY) ?? NaN);
    if (!Number.isInteger(id) || id <= 0 || plan?.status === 'done' || plan?.status === 'failed') return;
    const mine = new AbortController();
    polling = mine;
    followPlan(token, id, showPlan, mine.signal)
      .catch((err: unknown) => {
        if (mine.signal.aborted) return;
        if (err instanceof ApiError && err.status === 404) sessionStorage.removeItem(PLAN_KEY);
        runError = problemMessage(err, ctx.m);
        render();
      })
      .finally(() => {
        if (polling === mine) polling = null;
      });
  }

  async function run(): Promise<void> {
    if (!token || !form) return;
    const read = form.read();
    runError = 'error' in read ? read.error : null;
    if ('error' in read) return render();
    stopPolling();
    popup?.remove();
    plan = null;
    scenario = null;
    values = null;
    saveError = downloadError = null;
    compare = { view: 'scenario', status: 'idle', error: null };
    paint();
    setPlanSites(map, null);
    form.setBusy(true);
    try {
      const { id } = await planApi.create(token, read.request);
      sessionStorage.setItem(PLAN_KEY, String(id));
      plan = { id, status: 'queued', percent: 0, request: {}, result: null, error: null, ownerOperator: null, createdBy: '', createdAt: '', finishedAt: null };
      render();
      resume();
    } catch (err) {
      runError = problemMessage(err, ctx.m);
      form.setBusy(false);
      render();
    }
  }

  async function save(name: string): Promise<void> {
    const r = result();
    if (!token || !plan || !r) return;
    saving = true;
    saveError = null;
    render();
    try {
      const created = await planApi.scenarioFromPlan(token, name, plan.id);
      scenario = { id: created.id, name };
      compare = { view: 'scenario', status: 'loading', error: null };
      render();
      const coverage = await planApi.scenarioCoverage(token, created.id, r.technology);
      values = scenarioValues(coverage, r.metric, r.technology);
      compare = { ...compare, status: 'shown' };
    } catch (err) {
      if (scenario) compare = { ...compare, status: 'error', error: problemMessage(err, ctx.m) };
      else saveError = problemMessage(err, ctx.m);
    } finally {
      saving = false;
    }
    paint();
    render();
  }

  async function download(format: 'csv' | 'geojson'): Promise<void> {
    if (!token || !plan) return;
    try {
      const { blob, filename } = await planApi.download(token, plan.id, format);
      const href = URL.createObjectURL(blob);
      const a = el('a', { href, download: filename, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60_000);
      downloadError = null;
    } catch (err) {
      downloadError = problemMessage(err, ctx.m);
    }
    render();
  }

  function openPopup(site: NonNullable<ReturnType<typeof planSiteAt>>): void {
    popup?.remove();
    const content = renderSitePopup(site.properties, ctx.byCode.get(site.properties.communeCode)?.fullName ?? site.properties.communeCode, ctx.m, ctx.fmt);
    popup = new maplibregl.Popup({ maxWidth: '320px', focusAfterOpen: true }).setLngLat(site.lonLat).setDOMContent(content).addTo(map);
  }

  function showSite(rank: number): void {
    const s = result()?.sites.find((x) => x.rank === rank);
    if (!s) return;
    const [feature] = sitesGeoJson([s]).features;
    map.easeTo({ center: [s.lon, s.lat], zoom: Math.max(map.getZoom(), 12), duration: 0 });
    openPopup({ properties: feature.properties, lonLat: [s.lon, s.lat] });
  }

  document.addEventListener('visibilitychange', () => (document.hidden ? stopPolling() : resume()));
  build();

  return {
    setActive(on) {
      if (on === active) return;
      active = on;
      showPlanSites(map, on && result() !== null);
      if (!on) {
        stopPolling();
        popup?.remove();
      }
      paint();
      resume();
      render();
    },
    relabel: build,
    click(point) {
      if (!active) return false;
      const hit = planSiteAt(map, point);
      if (hit) openPopup(hit);
      return hit !== null;
    },
    ownsChoropleth: () => painted,
    communeChanged: () => form?.refresh(),
  };
}
