// The country's map: the provinces' outlines (GeoJSON, coloured by their figure as feature-state,
// like the communes of one province) and, for the province opened, its communes from the vector
// tiles (GET /tiles/communes/…, filtered by provinceCode) coloured the same way. The choropleth's
// scale and outlines are the one-province map's (choropleth.ts, communes-layer.ts).
import type * as maplibregl from 'maplibre-gl';
import type { ProvincesGeoJson } from '../../server/contract/answers';
import { fillColourExpression } from './choropleth';
import { BORDER_WIDTH_BY_ZOOM, COMMUNES_FILL_LAYER_ID, COMMUNES_LINE_LAYER_ID, COMMUNES_SELECTED_LAYER_ID, FILL_OPACITY } from './communes-layer';

export const PROVINCES_SOURCE_ID = 'provinces';
export const PROVINCES_FILL_LAYER_ID = 'provinces-fill';
export const PROVINCES_LINE_LAYER_ID = 'provinces-line';
export const PROVINCES_OPEN_LAYER_ID = 'provinces-open-line';
/** The vector source of the communes; its one layer in the tiles is `communes` (server/tiles/communes-tiles.repo.ts). */
export const COMMUNE_TILES_SOURCE_ID = 'communes';
export const COMMUNE_TILES_LAYER = 'communes';
/** Provinces around the one opened stay, faded, so the country keeps its shape. */
const FADED_OPACITY = 0.35;
const OPEN_OUTLINE_COLOUR = '#1a56db';

const state = (key: string): maplibregl.ExpressionSpecification => ['boolean', ['feature-state', key], false];
const widthByZoom = (stops: Array<[number, number]>): maplibregl.ExpressionSpecification =>
  ['interpolate', ['linear'], ['zoom'], ...stops.flat()] as maplibregl.ExpressionSpecification;
/** A filter that keeps the communes of one province (none: no commune drawn). */
const ofProvince = (code: string | null): maplibregl.FilterSpecification => ['==', ['get', 'provinceCode'], code ?? ''];

export function addProvinceLayers(map: maplibregl.Map, data: ProvincesGeoJson, attribution: string, threshold: number): void {
  map.addSource(PROVINCES_SOURCE_ID, { type: 'geojson', data: data as GeoJSON.FeatureCollection, promoteId: 'code', attribution });
  map.addSource(COMMUNE_TILES_SOURCE_ID, {
    type: 'vector',
    // Kept by the browser for the tiles' 60 s (Cache-Control), by the server until the communes change.
    tiles: [`${location.origin}/tiles/communes/{z}/{x}/{y}.pbf`],
    // Past z14 the display geometry (about 20 m) has nothing more to show: the z14 tiles are scaled.
    maxzoom: 14,
    promoteId: { [COMMUNE_TILES_LAYER]: 'code' },
    attribution,
  });
  const colour = fillColourExpression(threshold);
  map.addLayer({
    id: PROVINCES_FILL_LAYER_ID, type: 'fill', source: PROVINCES_SOURCE_ID,
    paint: {
      'fill-color': colour,
      'fill-opacity': ['case', state('open'), 0, state('faded'), FADED_OPACITY, state('hover'), FILL_OPACITY.hover, FILL_OPACITY.rest],
    },
  });
  map.addLayer({
    id: COMMUNES_FILL_LAYER_ID, type: 'fill', source: COMMUNE_TILES_SOURCE_ID, 'source-layer': COMMUNE_TILES_LAYER, filter: ofProvince(null), layout: { visibility: 'none' },
    paint: { 'fill-color': colour, 'fill-opacity': ['case', state('hover'), FILL_OPACITY.hover, FILL_OPACITY.rest] },
  });
  map.addLayer({
    id: COMMUNES_LINE_LAYER_ID, type: 'line', source: COMMUNE_TILES_SOURCE_ID, 'source-layer': COMMUNE_TILES_LAYER, filter: ofProvince(null), layout: { visibility: 'none' },
    paint: { 'line-color': '#ffffff', 'line-width': widthByZoom(BORDER_WIDTH_BY_ZOOM) },
  });
  map.addLayer({
    id: COMMUNES_SELECTED_LAYER_ID, type: 'line', source: COMMUNE_TILES_SOURCE_ID, 'source-layer': COMMUNE_TILES_LAYER, filter: ofProvince(null), layout: { visibility: 'none' },
    paint: { 'line-color': OPEN_OUTLINE_COLOUR, 'line-width': 3.5, 'line-opacity': ['case', state('selected'), 1, 0] },
  });
  map.addLayer({
    id: PROVINCES_LINE_LAYER_ID, type: 'line', source: PROVINCES_SOURCE_ID,
    paint: { 'line-color': '#52606d', 'line-width': ['case', state('hover'), 2.2, 0.9] },
  });
  map.addLayer({
    id: PROVINCES_OPEN_LAYER_ID, type: 'line', source: PROVINCES_SOURCE_ID,
    paint: { 'line-color': OPEN_OUTLINE_COLOUR, 'line-width': 2.5, 'line-opacity': ['case', state('open'), 1, 0] },
  });
}

