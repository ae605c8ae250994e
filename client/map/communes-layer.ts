// The communes: one GeoJSON source and three layers (fill by kind, outline, hover outline).
// Issue 6 turns the fill into a choropleth of a coverage metric; it only has to replace
// `fillColour()` and keep the ids below.
import type * as maplibregl from 'maplibre-gl';
import type { CommuneKind, CommuneProperties, CommunesGeoJson } from '../api';

export const COMMUNES_SOURCE_ID = 'communes';
export const COMMUNES_FILL_LAYER_ID = 'communes-fill';
export const COMMUNES_LINE_LAYER_ID = 'communes-line';
export const COMMUNES_HOVER_LAYER_ID = 'communes-hover-line';

/** Fill colours by kind; the legend reads the same table. */
export const KIND_COLOURS: Record<CommuneKind, string> = {
  phuong: '#e58f4f',
  xa: '#9cc79a',
  // Special zones (đặc khu) are islands elsewhere in Vietnam; none in Phú Thọ.
  dac_khu: '#8fb3d9',
};

/** Fill opacity at rest and under the pointer. */
export const FILL_OPACITY = { rest: 0.75, hover: 0.95 };
const HOVER_OUTLINE_COLOUR = '#102a43';

function fillColour(): maplibregl.ExpressionSpecification {
  return ['match', ['get', 'kind'], 'phuong', KIND_COLOURS.phuong, 'dac_khu', KIND_COLOURS.dac_khu, KIND_COLOURS.xa];
}

const isHovered: maplibregl.ExpressionSpecification = ['boolean', ['feature-state', 'hover'], false];

export function addCommunesLayer(map: maplibregl.Map, data: CommunesGeoJson, attribution: string): void {
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
      'fill-color': fillColour(),
      'fill-opacity': ['case', isHovered, FILL_OPACITY.hover, FILL_OPACITY.rest],
    },
  });
  map.addLayer({
    id: COMMUNES_LINE_LAYER_ID,
    type: 'line',
    source: COMMUNES_SOURCE_ID,
    paint: { 'line-color': '#ffffff', 'line-width': ['interpolate', ['linear'], ['zoom'], 8, 0.6, 12, 1.5] },
  });
  // A separate layer drawn last, so neighbours' outlines never cover the hovered one.
  map.addLayer({
    id: COMMUNES_HOVER_LAYER_ID,
    type: 'line',
    source: COMMUNES_SOURCE_ID,
    paint: {
      'line-color': HOVER_OUTLINE_COLOUR,
      'line-width': 2.5,
      'line-opacity': ['case', isHovered, 1, 0],
    },
  });
}

/**
 * Keeps the `hover` feature-state on at most one commune and reports changes.
 * The properties handed out come from the fetched GeoJSON, not from the rendered tiles, so
 * numbers and nulls arrive exactly as the API sent them.
 */
export function createCommuneHighlighter(
  map: maplibregl.Map,
  byCode: ReadonlyMap<string, CommuneProperties>,
  onChange: (commune: CommuneProperties | null) => void,
): { highlightAt(point: maplibregl.PointLike | null): void } {
  let current: string | null = null;
  const set = (code: string | null): void => {
    if (code === current) return;
    if (current !== null) map.setFeatureState({ source: COMMUNES_SOURCE_ID, id: current }, { hover: false });
    current = code;
    if (code !== null) map.setFeatureState({ source: COMMUNES_SOURCE_ID, id: code }, { hover: true });
    onChange(code === null ? null : (byCode.get(code) ?? null));
  };
  return {
    highlightAt(point) {
      if (point === null) return set(null);
      const [hit] = map.queryRenderedFeatures(point, { layers: [COMMUNES_FILL_LAYER_ID] });
      set(hit?.id === undefined ? null : String(hit.id));
    },
  };
}
