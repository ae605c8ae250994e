// The map page of a database of several provinces: it opens on the country (the provinces
// coloured by the chosen metric against its target, the country's roll-up in the panel); a click
// or the search (provinces and every commune of the country, diacritics ignored) opens a province,
// whose communes come from the vector tiles; a click on a commune (or the search) opens the
// one-province map's commune panel (client/app/panels.ts) on it. The address keeps the province
// and the commune (#p=04, c=01273). In the
// atlas chunk (with MapLibre), started instead of the one-province atlas: client/main.ts decides,
// from the page's <meta name="phusong-scope">, which the server writes.
import type * as maplibregl from 'maplibre-gl';
import type { CommuneSummary, Province, ProvinceList, ProvincesGeoJson } from '../../server/contract/answers';
import { api } from '../api';
import { loadMetricFigures, type MetricFigures } from '../data/figures';
import { type Searchable } from '../data/search';
import { BUILT_IN_TARGETS, normaliseTargets, type MapMetric, type Target } from '../data/targets';
import { createFormatters, messagesFor, type Formatters, type Messages } from '../i18n';
import { configuredBasemap } from '../map/base-style';
import { bboxOf, type Bbox } from '../map/bbox';
import { fitCamera } from '../map/camera';
import { COMMUNES_FILL_LAYER_ID } from '../map/communes-layer';
import {
  COMMUNE_TILES_LAYER, COMMUNE_TILES_SOURCE_ID, PROVINCES_SOURCE_ID, addProvinceLayers, colourCommuneTiles, colourProvinces, createTileFlag, openProvince, placeAt,
} from '../map/provinces-layer';
import type { AppState, Store } from '../state';
import { renderControls } from '../ui/controls';
import { renderCountryPanel } from '../ui/country-panel';
import { byId } from '../ui/dom';
import { renderLegend } from '../ui/legend';
import { createSearchBox } from '../ui/search-box';
import { renderChrome, showTab } from './chrome';
import { createMap } from './map-view';
import { createCommunePanel, type CommunePanelCtx } from './panels';
import { COMMUNE_MAX_ZOOM, fitPadding, sizeOf } from './opening-view';

export interface CountryOptions {
  store: Store;
  today: string;
  /** The provinces are drawn, coloured: the page's first useful paint, and `data-ready`. */
  onReady(map: maplibregl.Map): void;
}

interface CountryData {
  geo: ProvincesGeoJson;
  list: ProvinceList;
  byCode: Map<string, Province>;
  /** Every commune of the country (no geometry), for the search and the commune panel. */
  communes: Map<string, CommuneSummary>;
  search: Searchable[];
  targets: Target[];
  /** Codes of the national targets (no province of their own). */
  national: Set<string>;
}

async function loadCountry(): Promise<CountryData> {
  const [geo, list, communes, targetList] = await Promise.all([
    api.provincesGeoJson(), api.provinces(), api.communesList(), api.targets().catch(() => null),
  ]);
  const byCode = new Map(list.items.map((p) => [p.code, p]));
  return {
    geo, list, byCode,
    communes: new Map(communes.items.map((c) => [c.code, c])),
    search: [...list.items.map((p) => ({ code: p.code, name: p.name, fullName: p.fullName })), ...communes.items.map((c) => ({ code: c.code, name: c.name, fullName: c.fullName }))],
    targets: normaliseTargets(targetList) ?? [...BUILT_IN_TARGETS],
    national: new Set((targetList?.items ?? []).filter((t) => t.provinceCode === null).map((t) => t.code)),
  };
}

/** The chrome's texts for the country: title, subtitle, the one tab it has. */
function relabel(m: Messages, fmt: Formatters, data: CountryData): void {
  renderChrome(m);
  document.title = m.national.documentTitle;
  byId('app-title').textContent = m.national.appTitle;
  byId('app-subtitle').textContent = m.national.appSubtitle(fmt.integer(data.list.count), fmt.integer(data.list.country.communes));
  byId('tab-province').textContent = m.national.tabCountry;
  // The plan and the overlays belong to the one-province map; the commune tab shows with a province open (showTabs).
  byId('tab-plan').hidden = true;
  byId('controls').classList.add('national');
}

/** The commune tab is there while a province is open; the Plan tab never is. */
function showTabs(s: Readonly<AppState>): void {
  byId('tab-commune').hidden = !s.province;
  showTab(s.province && s.tab === 'commune' ? 'commune' : 'province');
}