/** Colours each province by its value (points; null: no data) against the threshold. */
export function colourProvinces(map: maplibregl.Map, values: ReadonlyMap<string, number | null>, threshold: number): void {
  for (const [code, value] of values) map.setFeatureState({ source: PROVINCES_SOURCE_ID, id: code }, { value, miss: value !== null && value < threshold });
  map.setPaintProperty(PROVINCES_FILL_LAYER_ID, 'fill-color', fillColourExpression(threshold));
}

/** Colours the communes of the tiles by their value; the state waits for tiles not loaded yet. */
export function colourCommuneTiles(map: maplibregl.Map, values: ReadonlyMap<string, number | null>, threshold: number): void {
  for (const [code, value] of values) map.setFeatureState({ source: COMMUNE_TILES_SOURCE_ID, sourceLayer: COMMUNE_TILES_LAYER, id: code }, { value });
  map.setPaintProperty(COMMUNES_FILL_LAYER_ID, 'fill-color', fillColourExpression(threshold));
}

/** Opens one province (its communes drawn, the others faded) or none (the country). */
export function openProvince(map: maplibregl.Map, codes: readonly string[], open: string | null): void {
  for (const code of codes) map.setFeatureState({ source: PROVINCES_SOURCE_ID, id: code }, { open: code === open, faded: open !== null && code !== open });
  for (const layer of [COMMUNES_FILL_LAYER_ID, COMMUNES_LINE_LAYER_ID, COMMUNES_SELECTED_LAYER_ID]) {
    map.setFilter(layer, ofProvince(open));
    // Hidden, the layers leave the source unused: the country's view asks for no commune tile
    // (a z5 tile of the whole country is about 430 kB: test/bench/README.md).
    map.setLayoutProperty(layer, 'visibility', open ? 'visible' : 'none');
  }
}

/** Keeps one feature-state flag on at most one feature of a source. */
export function createTileFlag(map: maplibregl.Map, target: { source: string; sourceLayer?: string }, key: 'selected' | 'hover'): (code: string | null) => boolean {
  let current: string | null = null;
  return (code) => {
    if (code === current) return false;
    if (current !== null) map.setFeatureState({ ...target, id: current }, { [key]: false });
    current = code;
    if (code !== null) map.setFeatureState({ ...target, id: code }, { [key]: true });
    return true;
  };
}

/** What is drawn at a point: a commune of the open province, else a province. */
export function placeAt(map: maplibregl.Map, point: maplibregl.PointLike): { kind: 'commune' | 'province'; code: string } | null {
  const [commune] = map.queryRenderedFeatures(point, { layers: [COMMUNES_FILL_LAYER_ID] });
  if (commune?.id !== undefined) return { kind: 'commune', code: String(commune.id) };
  const [province] = map.queryRenderedFeatures(point, { layers: [PROVINCES_FILL_LAYER_ID] });
  return province?.id !== undefined ? { kind: 'province', code: String(province.id) } : null;
}
