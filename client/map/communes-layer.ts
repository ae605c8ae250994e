// The communes: one GeoJSON source and its layers — the choropleth fill (the metric's value is a
// feature-state, so changing metric, date or target never re-tiles the polygons), white borders,
// a dark outline on those that miss the target, and outlines for the selected and hovered one.
import type * as maplibregl from 'maplibre-gl';
import type { CommuneSummary, CommunesGeoJson } from '../../server/contract/answers';
import { fillColourExpression, MISS_OUTLINE_COLOUR } from './choropleth';

export const COMMUNES_SOURCE_ID = 'communes';
export const COMMUNES_FILL_LAYER_ID = 'communes-fill';
export const COMMUNES_LINE_LAYER_ID = 'communes-line';
export const COMMUNES_MISS_LAYER_ID = 'communes-miss-line';
export const COMMUNES_SELECTED_LAYER_ID = 'communes-selected-line';
export const COMMUNES_HOVER_LAYER_ID = 'communes-hover-line';

/** Fill opacity at rest and under the pointer. */
export const FILL_OPACITY = { rest: 0.82, hover: 0.95 };
/** Line widths in pixels by zoom, [zoom, width] (the static first frame draws the same). */
export const BORDER_WIDTH_BY_ZOOM: Array<[number, number]> = [[8, 0.6], [12, 1.5]];
export const MISS_WIDTH_BY_ZOOM: Array<[number, number]> = [[7, 1], [12, 2.2]];
export const MISS_OPACITY = 0.9;
const HOVER_OUTLINE_COLOUR = '#102a43';
const SELECTED_OUTLINE_COLOUR = '#1a56db';

const widthByZoom = (stops: Array<[number, number]>): maplibregl.ExpressionSpecification =>
  ['interpolate', ['linear'], ['zoom'], ...stops.flat()] as maplibregl.ExpressionSpecification;
const state = (key: string): maplibregl.ExpressionSpecification => ['boolean', ['feature-state', key], false];

export function addCommunesLayer(map: maplibregl.Map, data: CommunesGeoJson, attribution: string, threshold: number): void {
  map.addSource(COMMUNES_SOURCE_ID, {
    type: 'geojson',
    data,
    // feature-state needs an id; the official 5-digit code is the stable one.
    promoteId: 'code',
    attribution,
  });
  map.addLayer({
    id: COMMUNES_FILL_LAYER_ID,
    type: 'fill',
    source: COMMUNES_SOURCE_ID,
    paint: {
      'fill-color': fillColourExpression(threshold),
      'fill-opacity': ['case', state('hover'), FILL_OPACITY.hover, FILL_OPACITY.rest],
    },
  });
  map.addLayer({
    id: COMMUNES_LINE_LAYER_ID,
    type: 'line',
    source: COMMUNES_SOURCE_ID,
    paint: { 'line-color': '#ffffff', 'line-width': widthByZoom(BORDER_WIDTH_BY_ZOOM) },
  });
  map.addLayer({
    id: COMMUNES_MISS_LAYER_ID,
    type: 'line',
    source: COMMUNES_SOURCE_ID,
    paint: {
      'line-color': MISS_OUTLINE_COLOUR,
      'line-width': widthByZoom(MISS_WIDTH_BY_ZOOM),
      'line-opacity': ['case', state('miss'), MISS_OPACITY, 0],
    },
  });
  map.addLayer({
    id: COMMUNES_SELECTED_LAYER_ID,
    type: 'line',
    source: COMMUNES_SOURCE_ID,
    paint: { 'line-color': SELECTED_OUTLINE_COLOUR, 'line-width': 3.5, 'line-opacity': ['case', state('selected'), 1, 0] },
  });
  // Drawn last, so neighbours' outlines never cover the hovered one.
  map.addLayer({
    id: COMMUNES_HOVER_LAYER_ID,
    type: 'line',
    source: COMMUNES_SOURCE_ID,
    paint: { 'line-color': HOVER_OUTLINE_COLOUR, 'line-width': 2, 'line-opacity': ['case', state('hover'), 1, 0] },
  });
}

/** Swaps the communes' geometry (same features, same ids): colours and flags are kept. */
export function setCommunesGeometry(map: maplibregl.Map, data: CommunesGeoJson): void {
  (map.getSource(COMMUNES_SOURCE_ID) as maplibregl.GeoJSONSource | undefined)?.setData(data);
}

/** Colours every commune by its value (points, null: no data) against the threshold. */
export function setChoropleth(map: maplibregl.Map, codes: Iterable<string>, valueOf: (code: string) => number | null, threshold: number): void {
  for (const code of codes) {
    const value = valueOf(code);
    map.setFeatureState({ source: COMMUNES_SOURCE_ID, id: code }, { value, miss: value !== null && value < threshold });
  }
  map.setPaintProperty(COMMUNES_FILL_LAYER_ID, 'fill-color', fillColourExpression(threshold));
}

/** Keeps one feature-state flag (`selected`, `hover`) on at most one commune. */
export function createFlag(map: maplibregl.Map, key: 'selected' | 'hover'): (code: string | null) => boolean {
  let current: string | null = null;
  return (code) => {
    if (code === current) return false;
    if (current !== null) map.setFeatureState({ source: COMMUNES_SOURCE_ID, id: current }, { [key]: false });
    current = code;
    if (code !== null) map.setFeatureState({ source: COMMUNES_SOURCE_ID, id: code }, { [key]: true });
    return true;
  };
}

/** The commune drawn at a screen point, by its code. */
export function communeAt(map: maplibregl.Map, point: maplibregl.PointLike): string | null {
  const [hit] = map.queryRenderedFeatures(point, { layers: [COMMUNES_FILL_LAYER_ID] });
  return hit?.id === undefined ? null : String(hit.id);
}

/**
 * Hover: the outline and a tooltip-like status line name the commune under the pointer. The
 * properties handed out come from the fetched GeoJSON, not from the rendered tiles.
 */
export function createCommuneHighlighter(
  map: maplibregl.Map,
  byCode: ReadonlyMap<string, CommuneSummary>,
  onChange: (commune: CommuneSummary | null) => void,
): { highlightAt(point: maplibregl.PointLike | null): void } {
  const flag = createFlag(map, 'hover');
  return {
    highlightAt(point) {
      const code = point === null ? null : communeAt(map, point);
      if (flag(code)) onChange(code === null ? null : (byCode.get(code) ?? null));
    },
  };
}
