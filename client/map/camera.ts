// The view the map opens at, computed here rather than by MapLibre's fitBounds: the static first
// frame (client/map/static-map.ts, drawn before MapLibre has even loaded) and MapLibre's own first
// frame must show the same place, so both take their view from this one function. Web Mercator
// as MapLibre draws it: the world is 512 px wide at zoom 0, north up, no pitch.
import type { Bbox } from './bbox';

export const WORLD_PX_AT_ZOOM_0 = 512;
const MAX_MERCATOR_LAT = 85.051129;

export interface Camera {
  /** [longitude, latitude] at the centre of the view. */
  center: [number, number];
  zoom: number;
}

export interface Size {
  width: number;
  height: number;
}

export interface Padding {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

/** A rectangle in Mercator units: 0–1 across the world, west to east and north to south. */
export interface MercatorRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const mercatorX = (lng: number): number => (lng + 180) / 360;

export function mercatorY(lat: number): number {
  const sin = Math.sin((Math.max(-MAX_MERCATOR_LAT, Math.min(MAX_MERCATOR_LAT, lat)) * Math.PI) / 180);
  return 0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI);
}

const lngOf = (x: number): number => x * 360 - 180;
const latOf = (y: number): number => (Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180) / Math.PI;

/**
 * The view that shows `bbox` whole and centred inside `size` less `padding` (at most `maxZoom`,
 * then simply centred), as fitBounds would.
 */
export function fitCamera(bbox: Bbox, size: Size, padding: Padding, maxZoom = 22): Camera {
  const [west, south, east, north] = bbox;
  const x0 = mercatorX(west);
  const x1 = mercatorX(east);
  const y0 = mercatorY(north);
  const y1 = mercatorY(south);
  const room = {
    width: Math.max(1, size.width - padding.left - padding.right),
    height: Math.max(1, size.height - padding.top - padding.bottom),
  };
  // A point (or a line along a meridian or parallel) has no extent: fall back to maxZoom.
  const fits = [room.width / ((x1 - x0) * WORLD_PX_AT_ZOOM_0), room.height / ((y1 - y0) * WORLD_PX_AT_ZOOM_0)].filter(Number.isFinite);
  const zoom = Math.min(maxZoom, fits.length ? Math.log2(Math.min(...fits)) : maxZoom);
  const scale = WORLD_PX_AT_ZOOM_0 * 2 ** zoom;
  // The box's middle sits in the middle of the padded room, not of the whole view.
  const x = (x0 + x1) / 2 + (padding.right - padding.left) / 2 / scale;
  const y = (y0 + y1) / 2 + (padding.bottom - padding.top) / 2 / scale;
  return { center: [lngOf(x), latOf(y)], zoom };
}

/** What a view of `size` pixels shows at `camera`, in Mercator units. */
export function visibleRect(camera: Camera, size: Size): MercatorRect {
  const scale = WORLD_PX_AT_ZOOM_0 * 2 ** camera.zoom;
  const width = size.width / scale;
  const height = size.height / scale;
  return { x: mercatorX(camera.center[0]) - width / 2, y: mercatorY(camera.center[1]) - height / 2, width, height };
}

/** A value that MapLibre interpolates linearly by zoom between [zoom, value] stops, at `zoom`. */
export function byZoom(stops: Array<[number, number]>, zoom: number): number {
  if (zoom <= stops[0][0]) return stops[0][1];
  for (let i = 1; i < stops.length; i++) {
    const [z1, v1] = stops[i];
    const [z0, v0] = stops[i - 1];
    if (zoom <= z1) return v0 + ((v1 - v0) * (zoom - z0)) / (z1 - z0);
  }
  return stops[stops.length - 1][1];
}
