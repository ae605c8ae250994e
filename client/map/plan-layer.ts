// A plan on the map: its suggested sites as one GeoJSON source (upgrades of existing sites and new
// sites told apart by colour, size and rim), and the compare view's colours of the communes: today
// or with the scenario on the choropleth's own scale, or the difference on a scale of its own.
import type * as maplibregl from 'maplibre-gl';
import type { ExpressionSpecification } from 'maplibre-gl';
import { differenceStops, type SiteKind, type SiteProperties } from '../data/plan';
import { NO_DATA_COLOUR } from './choropleth';
import { COMMUNES_FILL_LAYER_ID, COMMUNES_SOURCE_ID, setChoropleth } from './communes-layer';

export const PLAN_SOURCE_ID = 'plan-sites';
export const PLAN_LAYER_ID = 'plan-sites-circle';

/**
 * Upgrade: a dark dot with a white rim, on the existing site; new: a larger white ring with a dark
 * rim, a site still to be found. Told apart by shape as well as colour, and by neither of the
 * operators' colours nor the choropleth's.
 */
export const SITE_STYLE: Readonly<Record<SiteKind, { colour: string; rim: string }>> = {
  upgrade: { colour: '#1a202c', rim: '#ffffff' },
  new: { colour: '#ffffff', rim: '#1a202c' },
};

const byKind = (u: number | string, n: number | string) => ['match', ['get', 'kind'], 'upgrade', u, n] as unknown as ExpressionSpecification;

export function addPlanLayer(map: maplibregl.Map): void {
  if (map.getSource(PLAN_SOURCE_ID)) return;
  map.addSource(PLAN_SOURCE_ID, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
  map.addLayer({
    id: PLAN_LAYER_ID,
    type: 'circle',
    source: PLAN_SOURCE_ID,
    layout: { 'circle-sort-key': ['-', 0, ['get', 'rank']] },
    paint: {
      'circle-color': byKind(SITE_STYLE.upgrade.colour, SITE_STYLE.new.colour),
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, byKind(3.5, 4.5), 13, byKind(7, 9)],
      'circle-stroke-color': byKind(SITE_STYLE.upgrade.rim, SITE_STYLE.new.rim),
      'circle-stroke-width': byKind(1.5, 2.5),
    },
  });
}

export function setPlanSites(map: maplibregl.Map, data: GeoJSON.FeatureCollection<GeoJSON.Point, SiteProperties> | null): void {
  const source = map.getSource(PLAN_SOURCE_ID) as maplibregl.GeoJSONSource | undefined;
  source?.setData(data ?? { type: 'FeatureCollection', features: [] });
}

/** Shown on top of every layer (the stations' come after the first paint, above it otherwise), or hidden. */
export function showPlanSites(map: maplibregl.Map, visible: boolean): void {
  if (!map.getLayer(PLAN_LAYER_ID)) return;
  map.setLayoutProperty(PLAN_LAYER_ID, 'visibility', visible ? 'visible' : 'none');
  if (visible) map.moveLayer(PLAN_LAYER_ID);
}

/** The suggested site nearest a screen point within `radiusPx`, as its properties and position. */
export function planSiteAt(map: maplibregl.Map, point: maplibregl.PointLike, radiusPx = 8): { properties: SiteProperties; lonLat: [number, number] } | null {
  if (!map.getLayer(PLAN_LAYER_ID) || map.getLayoutProperty(PLAN_LAYER_ID, 'visibility') === 'none') return null;
  const p = Array.isArray(point) ? { x: point[0], y: point[1] } : (point as { x: number; y: number });
  const hits = map.queryRenderedFeatures([[p.x - radiusPx, p.y - radiusPx], [p.x + radiusPx, p.y + radiusPx]], { layers: [PLAN_LAYER_ID] });
  let best: (typeof hits)[number] | null = null;
  let bestD = Infinity;
  for (const f of hits) {
    const at = map.project((f.geometry as GeoJSON.Point).coordinates as [number, number]);
    const d = (at.x - p.x) ** 2 + (at.y - p.y) ** 2;
    if (d < bestD) [best, bestD] = [f, d];
  }
  return best ? { properties: best.properties as SiteProperties, lonLat: (best.geometry as GeoJSON.Point).coordinates as [number, number] } : null;
}

/** The communes coloured by values of the compare view (today's or the scenario's) against the threshold. */
export function showCompareValues(map: maplibregl.Map, codes: Iterable<string>, valueOf: (code: string) => number | null, threshold: number): void {
  setChoropleth(map, codes, valueOf, threshold);
}

/** The communes coloured by the difference (points) on the diverging difference scale; no outline. */
export function showDifference(map: maplibregl.Map, codes: Iterable<string>, differenceOf: (code: string) => number | null, extent: number): void {
  for (const code of codes) map.setFeatureState({ source: COMMUNES_SOURCE_ID, id: code }, { value: differenceOf(code), miss: false });
  const value: ExpressionSpecification = ['feature-state', 'value'];
  const ramp = ['interpolate', ['linear'], ['to-number', value, 0], ...differenceStops(extent).flat()] as unknown as ExpressionSpecification;
  map.setPaintProperty(COMMUNES_FILL_LAYER_ID, 'fill-color', ['case', ['==', ['typeof', value], 'number'], ramp, NO_DATA_COLOUR]);
}
