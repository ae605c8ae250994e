// Entry point of the map page: the communes as a choropleth against the chosen target, stations,
// coverage and gaps, search, the province and commune panels. State lives in one store (and the
// address's hash); each change re-renders what depends on it. This entry holds no MapLibre: it
// fetches the communes and figures, draws them at once as a static frame (client/map/static-map.ts)
// and loads the interactive map (client/app/atlas.ts, with MapLibre) alongside.
import 'maplibre-gl/dist/maplibre-gl.css';
import './styles/base.css';
import './styles/topbar.css';
import './styles/map.css';
import './styles/legend.css';
import './styles/panel.css';
import './styles/figures.css';
import type * as maplibregl from 'maplibre-gl';
import { api, prefetch, url } from './api';
import { initialLang, messagesFor, rememberLang, type Lang } from './i18n';
import { BUILT_IN_TARGETS, metricTechnology, normaliseTargets } from './data/targets';
import { configuredBasemap } from './map/base-style';
import { drawStaticMap, type StaticMap } from './map/static-map';
import { createStore, hashFromState, stateFromHash, type AppState } from './state';
import { renderLegend } from './ui/legend';
import { byId, message } from './ui/dom';
import { renderChrome, wireChrome } from './app/chrome';
import { createCtx, figuresFor, legendModel, targetForMetric, type Ctx } from './app/context';
import { createHeader, type Header } from './app/header';
import { openingCamera, sizeOf } from './app/opening-view';

declare global {
  interface Window {
    /** Exposed for the browser tests; holds nothing the page's own code does not. */
    __phusong?: { map: maplibregl.Map; state: () => Readonly<AppState> };
  }
}

/**
 * `data-first-paint-ms` on <body>: the communes are on screen, coloured (the static frame, or
 * MapLibre's if it came first). `data-ready`: the interactive map has drawn them; tests (and
 * anyone measuring) wait on it.
 */
function markFirstPaint(): void {
  if (document.body.dataset.firstPaintMs) return;
  performance.mark('phusong:first-paint');
  document.body.dataset.firstPaintMs = String(Math.round(performance.now()));
}

function markReady(state: 'true' | 'error'): void {
  if (state === 'true' && !document.body.dataset.readyMs) {
    performance.mark('phusong:communes-rendered');
    document.body.dataset.readyMs = String(Math.round(performance.now()));
    markFirstPaint();
  }
  document.body.dataset.ready = state;
}

/** Resolves once the browser has painted what the DOM holds now. */
const nextPaint = (): Promise<void> => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

