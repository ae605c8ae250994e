// The Plan tab: asks for a token, runs a plan (POST /api/plans), follows it (GET /api/plans/:id,
// polled while the tab is open and the page visible), then draws its sites, chart, list and the
// communes that change colour; saves it as a scenario (POST /api/scenarios {fromPlan}) and colours
// the communes today, with the scenario, or by the difference (plan-compare.ts); downloads the
// plan as CSV or GeoJSON; reopens an earlier plan. While the tab is closed the map is the page's own.
import * as maplibregl from 'maplibre-gl';
import { ApiError } from '../api';
import { communesThatChange, sitesGeoJson, type SiteProperties } from '../data/plan';
import { followPlan, forgetToken, loadToken, planApi, saveToken, storedPlanId, storePlanId, type Plan, type PlanList } from '../data/plan-api';
import { addPlanLayer, planSiteAt, setPlanSites, showPlanSites } from '../map/plan-layer';
import { el, message } from '../ui/dom';
import { renderPlanForm, renderTokenBox, type PlanForm } from '../ui/plan-form';
import { renderPlanLegend, renderSitePopup } from '../ui/plan-legend';
import { renderEarlierPlans } from '../ui/plan-list';
import { renderPlanResult } from '../ui/plan-result';
import { saveFile } from '../ui/save-file';
import type { Ctx } from './context';
import { createCompare } from './plan-compare';
import '../styles/plan.css';

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
  /** The stored targets arrived (ctx.targets). */
  targetsChanged(): void;
  /** A click on the map: true when it hit a suggested site (its popup is then open). */
  click(point: maplibregl.Point): boolean;
  /** The compare view colours the communes: the page's figures must not repaint them meanwhile. */
  ownsChoropleth(): boolean;
  /** The selected commune changed: the scope's hint follows. */
  communeChanged(): void;
}

