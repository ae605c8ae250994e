// The interactive map, a chunk of its own (MapLibre is most of the page's script, loaded after the
// static first frame): once the map's style is there, the communes' layers and the choropleth (the
// map is then ready), then the panels, overlays and stations, each kept in step with the store.
import * as maplibregl from 'maplibre-gl';
import type { Target } from '../data/targets';
import { createFormatters, messagesFor } from '../i18n';
import type { MetricFigures } from '../data/figures';
import { bboxOf } from '../map/bbox';
import { api } from '../api';
import { addCommunesLayer, createFlag, setChoropleth, setCommunesGeometry } from '../map/communes-layer';
import { addCoverageLayers, createCoverageOverlay, createGapOverlay, type OverlayStatus } from '../map/coverage-layer';
import { createPopulationOverlay } from '../map/population-layer';
import { addStationsLayer, STATIONS_MIN_ZOOM, updateStations } from '../map/stations-layer';
import type { AppState } from '../state';
import { byId } from '../ui/dom';
import { renderLegend } from '../ui/legend';
import { renderStationPopup, type TileStation } from '../ui/station-popup';
import { renderChrome, renderHoverInfo, showTab } from './chrome';
import type { Header } from './header';
import { figuresFor, legendModel, overlayQuery, targetForMetric, type Ctx } from './context';
import { flyToFeature, relabelMap, wireInteractions } from './map-view';
import { openingCamera, sizeOf } from './opening-view';
import { createCommunePanel, createProvincePanel } from './panels';
import { createPlanTab } from './plan-tab';

export { createMap } from './map-view';
// The country's map shares MapLibre with this one: one chunk, which the page preloads.
export { startCountry } from './country';

export interface AtlasOptions {
  map: maplibregl.Map;
  ctx: Ctx;
  /** The search and filters, already working. */
  header: Header;
  targets: Promise<Target[] | null>;
  isDemo: Promise<boolean>;
  /** The map has drawn the communes, coloured. */
  onReady(): void;
}

/**
 * Phones: the sources' credit stays folded to its (i) button rather than cover a third of the map.
 * MapLibre unfolds it each time a source's credit arrives, until the user opens or closes it.
 */
function foldCreditsOnPhones(map: maplibregl.Map): void {
  if (window.matchMedia('(min-width: 900px)').matches) return;
  const credits = map.getContainer().querySelector('.maplibregl-ctrl-attrib');
  let touched = false;
  credits?.querySelector('summary')?.addEventListener('click', () => (touched = true));
  const fold = () => {
    if (!touched) credits?.classList.remove('maplibregl-compact-show');
  };
  map.on('sourcedata', fold);
  fold();
}