function start(): void {
  performance.mark('phusong:script-start');
  const lang = initialLang();
  const m = messagesFor(lang);
  // The server's "today" is a UTC date; asking for another would recompute on demand.
  const today = new Date().toISOString().slice(0, 10);
  const defaults: AppState = {
    lang, metric: '5g_population_pct', targetId: BUILT_IN_TARGETS[0].id, threshold: BUILT_IN_TARGETS[0].threshold,
    technology: 'all', operator: 'all', asOf: null, commune: null, province: null, tab: 'province', showCoverage: false, showStations: true, showPopulation: false,
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

  store.subscribe((s, changed) => {
    const hash = hashFromState(s, defaults);
    if (hash !== location.hash && !(hash === '' && location.hash === '')) history.replaceState(null, '', hash || location.pathname + location.search);
    if (changed.has('lang')) rememberLang(s.lang);
  });

  const failed = (err: unknown): void => {
    console.error(err);
    const detail = err instanceof Error ? err.message : String(err);
    info.replaceChildren(message(`${m.loadFailed}: ${detail}`, true));
    markReady('error');
  };

  // A database of several provinces: the country's map (client/app/country.ts, in the atlas chunk) instead of this one.
  if (document.querySelector<HTMLMetaElement>('meta[name="phusong-scope"]')?.content === 'country') {
    document.body.dataset.scope = 'country';
    import('./app/atlas')
      .then((atlas) => atlas.startCountry({ store, today, onReady: (map) => {
        window.__phusong = { map, state: () => store.get() };
        markReady('true');
      } }))
      .catch(failed);
    return;
  }

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

  // The communes, indexed, then the search and filters. A shared link may name a target of another
  // metric, or none: start from a consistent pair before anything is drawn.
  const ctxReady: Promise<{ ctx: Ctx; header: Header }> = communes.then((data) => {
    performance.mark('phusong:communes-fetched');
    const ctx = createCtx(store, lang, today, data);
    const s = store.get();
    const t = ctx.targets.find((x) => x.id === s.targetId);
    if (s.targetId !== 'custom' && (!t || t.metric !== s.metric)) store.set(targetForMetric(ctx, s.metric, s.threshold));
    return { ctx, header: createHeader(ctx) };
  });

  // The legend takes room on the map's right: open (or not) before any view is fitted.
  const legend = byId<HTMLDetailsElement>('legend');
  legend.open = window.matchMedia('(min-width: 900px)').matches;
  const mapBox = byId('map');
  let sketch: StaticMap | null = null;
  /** What the static frame's colours depend on. */
  const colours = (x: Readonly<AppState>) => `${x.metric}|${x.asOf}|${x.threshold}`;

  // First useful paint: the choropleth drawn as SVG from the communes and the figures, with its
  // legend, while MapLibre is still on its way (on this machine's software WebGL it needs about
  // three seconds to its first frame).
  const drawn = ctxReady.then(async ({ ctx, header }) => {
    try {
      const s = store.get();
      const figures = await figuresFor(ctx, s.metric, s.asOf).catch(() => null);
      // Not drawn if the colours changed meanwhile (a filter, a followed link): it is a first frame only.
      if (colours(store.get()) !== colours(s)) return { ctx, header };
      const frame = drawStaticMap(mapBox, {
        data: ctx.communes, threshold: s.threshold, credit: ctx.m.attribution,
        valueOf: (code) => figures?.byCode.get(code)?.value ?? null,
      }, (size) => openingCamera(ctx.communes, store.get().commune, size));
      sketch = frame;
      const zoom = openingCamera(ctx.communes, s.commune, sizeOf(mapBox)).zoom;
      renderLegend(legend, legendModel(ctx, s, { figures, zoom, coverage: { status: 'idle' } }), ctx.m, ctx.fmt);
      // The drawing shows one state: a change of its colours before the map is there (a filter, a
      // followed link, Back) retires it; a commune picked in the search is framed.
      store.subscribe((now, changed) => {
        if (colours(now) !== colours(s)) frame.remove();
        else if (changed.has('commune')) frame.refit();
      });
      await nextPaint();
      markFirstPaint();
    } catch (err) {
      // The interactive map does not need it.
      console.error('static first frame failed', err);
    }
    return { ctx, header };
  });

  // MapLibre and all that draws with it are a chunk of their own (client/app/atlas.ts), which the
  // page preloads: evaluated only now, so its megabyte of script does not hold the frame above back.
  drawn
    .then((page) => Promise.all([import('./app/atlas'), page]))
    .then(([atlas, { ctx, header }]) => {
      let map: maplibregl.Map;
      try {
        map = atlas.createMap(mapBox, m, configuredBasemap(), openingCamera(ctx.communes, store.get().commune, sizeOf(mapBox)));
      } catch (err) {
        // No WebGL: the static drawing (if any) stays, so the choropleth is still there to read.
        console.error(err);
        info.replaceChildren(message(m.noWebgl, true));
        markReady('error');
        return;
      }
      window.__phusong = { map, state: () => store.get() };
      map.once('load', () => {
        performance.mark('phusong:map-loaded');
        void atlas.startAtlas({ map, ctx, header, targets, isDemo: firstStation, onReady: () => {
          sketch?.remove();
          markReady('true');
          painted();
        } }).catch(failed);
      });
    })
    .catch(failed);
}

start();