export async function startCountry(o: CountryOptions): Promise<void> {
  const { store } = o;
  let m = messagesFor(store.get().lang);
  let fmt = createFormatters(m);
  const data = await loadCountry();
  const codes = data.list.items.map((p) => p.code);
  if (store.get().province && !data.byCode.has(store.get().province!)) store.set({ province: null, commune: null });
  // A commune in the address opens its own province (a link may name the commune only, or a wrong province).
  const named = store.get().commune ? data.communes.get(store.get().commune!) : undefined;
  if (store.get().commune && !named) store.set({ commune: null, tab: 'province' });
  else if (named) store.set({ province: named.provinceCode });
  if (!store.get().commune && store.get().tab !== 'province') store.set({ tab: 'province' });
  // The country's map has no date: its colours and the commune panel are today's.
  if (store.get().asOf) store.set({ asOf: null });
  // The country is measured against a national target of the metric, the next one due (a passed
  // deadline is history), unless the address named a target.
  const s0 = store.get();
  if (!new URLSearchParams(location.hash.slice(1)).has('t')) {
    const year = Number(o.today.slice(0, 4));
    const candidates = data.targets.filter((x) => x.metric === s0.metric && data.national.has(x.code)).sort((a, b) => (a.deadlineYear ?? 0) - (b.deadlineYear ?? 0));
    const t = candidates.find((x) => (x.deadlineYear ?? year) >= year) ?? candidates.at(-1) ?? data.targets.find((x) => x.metric === s0.metric);
    store.set(t ? { targetId: t.id, threshold: t.threshold } : { targetId: 'custom' });
  }
  const controls = { get m() { return m; }, get fmt() { return fmt; }, targets: data.targets, today: o.today };
  let syncControls = renderControls(byId('controls'), store, controls);
  const search = createSearchBox(byId('search'), data.search, (code) => {
    if (code.length === 2) store.set({ province: code, commune: null, tab: 'province' });
    else store.set({ province: data.communes.get(code)?.provinceCode ?? null, commune: code, tab: 'commune' });
  });
  const searchMessages = () => ({ ...m, searchLabel: m.national.searchLabel, searchPlaceholder: m.national.searchPlaceholder });
  search.setMessages(searchMessages());
  relabel(m, fmt, data);
  if (s0.province) byId('tab-province').textContent = m.national.tabProvince;
  showTabs(store.get());

  const mapBox = byId('map');
  const countryBox = bboxOf(data.geo as GeoJSON.FeatureCollection);
  const boxOf = (province: string | null): Bbox | null => (province ? (data.byCode.get(province)?.bbox as Bbox | null) ?? countryBox : countryBox);
  const cameraFor = (province: string | null) => fitCamera(boxOf(province) ?? [102, 8, 110, 23.5], sizeOf(mapBox), fitPadding(), province ? 12 : COMMUNE_MAX_ZOOM);
  const map = createMap(mapBox, m, configuredBasemap(), cameraFor(s0.province));

  const provinceValues = (metric: MapMetric) => new Map(data.list.items.map((p) => [p.code, p.values[metric] ?? null]));
  // One province's figures of a metric (today's: the country's map has no date), for its communes' colours and the commune panel.
  const communeFigures = new Map<string, Promise<MetricFigures>>();
  const figuresOf = (metric: MapMetric, province: string): Promise<MetricFigures> => {
    const key = `${metric}|${province}`;
    if (!communeFigures.has(key)) {
      const p = loadMetricFigures(metric, null, data.communes, undefined, province);
      p.catch(() => communeFigures.delete(key));
      communeFigures.set(key, p);
    }
    return communeFigures.get(key)!;
  };
  const communeValues = async (metric: MapMetric, province: string): Promise<Map<string, number | null>> =>
    new Map([...(await figuresOf(metric, province)).byCode].map(([code, v]) => [code, v.value]));

  // The one-province map's commune panel, over the country's communes.
  const panelCtx: CommunePanelCtx = { store, today: o.today, get m() { return m; }, get fmt() { return fmt; }, byCode: data.communes };
  const commune = createCommunePanel(panelCtx, byId('commune-panel'), () => store.set({ commune: null, tab: 'province' }));
  const communeFiguresToPanel = (): void => {
    const s = store.get();
    if (!s.province || !s.commune) return;
    figuresOf(s.metric, s.province).then((f) => {
      const now = store.get();
      if (now.metric === f.metric && now.province === s.province) commune.setFigures(f);
    }, () => undefined);
  };

  const legend = byId<HTMLDetailsElement>('legend');
  legend.open = window.matchMedia('(min-width: 900px)').matches;
  const drawLegend = () => {
    const s = store.get();
    const open = s.province ? data.byCode.get(s.province) ?? null : null;
    const value = open ? open.values[s.metric] ?? null : data.list.country.values[s.metric] ?? null;
    renderLegend(legend, {
      metricLabel: m.metrics[s.metric] ?? s.metric, threshold: s.threshold, provinceValue: value, dataAvailable: true, syntheticData: false,
      stationsVisible: false, stationsZoomedOut: false, operator: 'all', coverage: null, gapTechnology: null, asOf: null,
    }, { ...m, tabProvince: open ? open.name : m.national.tabCountry }, fmt);
  };
  const panel = byId('province-panel');
  const drawPanel = () => {
    const s = store.get();
    renderCountryPanel(panel, {
      metric: s.metric, threshold: s.threshold, country: data.list.country, provinces: data.list.items, open: s.province ? data.byCode.get(s.province) ?? null : null,
    }, m, fmt, { open: (code) => store.set({ province: code, commune: null, tab: 'province' }) });
  };
  drawPanel();
  drawLegend();

  const hoverBox = byId('hover-info');
  const hoverText = (place: ReturnType<typeof placeAt>): string | null => {
    if (!place) return null;
    const s = store.get();
    if (place.kind === 'province') {
      const p = data.byCode.get(place.code);
      return p ? `${p.fullName}: ${fmt.pct(p.values[s.metric] ?? null)}` : null;
    }
    const [f] = map.querySourceFeatures(COMMUNE_TILES_SOURCE_ID, { sourceLayer: COMMUNE_TILES_LAYER, filter: ['==', ['get', 'code'], place.code] });
    const value = map.getFeatureState({ source: COMMUNE_TILES_SOURCE_ID, sourceLayer: COMMUNE_TILES_LAYER, id: place.code }).value as number | null | undefined;
    return f ? `${String(f.properties.fullName)}: ${fmt.pct(value ?? null)}` : null;
  };

  await new Promise<void>((resolve) => map.once('load', () => resolve()));
  addProvinceLayers(map, data.geo, data.geo.attribution, store.get().threshold);
  window.__phusong = { map, state: () => store.get() };
  const selectCommune = createTileFlag(map, { source: COMMUNE_TILES_SOURCE_ID, sourceLayer: COMMUNE_TILES_LAYER }, 'selected');
  const hoverCommune = createTileFlag(map, { source: COMMUNE_TILES_SOURCE_ID, sourceLayer: COMMUNE_TILES_LAYER }, 'hover');
  const hoverProvince = createTileFlag(map, { source: PROVINCES_SOURCE_ID }, 'hover');

  let colouredFor = '';
  const colourCommunes = async (): Promise<void> => {
    const s = store.get();
    if (!s.province) return;
    const key = `${s.metric}|${s.province}|${s.threshold}`;
    try {
      const values = await communeValues(s.metric, s.province);
      const now = store.get();
      if (`${now.metric}|${now.province}|${now.threshold}` !== key) return;
      colourCommuneTiles(map, values, now.threshold);
      colouredFor = key;
      map.getContainer().dataset.communesColoured = now.province ?? '';
    } catch (err) {
      console.warn('commune figures failed', err);
    }
  };
  const applyColours = () => {
    const s = store.get();
    colourProvinces(map, provinceValues(s.metric), s.threshold);
    if (`${s.metric}|${s.province}|${s.threshold}` !== colouredFor) void colourCommunes();
  };
  applyColours();
  openProvince(map, codes, s0.province);
  selectCommune(s0.commune);
  if (s0.commune) {
    commune.load();
    communeFiguresToPanel();
  } else commune.render();

  const ready = () => {
    if (!map.isSourceLoaded(PROVINCES_SOURCE_ID)) return;
    map.off('render', ready);
    o.onReady(map);
  };
  map.on('render', ready);

  map.on('mousemove', (e) => {
    const place = placeAt(map, e.point);
    hoverCommune(place?.kind === 'commune' ? place.code : null);
    hoverProvince(place?.kind === 'province' && place.code !== store.get().province ? place.code : null);
    const text = hoverText(place);
    hoverBox.hidden = text === null;
    hoverBox.textContent = text ?? '';
    map.getCanvas().style.cursor = place ? 'pointer' : '';
  });
  map.on('mouseout', () => {
    hoverCommune(null);
    hoverProvince(null);
    hoverBox.hidden = true;
  });
  map.on('click', (e) => {
    const place = placeAt(map, e.point);
    if (!place) return;
    if (place.kind === 'province') store.set({ province: place.code, commune: null, tab: 'province' });
    else store.set({ commune: place.code, tab: 'commune' });
  });

  store.subscribe((s, changed) => {
    const has = (...keys: Array<keyof AppState>) => keys.some((k) => changed.has(k));
    if (has('lang')) {
      m = messagesFor(s.lang);
      fmt = createFormatters(m);
      relabel(m, fmt, data);
      syncControls = renderControls(byId('controls'), store, controls);
      search.setMessages(searchMessages());
    }
    syncControls(s);
    if (has('metric', 'threshold', 'targetId', 'province')) applyColours();
    if (has('province')) {
      openProvince(map, codes, s.province);
      map.fitBounds(boxOf(s.province) ?? [102, 8, 110, 23.5], { padding: fitPadding(), maxZoom: s.province ? 12 : COMMUNE_MAX_ZOOM, duration: 0 });
    }
    if (has('commune')) selectCommune(s.commune);
    if (has('province', 'lang')) byId('tab-province').textContent = s.province ? m.national.tabProvince : m.national.tabCountry;
    showTabs(s);
    if (has('commune', 'asOf')) commune.load();
    if (has('commune', 'metric', 'province')) communeFiguresToPanel();
    drawPanel();
    drawLegend();
    commune.render();
  });
  // The communes' tiles of the open province count as drawn once a frame shows them.
  map.on('idle', () => {
    const s = store.get();
    const shown = s.province ? map.queryRenderedFeatures({ layers: [COMMUNES_FILL_LAYER_ID] }).length : 0;
    map.getContainer().dataset.communesShown = String(shown);
  });
}
