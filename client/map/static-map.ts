// The map's first frame, drawn as SVG while MapLibre (a megabyte of script, a worker and WebGL)
// is still loading: the same overview geometry, colours, borders and outlines of the communes
// that miss the target, at the view MapLibre will open at (client/map/camera.ts). MapLibre's
// canvas replaces it once its own first frame with the communes is drawn; without WebGL it stays,
// so the page still shows the choropleth. It takes no pointer or keyboard input: hover, clicks
// and panning belong to the real map.
import type { CommunesGeoJson } from '../../server/contract/answers';
import { el, svg } from '../ui/dom';
import { BACKGROUND_COLOUR } from './base-style';
import { bboxOf } from './bbox';
import { byZoom, mercatorX, mercatorY, visibleRect, WORLD_PX_AT_ZOOM_0, type Camera, type Size } from './camera';
import { colourAt, MISS_OUTLINE_COLOUR, NO_DATA_COLOUR } from './choropleth';
import { BORDER_WIDTH_BY_ZOOM, FILL_OPACITY, MISS_OPACITY, MISS_WIDTH_BY_ZOOM } from './communes-layer';

/**
 * Path coordinates are pixels at this zoom from the communes' north-west corner, to one decimal:
 * a fifth of a pixel at zoom 13, the closest the map opens at. Small numbers, because SVG keeps
 * them in single precision.
 */
const PATH_ZOOM = 12;
const PATH_SCALE = WORLD_PX_AT_ZOOM_0 * 2 ** PATH_ZOOM;

export interface StaticMapModel {
  data: CommunesGeoJson;
  /** The commune's value in points (0–100), or null when there is none. */
  valueOf(code: string): number | null;
  threshold: number;
  /** The boundaries' sources, credited wherever they are drawn. */
  credit: string;
}

export interface StaticMap {
  /** Fits the drawing to the container's size again, at the camera for that size. */
  refit(): void;
  /** Takes the drawing away for good (again: nothing; refit: nothing). */
  remove(): void;
}

type Ring = number[][];
interface Origin {
  x: number;
  y: number;
}

function ringPath(ring: Ring, o: Origin): string {
  let d = '';
  for (let i = 0; i < ring.length; i++) {
    const x = ((mercatorX(ring[i][0]) - o.x) * PATH_SCALE).toFixed(1);
    const y = ((mercatorY(ring[i][1]) - o.y) * PATH_SCALE).toFixed(1);
    d += `${i === 0 ? 'M' : 'L'}${x} ${y}`;
  }
  return `${d}Z`;
}

function geometryPath(geometry: CommunesGeoJson['features'][number]['geometry'], o: Origin): string {
  const polygons = geometry.coordinates as Ring[][];
  return polygons.flatMap((rings) => rings.map((ring) => ringPath(ring, o))).join('');
}

/**
 * Draws the communes into `host` (positioned over the map's container) at `cameraFor(size)`,
 * the view MapLibre will be given for a container of that size.
 */
export function drawStaticMap(host: HTMLElement, model: StaticMapModel, cameraFor: (size: Size) => Camera): StaticMap {
  const box = el('div', { class: 'static-map', 'data-testid': 'static-map' });
  box.style.background = BACKGROUND_COLOUR;
  const root = svg('svg', { 'aria-hidden': 'true', preserveAspectRatio: 'none' });
  const fills = svg('g', { 'fill-opacity': FILL_OPACITY.rest, stroke: '#ffffff', 'fill-rule': 'evenodd' });
  const misses = svg('g', { fill: 'none', stroke: MISS_OUTLINE_COLOUR, 'stroke-opacity': MISS_OPACITY, 'stroke-linejoin': 'round' });
  const [west, , , north] = bboxOf(model.data) ?? [0, 0, 0, 0];
  const origin = { x: mercatorX(west), y: mercatorY(north) };
  for (const f of model.data.features) {
    const d = geometryPath(f.geometry, origin);
    if (!d) continue;
    const value = model.valueOf(f.properties.code);
    const fill = value === null ? NO_DATA_COLOUR : colourAt(value, model.threshold);
    // Borders and outlines keep their width in screen pixels whatever the scale, as MapLibre's lines do.
    fills.append(svg('path', { d, fill, 'vector-effect': 'non-scaling-stroke', 'data-code': f.properties.code }));
    if (value !== null && value < model.threshold) misses.append(svg('path', { d, 'vector-effect': 'non-scaling-stroke', 'data-code': f.properties.code }));
  }
  root.append(fills, misses);
  box.append(root, el('p', { class: 'static-map-credit' }, model.credit));

  let removed = false;
  const refit = (): void => {
    const size = { width: host.clientWidth, height: host.clientHeight };
    if (removed || size.width === 0 || size.height === 0) return;
    const camera = cameraFor(size);
    const r = visibleRect(camera, size);
    root.setAttribute('viewBox', [r.x - origin.x, r.y - origin.y, r.width, r.height].map((v) => (v * PATH_SCALE).toFixed(2)).join(' '));
    fills.setAttribute('stroke-width', byZoom(BORDER_WIDTH_BY_ZOOM, camera.zoom).toFixed(2));
    misses.setAttribute('stroke-width', byZoom(MISS_WIDTH_BY_ZOOM, camera.zoom).toFixed(2));
  };
  refit();
  host.append(box);
  const resized = new ResizeObserver(refit);
  resized.observe(host);
  return {
    refit,
    remove() {
      removed = true;
      resized.disconnect();
      box.remove();
    },
  };
}
