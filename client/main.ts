// Entry point: a full-page MapLibre map of the province's communes, with an HTML panel naming
// the commune under the pointer (or under the centre crosshair when driven by keyboard).
import 'maplibre-gl/dist/maplibre-gl.css';
import './style.css';
import * as maplibregl from 'maplibre-gl';
// MapLibre 6 is ESM only and cannot guess its worker's URL inside a bundle.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { fetchCommunesGeoJson, type CommuneKind, type CommuneProperties, type CommunesGeoJson } from './api';
import { createFormatters, messages as m } from './i18n';
import { buildBaseStyle } from './map/base-style';
import { bboxOf } from './map/bbox';
import { addCommunesLayer, createCommuneHighlighter, KIND_COLOURS } from './map/communes-layer';
import { renderCommuneInfo, renderLegend, renderMessage } from './ui/commune-info';

declare global {
  interface Window {
    /** Exposed for the browser tests; holds nothing the page's own code does not. */
    __phusong?: { map: maplibregl.Map };
  }
}

maplibregl.setWorkerUrl(workerUrl);

const fmt = createFormatters(m);
const FIT_PADDING_PX = 24;

function byId(id: string): HTMLElement {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} missing from index.html`);
  return node;
}

/** `data-ready` on <body> is what tests (and anyone measuring first paint) wait on. */
function markReady(state: 'true' | 'error'): void {
  if (state === 'true') {
    performance.mark('phusong:communes-rendered');
    document.body.dataset.readyMs = String(Math.round(performance.now()));
  }
  document.body.dataset.ready = state;
}

function showCommunes(map: maplibregl.Map, data: CommunesGeoJson): void {
  const info = byId('commune-info');
  const byCode = new Map<string, CommuneProperties>(data.features.map((f) => [f.properties.code, f.properties]));
  const counts: Record<CommuneKind, number> = { phuong: 0, xa: 0, dac_khu: 0 };
  for (const f of data.features) counts[f.properties.kind] += 1;

  addCommunesLayer(map, data, m.attribution);
  byId('summary').textContent = m.communeCount(fmt.integer(data.features.length));
  renderLegend(byId('legend'), KIND_COLOURS, counts, m, fmt);
  renderCommuneInfo(info, null, m, fmt);

  // After the panel has its content, so its size is final.
  const bbox = bboxOf(data);
  if (bbox) map.fitBounds(bbox, { padding: fitPadding(map, byId('panel')), animate: false });

  const highlighter = createCommuneHighlighter(map, byCode, (c) => renderCommuneInfo(info, c, m, fmt));
  wirePointer(map, highlighter.highlightAt);
  wireKeyboard(map, highlighter.highlightAt);

  map.once('idle', () => markReady('true'));
}

/** Padding that keeps the communes clear of the panel: right of it on wide screens, below it on phones. */
function fitPadding(map: maplibregl.Map, panel: HTMLElement): maplibregl.PaddingOptions {
  const pad = { top: FIT_PADDING_PX, right: FIT_PADDING_PX, bottom: FIT_PADDING_PX, left: FIT_PADDING_PX };
  const box = map.getContainer().getBoundingClientRect();
  const p = panel.getBoundingClientRect();
  const spare = (room: number): number => Math.max(0, Math.min(room, box.width / 2, box.height / 2));
  if (p.width > box.width / 2) pad.top += spare(p.bottom - box.top);
  else pad.left += spare(p.right - box.left);
  return pad;
}

function wirePointer(map: maplibregl.Map, highlightAt: (p: maplibregl.PointLike | null) => void): void {
  map.on('mousemove', (e) => highlightAt(e.point));
  map.on('mouseout', () => highlightAt(null));
  // Touch screens have no hover: a tap names the commune instead.
  map.on('click', (e) => highlightAt(e.point));
}

/**
 * Keyboard users get a crosshair at the map centre (CSS, on :focus-visible) and the panel names
 * the commune under it after each keyboard pan or zoom.
 */
function wireKeyboard(map: maplibregl.Map, highlightAt: (p: maplibregl.PointLike | null) => void): void {
  const canvas = map.getCanvas();
  let keyboardMode = false;
  const probeCentre = (): void => {
    const { clientWidth: w, clientHeight: h } = map.getContainer();
    highlightAt([w / 2, h / 2]);
  };
  canvas.addEventListener('focus', () => {
    keyboardMode = canvas.matches(':focus-visible');
    if (keyboardMode) probeCentre();
  });
  canvas.addEventListener('keydown', () => {
    keyboardMode = true;
  });
  canvas.addEventListener('blur', () => {
    keyboardMode = false;
  });
  canvas.addEventListener('pointerdown', () => {
    keyboardMode = false;
  });
  map.on('moveend', () => {
    if (keyboardMode) probeCentre();
  });
}

function start(): void {
  const info = byId('commune-info');
  renderMessage(info, m.loading);
  // Start the download first so it overlaps the map's own start-up.
  const communes = fetchCommunesGeoJson();

  let map: maplibregl.Map;
  try {
    map = new maplibregl.Map({
      container: byId('map'),
      style: buildBaseStyle(),
      // Roughly Phú Thọ, until the data says exactly where to look.
      center: [105.34, 21.01],
      zoom: 7.5,
      locale: m.maplibre,
      // Default: expanded on wide screens; on phones it folds to a button once the map is moved.
      attributionControl: {},
      // A planning map: north stays up.
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      maxPitch: 0,
    });
  } catch (err) {
    console.error(err);
    communes.catch(() => undefined);
    renderMessage(info, m.noWebgl, true);
    markReady('error');
    return;
  }
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  window.__phusong = { map };

  const styleLoaded = new Promise<void>((resolve) => map.once('load', () => resolve()));
  Promise.all([communes, styleLoaded])
    .then(([data]) => showCommunes(map, data))
    .catch((err: unknown) => {
      console.error(err);
      const detail = err instanceof Error ? err.message : String(err);
      renderMessage(info, `${m.loadFailed}: ${detail}`, true);
      markReady('error');
    });
}

start();