const queued = (id: number): Plan => ({ id, status: 'queued', percent: 0, request: {}, result: null, error: null, ownerOperator: null, createdBy: '', createdAt: '', finishedAt: null });

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
  let popup: maplibregl.Popup | null = null;
  let form: PlanForm | null = null;
  let earlier: PlanList['items'] | null = null;
  const compare = createCompare(map, () => ctx.byCode.keys(), restoreChoropleth);
  const describe = (err: unknown) => problemMessage(err, ctx.m);

  const tokenBox = el('div', 'plan-token');
  const formBox = el('div');
  const earlierBox = el('div');
  const statusBox = el('div', { id: 'plan-status', 'aria-live': 'polite' });
  const resultBox = el('div', { id: 'plan-result' });
  const legend = el('div', { class: 'plan-legend', id: 'plan-legend' });
  legend.hidden = true;
  map.getContainer().append(legend);
  addPlanLayer(map);
  showPlanSites(map, false);

  const result = () => (plan?.status === 'done' ? plan.result : null);
  const metricLabel = (metric: string) => ctx.m.metrics[metric as keyof typeof ctx.m.metrics] ?? metric;

  function build(): void {
    const p = ctx.m.plan;
    box.replaceChildren(el('h2', {}, p.title), el('p', 'hint', p.intro), tokenBox, formBox, earlierBox, statusBox, resultBox);
    renderTokenBox(tokenBox, token, ctx.m, {
      save(value) {
        token = value;
        saveToken(value);
        runError = null;
        earlier = null;
        build();
        resume();
        void loadEarlier();
      },
      forget() {
        token = null;
        forgetToken();
        stopPolling();
        earlier = null;
        build();
      },
    });
    form = token ? renderPlanForm(formBox, { m: ctx.m, fmt: ctx.fmt, targets: ctx.targets, communes: ctx.byCode, selectedCommune: () => ctx.store.get().commune }, () => void run()) : null;
    if (!token) formBox.replaceChildren();
    render();
  }

  function render(): void {
    const p = ctx.m.plan;
    form?.setBusy(plan !== null && (plan.status === 'queued' || plan.status === 'running'));
    if (token && earlier) renderEarlierPlans(earlierBox, earlier, plan?.id ?? null, ctx.m, ctx.fmt, (id) => void open(id));
    else earlierBox.replaceChildren();
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
      renderPlanResult(resultBox, {
        planId: plan.id, result: r, metricLabel: metricLabel(r.metric), changed: communesThatChange(compare.changes() ?? r.communes, r.threshold),
        scenario, saving, saveError, compare: compare.state, downloadError,
      }, ctx.byCode, ctx.m, ctx.fmt, {
        save: (name) => void save(name),
        compare: (view) => {
          compare.setView(view);
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
      compare: active && r && compare.painted && scenario
        ? { view: compare.state.view, metricLabel: metricLabel(r.metric), threshold: r.threshold, extent: compare.extent(), scenarioName: scenario.name }
        : null,
    }, ctx.m, ctx.fmt);
    legend.hidden ||= !active;
  }

  /** Colours the communes by the compare view, or gives the map back to the page. */
  function paint(): void {
    compare.paint(active, result());
    if (compare.painted) box.dataset.compareView = compare.state.view;
    else delete box.dataset.compareView;
    drawLegend();
  }

  function showPlan(next: Plan): void {
    const finished = next.status === 'done' && (plan?.id !== next.id || plan.status !== 'done');
    plan = next;
    if (finished) {
      setPlanSites(map, sitesGeoJson(next.result!.sites));
      showPlanSites(map, active);
      if (scenario && !compare.loaded) void loadCompare(scenario.id);
    }
    if (next.status === 'done' || next.status === 'failed') void loadEarlier();
    render();
  }

  function stopPolling(): void {
    polling?.abort();
    polling = null;
  }

  /** Follows the plan while the tab is open and the page visible. */
  function resume(): void {
    if (!active || !token || polling || document.hidden) return;
    // After a reload: the tab's last plan, opened as an earlier one (with its scenario).
    if (plan === null) {
      const stored = storedPlanId();
      if (stored !== null) void open(stored);
      return;
    }
    const id = plan.id;
    if (plan.status === 'done' || plan.status === 'failed') return;
    const mine = new AbortController();
    polling = mine;
    followPlan(token, id, showPlan, mine.signal)
      .catch((err: unknown) => {
        if (mine.signal.aborted) return;
        if (err instanceof ApiError && err.status === 404) storePlanId(null);
        runError = describe(err);
        render();
      })
      .finally(() => {
        if (polling === mine) polling = null;
      });
  }

  /** The stored plans, for the "earlier plans" choice; quietly none when they cannot be read. */
  async function loadEarlier(): Promise<void> {
    if (!token) return;
    try {
      earlier = (await planApi.list(token)).items;
    } catch (err) {
      console.warn('plans list failed', err);
      earlier = null;
    }
    render();
  }

  /** Forgets the plan shown: its sites, scenario and compare view. */
  function reset(): void {
    stopPolling();
    popup?.remove();
    plan = null;
    scenario = null;
    runError = saveError = downloadError = null;
    compare.reset();
    paint();
    setPlanSites(map, null);
  }

  async function run(): Promise<void> {
    if (!token || !form) return;
    const read = form.read();
    if ('error' in read) {
      runError = read.error;
      return render();
    }
    reset();
    form.setBusy(true);
    try {
      const { id } = await planApi.create(token, read.request);
      storePlanId(id);
      plan = queued(id);
      render();
      resume();
    } catch (err) {
      runError = describe(err);
      render();
    }
  }

  /** Opens a stored plan, with the newest scenario made from it if any. */
  async function open(id: number): Promise<void> {
    if (!token) return;
    reset();
    storePlanId(id);
    plan = queued(id);
    render();
    try {
      const made = (await planApi.scenarios(token)).items.filter((x) => x.fromPlanId === id).sort((a, b) => b.id - a.id)[0];
      if (made && plan?.id === id) scenario = { id: made.id, name: made.name };
    } catch (err) {
      console.warn('scenarios list failed', err);
    }
    resume();
  }

  async function save(name: string): Promise<void> {
    if (!token || !plan || !result()) return;
    saving = true;
    saveError = null;
    render();
    try {
      const created = await planApi.scenarioFromPlan(token, name, plan.id);
      scenario = { id: created.id, name };
    } catch (err) {
      saveError = describe(err);
    } finally {
      saving = false;
    }
    if (scenario) await loadCompare(scenario.id);
    else render();
  }

  /** The scenario's coverage, then the map coloured by it. */
  async function loadCompare(scenarioId: number): Promise<void> {
    const r = result();
    if (!token || !r) return;
    const loading = compare.load(token, scenarioId, r, describe);
    render();
    await loading;
    paint();
    render();
  }

  async function download(format: 'csv' | 'geojson'): Promise<void> {
    if (!token || !plan) return;
    try {
      const { blob, filename } = await planApi.download(token, plan.id, format);
      saveFile(blob, filename);
      downloadError = null;
    } catch (err) {
      downloadError = describe(err);
    }
    render();
  }

  function openPopup(properties: SiteProperties, lonLat: [number, number]): void {
    popup?.remove();
    const content = renderSitePopup(properties, ctx.byCode.get(properties.communeCode)?.fullName ?? properties.communeCode, ctx.m, ctx.fmt);
    popup = new maplibregl.Popup({ maxWidth: '320px', focusAfterOpen: true }).setLngLat(lonLat).setDOMContent(content).addTo(map);
  }

  function showSite(rank: number): void {
    const s = result()?.sites.find((x) => x.rank === rank);
    if (!s) return;
    map.easeTo({ center: [s.lon, s.lat], zoom: Math.max(map.getZoom(), 12), duration: 0 });
    openPopup(sitesGeoJson([s]).features[0].properties, [s.lon, s.lat]);
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
      if (on && earlier === null) void loadEarlier();
      render();
    },
    relabel: build,
    targetsChanged: () => form?.setTargets(ctx.targets),
    click(point) {
      if (!active) return false;
      const hit = planSiteAt(map, point);
      if (hit) openPopup(hit.properties, hit.lonLat);
      return hit !== null;
    },
    ownsChoropleth: () => compare.painted,
    communeChanged: () => form?.refresh(),
  };
}
