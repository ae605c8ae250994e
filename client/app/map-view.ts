// The MapLibre map and what pointer and keyboard do on it: hover names a commune, a click (or
// Enter on the focused map, at the centre crosshair) opens a station's popup or selects a commune.
import * as maplibregl from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { CommuneSummary } from '../../server/contract/answers';
import type { Messages } from '../i18n';
import { bboxOf, type Bbox } from '../map/bbox';
import { buildBaseStyle, type Basemap } from '../map/base-style';
import type { Camera } from '../map/camera';
import { communeAt, createCommuneHighlighter } from '../map/communes-layer';
import { stationAt } from '../map/stations-layer';
import { COMMUNE_MAX_ZOOM, fitPadding } from './opening-view';

// MapLibre 6 is ESM only and cannot guess its worker's URL inside a bundle.
maplibregl.setWorkerUrl(workerUrl);

export function createMap(container: HTMLElement, m: Messages, basemap: Basemap | null, camera: Camera): maplibregl.Map {
  const map = new maplibregl.Map({
    container,
    style: buildBaseStyle(basemap),
    center: camera.center,
    zoom: camera.zoom,
    locale: m.maplibre,
    attributionControl: { compact: true },
    // A planning map: north stays up.
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    maxPitch: 0,
  });
  map.touchZoomRotate.disableRotation();
  map.keyboard.disableRotation();
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
  map.addControl(new maplibregl.ScaleControl({ unit: 'metric' }), 'bottom-right');
  return map;
}

/** MapLibre reads its UI strings once; a language switch rewrites the few it shows. */
export function relabelMap(map: maplibregl.Map, m: Messages): void {
  const root = map.getContainer();
  map.getCanvas().setAttribute('aria-label', m.maplibre['Map.Title']);
  const set = (selector: string, key: string) => root.querySelectorAll<HTMLElement>(selector).forEach((b) => {
    b.title = m.maplibre[key];
    b.setAttribute('aria-label', m.maplibre[key]);
  });
  set('.maplibregl-ctrl-zoom-in', 'NavigationControl.ZoomIn');
  set('.maplibregl-ctrl-zoom-out', 'NavigationControl.ZoomOut');
  set('.maplibregl-ctrl-attrib-button', 'AttributionControl.ToggleAttribution');
}

export function flyToFeature(map: maplibregl.Map, feature: GeoJSON.Feature, animate = true): void {
  const box = bboxOf({ type: 'FeatureCollection', features: [feature] });
  if (!box) return;
  map.fitBounds(box as Bbox, { padding: fitPadding(), maxZoom: COMMUNE_MAX_ZOOM, duration: animate && !prefersReducedMotion() ? 900 : 0 });
}

const prefersReducedMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

export interface Interactions {
  onHover(commune: CommuneSummary | null): void;
  onSelect(code: string | null): void;
  onStation(feature: maplibregl.MapGeoJSONFeature, lngLat: maplibregl.LngLat): void;
  /** Asked first (the Plan tab's sites): true when it took the click. */
  onPoint?(point: maplibregl.Point): boolean;
}

export function wireInteractions(map: maplibregl.Map, byCode: ReadonlyMap<string, CommuneSummary>, on: Interactions): void {
  const highlighter = createCommuneHighlighter(map, byCode, on.onHover);
  const canvas = map.getCanvas();

  map.on('mousemove', (e) => {
    highlighter.highlightAt(e.point);
    canvas.style.cursor = stationAt(map, e.point) ? 'pointer' : '';
  });
  map.on('mouseout', () => highlighter.highlightAt(null));

  const act = (point: maplibregl.Point) => {
    if (on.onPoint?.(point)) return;
    const station = stationAt(map, point, 8);
    if (station) return on.onStation(station, map.unproject(point));
    const code = communeAt(map, point);
    if (code) on.onSelect(code);
  };
  map.on('click', (e) => act(e.point));

  // Keyboard: a crosshair marks the centre (CSS, on :focus-visible); each keyboard pan or zoom
  // names the commune under it, and Enter acts on it as a click would.
  let keyboardMode = false;
  const centre = (): maplibregl.Point => {
    const { clientWidth: w, clientHeight: h } = map.getContainer();
    return new maplibregl.Point(w / 2, h / 2);
  };
  canvas.addEventListener('focus', () => {
    keyboardMode = canvas.matches(':focus-visible');
    if (keyboardMode) highlighter.highlightAt(centre());
  });
  canvas.addEventListener('keydown', (e) => {
    keyboardMode = true;
    if (e.key === 'Enter') {
      e.preventDefault();
      act(centre());
    }
  });
  canvas.addEventListener('blur', () => {
    keyboardMode = false;
  });
  canvas.addEventListener('pointerdown', () => {
    keyboardMode = false;
  });
  map.on('moveend', () => {
    if (keyboardMode) highlighter.highlightAt(centre());
  });
}