export async function startAtlas(o: AtlasOptions): Promise<void> {
  const { map, ctx, header } = o;
  const { store, communes: data } = ctx;
  const provinceBbox = bboxOf(data)!;
  const featureOf = (code: string) => data.features.find((f) => f.properties.code === code);
  const stationsVersion = String(Date.now());
  let figures: MetricFigures | null = null;
  let coverageStatus: { status: OverlayStatus; error?: string } = { status: 'idle' };

  const legend = byId<HTMLDetailsElement>('legend');
  // Drawn by applyFigures below (the static frame drew it meanwhile), then at each change.
  const drawLegend = () => renderLegend(legend, legendModel(ctx, store.get(), { figures, zoom: map.getZoom(), coverage: coverageStatus }), ctx.m, ctx.fmt);

  const s0 = store.get();
  // The figures were asked for with the communes: have them before the first frame, so the
  // communes are drawn coloured rather than grey then coloured.
  await figuresFor(ctx, s0.metric, s0.asOf).catch(() => null);
  addCommunesLayer(map, data, ctx.m.attribution, s0.threshold);
  addCoverageLayers(map, ctx.m.coverageAttribution);
  // The view the static first frame shows, for the container as it is now.
  map.jumpTo(openingCamera(data, s0.commune, sizeOf(map.getContainer())));
  const select = createFlag(map, 'selected');

  const province = createProvincePanel(ctx, byId('province-panel'), (code) => store.set({ commune: code, tab: 'commune' }));
  const commune = createCommunePanel(ctx, byId('commune-panel'));
  // The Plan tab's compare view colours the communes while it is open; applyFigures gives them back.
  const plan = createPlanTab(ctx, map, byId('plan-panel'), () => void applyFigures());

  async function applyFigures(): Promise<void> {
    const s = store.get();
    try {
      const f = await figuresFor(ctx, s.metric, s.asOf);
      const now = store.get();
      if (now.metric !== f.metric || now.asOf !== f.asOf) return;
      figures = f;
      if (!plan.ownsChoropleth()) setChoropleth(map, ctx.byCode.keys(), (code) => f.byCode.get(code)?.value ?? null, now.threshold);
      commune.setFigures(f);
    } catch (err) {
      console.warn('figures failed', err);
      figures = null;
      setChoropleth(map, ctx.byCode.keys(), () => null, s.threshold);
    }
    drawLegend();
  }

  // First useful paint: the first frame drawn with the communes' tiles loaded and coloured.
  performance.mark('phusong:layers-added');
  await applyFigures();
  performance.mark('phusong:figures-applied');
  const painted = (): void => {
    if (!map.isSourceLoaded('communes')) return;
    map.off('render', painted);
    o.onReady();
    // Stations after the first paint: each frame drawn while their tiles arrive would delay it
    // (software WebGL is slow per frame: test/bench/README.md, "The map's first useful paint").
    const s = store.get();
    addStationsLayer(map, { version: stationsVersion, asOf: s.asOf, attribution: ctx.m.stationsAttribution, technology: s.technology, operator: s.operator, visible: s.showStations });
    // The province panel's figures come after: the map is what the first paint is about.
    province.start();
    void province.render();
    // The first frame drew the overview geometry (a third of a pixel off at the province's zoom);
    // the display geometry replaces it for closer views. The panels keep the overview's copy: they
    // use its properties and bounding boxes only.
    api.communesGeoJson('display').then((detailed) => setCommunesGeometry(map, detailed), (err: unknown) => console.warn('detailed communes failed', err));
  };
  map.on('render', painted);
  foldCreditsOnPhones(map);

  const coverage = createCoverageOverlay(map, provinceBbox, (status, error) => {
    coverageStatus = { status, error };
    drawLegend();
  });
  const gap = createGapOverlay(map, () => undefined);
  const population = createPopulationOverlay(map, 'coverage-fill', ctx.m);
  const overlays = (s: Readonly<AppState>) => {
    coverage.show(s.showCoverage ? overlayQuery(s) : null);
    gap.show(s.commune, overlayQuery(s));
  };

  let popup: maplibregl.Popup | null = null;
  let popupAbort: AbortController | null = null;
  wireInteractions(map, ctx.byCode, {
    onPoint: (point) => plan.click(point),
    onHover: (c) => renderHoverInfo(c, c && figures ? (figures.byCode.get(c.code)?.value ?? null) : null, ctx.fmt),
    // In the Plan tab a commune picked on the map is offered as the plan's scope: the tab stays.
    onSelect: (code) => store.set({ commune: code, tab: store.get().tab === 'plan' ? 'plan' : 'commune' }),
    onStation: (feature, lngLat) => {
      if ((feature.properties as Record<string, unknown>).cluster === true) {
        // A cluster: zoom in to its sites.
        const at = feature.geometry.type === 'Point' ? (feature.geometry.coordinates as [number, number]) : lngLat;
        map.easeTo({ center: at, zoom: Math.max(map.getZoom() + 2, STATIONS_MIN_ZOOM), duration: 0 });
        return;
      }
      popupAbort?.abort();
      popup?.remove();
      popupAbort = new AbortController();
      const box = document.createElement('div');
      box.className = 'station-popup';
      const p = feature.properties as Record<string, unknown>;
      const tile: TileStation = { id: feature.id ?? String(p.id), operator: String(p.operator), siteCode: String(p.siteCode), name: String(p.name ?? ''), technologies: String(p.technologies ?? ''), isDemo: p.isDemo === true };
      renderStationPopup(box, tile, ctx.m, ctx.fmt, popupAbort.signal);
      const at = feature.geometry.type === 'Point' ? (feature.geometry.coordinates as [number, number]) : lngLat;
      popup = new maplibregl.Popup({ maxWidth: '380px', focusAfterOpen: true }).setLngLat(at).setDOMContent(box).addTo(map);
      renderHoverInfo(null, null, ctx.fmt);
      popup.on('close', () => popupAbort?.abort());
    },
  });
  map.on('zoomend', drawLegend);

  function onCommuneChange(s: Readonly<AppState>): void {
    select(s.commune);
    commune.load();
    const f = s.commune ? featureOf(s.commune) : undefined;
    if (f) flyToFeature(map, f);
  }

  store.subscribe((s, changed) => {
    const has = (...keys: Array<keyof AppState>) => keys.some((k) => changed.has(k));
    if (has('lang')) {
      ctx.m = messagesFor(s.lang);
      ctx.fmt = createFormatters(ctx.m);
      renderChrome(ctx.m);
      relabelMap(map, ctx.m);
      population.relabel(ctx.m);
      header.rebuild();
      byId('demo-banner').textContent = ctx.m.demoNotice;
      plan.relabel();
    }
    header.sync(s);
    if (has('metric', 'asOf')) void applyFigures();
    else if (has('threshold', 'targetId') && figures && !plan.ownsChoropleth()) setChoropleth(map, ctx.byCode.keys(), (code) => figures!.byCode.get(code)?.value ?? null, s.threshold);
    if (has('technology', 'operator', 'showStations', 'asOf')) updateStations(map, { ...s, visible: s.showStations, version: stationsVersion });
    if (has('technology', 'operator', 'showCoverage', 'asOf', 'metric', 'commune')) overlays(s);
    if (has('showPopulation')) population.show(s.showPopulation);
    if (has('commune')) onCommuneChange(s);
    else if (has('asOf')) commune.load();
    if (has('tab')) showTab(s.tab);
    if (has('tab')) plan.setActive(s.tab === 'plan');
    if (has('commune')) plan.communeChanged();
    drawLegend();
    province.render();
    commune.render();
  });

  showTab(store.get().tab);
  plan.setActive(store.get().tab === 'plan');
  if (s0.commune) {
    select(s0.commune);
    commune.load();
  } else commune.render();
  overlays(store.get());
  population.show(store.get().showPopulation);

  void o.isDemo.then((demo) => {
    ctx.isDemo = demo;
    byId('demo-banner').hidden = !demo;
    byId('demo-banner').textContent = ctx.m.demoNotice;
    drawLegend();
  });
  void o.targets.then((list) => {
    if (!list) return;
    ctx.targets = list;
    ctx.builtInTargets = false;
    header.rebuild();
    const s = store.get();
    const t = list.find((x) => x.id === s.targetId);
    if (s.targetId !== 'custom' && (!t || t.metric !== s.metric)) store.set(targetForMetric(ctx, s.metric, s.threshold));
    else if (t) store.set({ threshold: t.threshold });
    header.sync(store.get());
    void province.render();
    plan.targetsChanged();
  });
}
