// Entry point of the map page: the communes as a choropleth against the chosen target, stations,
// coverage and gaps, search, the province and commune panels. State lives in one store (and the
// address's hash); each change re-renders what depends on it.
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles/base.css';
import './styles/topbar.css';
import './styles/map.css';
import './styles/legend.css';
import './styles/panel.css';
import './styles/figures.css';
import * as maplibregl from 'maplibre-gl';
// MapLibre 6 is ESM only and cannot guess its worker's URL inside a bundle.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { api, prefetch, url } from './api';
import { initialLang, messagesFor, rememberLang, type Lang } from './i18n';
import { BUILT_IN_TARGETS, metricTechnology, normaliseTargets } from './data/targets';
import { configuredBasemap } from './map/base-style';
import { createStore, hashFromState, stateFromHash, type AppState } from './state';
import { byId, message } from './ui/dom';
import { createMap } from './app/map-view';
import { renderChrome, wireChrome } from './app/chrome';
import { startAtlas } from './app/atlas';

declare global {
  interface Window {
    /** Exposed for the browser tests; holds nothing the page's own code does not. */
    __phusong?: { map: maplibregl.Map; state: () => Readonly<AppState> };
  }
}

maplibregl.setWorkerUrl(workerUrl);

/** `data-ready` on <body> is what tests (and anyone measuring first paint) wait on. */
function markReady(state: 'true' | 'error'): void {
  if (state === 'true' && !document.body.dataset.readyMs) {
    performance.mark('phusong:communes-rendered');
    document.body.dataset.readyMs = String(Math.round(performance.now()));
  }
  document.body.dataset.ready = state;
}

function start(): void {
  performance.mark('phusong:script-start');
  const lang = initialLang();
  const m = messagesFor(lang);
  // The server's "today" is a UTC date; asking for another would recompute on demand.
  const today = new Date().toISOString().slice(0, 10);
  const defaults: AppState = {
    lang, metric: '5g_population_pct', targetId: BUILT_IN_TARGETS[0].id, threshold: BUILT_IN_TARGETS[0].threshold,
    technology: 'all', operator: 'all', asOf: null, commune: null, tab: 'province', showCoverage: false, showStations: true,
  };
  const fromHash = (currentLang: Lang): AppState => {
    const s = stateFromHash(location.hash, { ...defaults, lang: currentLang });
    return s.commune && !location.hash.includes('tab=') ? { ...s, tab: 'commune' } : s;
  };
  const store = createStore(fromHash(lang));
  // A link to another view followed in the same tab (or Back) moves the page there.
  window.addEventListener('hashchange', () => {
    // Only a view's hash (key=value pairs); a plain anchor such as #panel leaves the view alone.
    if (location.hash.length <= 1 || location.hash.includes('=')) store.set(fromHash(store.get().lang));
  });
  renderChrome(m);
  wireChrome(store);
  const info = byId('province-panel');
  info.replaceChildren(message(m.loading));

  // Every request starts at once, so they overlap the map's own start-up (the communes were
  // already asked for by a <link rel="preload"> in index.html).
  const communes = api.communesGeoJson('overview');
  const first = store.get();
  const tech = metricTechnology(first.metric);
  if (tech) prefetch(url('/api/coverage', { technology: tech, operator: 'all', asOf: first.asOf }));
  // Asked after the first paint: the embedded database answers one query at a time, and the
  // built-in targets are the seeded ones, so the first colours do not wait for these.
  let painted: () => void = () => undefined;
  const afterPaint = new Promise<void>((resolve) => (painted = resolve));
  const targets = afterPaint.then(() => api.targets()).then(normaliseTargets, () => null);
  const firstStation = afterPaint.then(() => api.firstStation()).then((p) => p.items[0]?.isDemo === true, () => false);

  let map: maplibregl.Map;
  try {
    map = createMap(byId('map'), m, configuredBasemap());
  } catch (err) {
    console.error(err);
    communes.catch(() => undefined);
    info.replaceChildren(message(m.noWebgl, true));
    markReady('error');
    return;
  }
  window.__phusong = { map, state: () => store.get() };

  store.subscribe((s, changed) => {
    const hash = hashFromState(s, defaults);
    if (hash !== location.hash && !(hash === '' && location.hash === '')) history.replaceState(null, '', hash || location.pathname + location.search);
    if (changed.has('lang')) rememberLang(s.lang);
  });

  void communes.then(() => performance.mark('phusong:communes-fetched'), () => undefined);
  const styleLoaded = new Promise<void>((resolve) => map.once('load', () => {
    performance.mark('phusong:map-loaded');
    resolve();
  }));
  Promise.all([communes, styleLoaded])
    .then(([data]) => startAtlas({ map, store, data, today, lang, targets, isDemo: firstStation, onReady: () => {
      markReady('true');
      painted();
    } }))
    .catch((err: unknown) => {
      console.error(err);
      const detail = err instanceof Error ? err.message : String(err);
      info.replaceChildren(message(`${m.loadFailed}: ${detail}`, true));
      markReady('error');
    });
}

start();
