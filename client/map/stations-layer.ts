// Stations from the server's vector tiles (layer `stations`), one dot per site coloured by
// operator from zoom 9. Below it (a z8 tile of the province would hold nearly every site, a
// large tile drawn as a smear) the server clusters them: one circle per operator and 32 px cell,
// sized by its number of sites (of the chosen technology). A vector-tile source cannot be
// clustered by MapLibre itself (it clusters only GeoJSON sources). Tiles stop at z14 and are
// over-zoomed beyond.
import type * as maplibregl from 'maplibre-gl';
import type { Technology } from '../../server/contract/rules';
import { OPERATORS, OTHER_OPERATOR_COLOUR } from '../data/operators';

export const STATIONS_SOURCE_ID = 'stations';
export const STATIONS_LAYER_ID = 'stations-circle';
export const CLUSTERS_LAYER_ID = 'stations-cluster';
/** The server sends clusters below this zoom (server/tiles/tiles.repo.ts, CLUSTER_BELOW_ZOOM). */
export const STATIONS_SOURCE_LAYER = 'stations';
export const STATIONS_MIN_ZOOM = 9;
const STATIONS_MAX_TILE_ZOOM = 14;
/** The province fills the screen from about zoom 8; below 6 no tile is asked for. */
const CLUSTERS_MIN_ZOOM = 6;

/**
 * Tile URL template. `v` changes when the stations may have changed (the coverage run after an
 * upload), so the browser's 60 s tile cache never shows the old list; `asOf` asks for the
 * stations on air that day (servers that do not know it ignore it).
 */
export function stationTilesUrl(version: string, asOf: string | null): string {
  // Plain concatenation: URL() would percent-encode the {z}/{x}/{y} placeholders.
  const query = new URLSearchParams({ v: version });
  if (asOf) query.set('asOf', asOf);
  return `${location.origin}/tiles/stations/{z}/{x}/{y}.pbf?${query.toString()}`;
}

export function stationsFilter(technology: Technology | 'all', operator: string): maplibregl.FilterSpecification {
  const parts: maplibregl.ExpressionSpecification[] = [];
  // Clusters carry the same operator and t2G…t5G attributes as sites: one filter serves both.
  if (operator !== 'all') parts.push(['==', ['get', 'operator'], operator]);
  if (technology !== 'all') parts.push(['==', ['get', `t${technology}`], true]);
  return ['all', ...parts];
}

export function addStationsLayer(
  map: maplibregl.Map,
  options: { version: string; asOf: string | null; attribution: string; technology: Technology | 'all'; operator: string; visible: boolean },
): void {
  map.addSource(STATIONS_SOURCE_ID, {
    type: 'vector',
    tiles: [stationTilesUrl(options.version, options.asOf)],
    minzoom: CLUSTERS_MIN_ZOOM,
    maxzoom: STATIONS_MAX_TILE_ZOOM,
    // The tiles carry the site's integer id: feature-state and the popup use it.
    attribution: options.attribution,
  });
  const colour = ['match', ['get', 'operator'], ...OPERATORS.flatMap((op) => [op.code, op.colour]), OTHER_OPERATOR_COLOUR] as unknown as maplibregl.ExpressionSpecification;
  map.addLayer({
    id: STATIONS_LAYER_ID,
    type: 'circle',
    source: STATIONS_SOURCE_ID,
    'source-layer': STATIONS_SOURCE_LAYER,
    minzoom: STATIONS_MIN_ZOOM,
    filter: stationsFilter(options.technology, options.operator),
    layout: {
      visibility: options.visible ? 'visible' : 'none',
      // 5G sites on top of the others.
      'circle-sort-key': ['case', ['==', ['get', 't5G'], true], 1, 0],
    },
    paint: {
      'circle-color': colour,
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 9, 2.2, 11, 3.2, 13, 5, 16, 7.5],
      'circle-stroke-color': '#1a202c',
      'circle-stroke-width': ['interpolate', ['linear'], ['zoom'], 9, 0.4, 13, 1],
      'circle-opacity': ['case', ['==', ['get', 'active'], true], 1, 0.45],
      'circle-stroke-opacity': ['case', ['==', ['get', 'active'], true], 1, 0.45],
    },
  });
  map.addLayer({
    id: CLUSTERS_LAYER_ID,
    type: 'circle',
    source: STATIONS_SOURCE_ID,
    'source-layer': STATIONS_SOURCE_LAYER,
    maxzoom: STATIONS_MIN_ZOOM,
    filter: stationsFilter(options.technology, options.operator),
    layout: { visibility: options.visible ? 'visible' : 'none' },
    paint: {
      'circle-color': colour,
      'circle-radius': clusterRadius(options.technology),
      'circle-opacity': 0.75,
      'circle-stroke-color': '#ffffff',
      'circle-stroke-width': 1,
    },
  });
}

/** Area proportional to the number of sites (of the chosen technology): 3 px for one, 14 px for 400. */
function clusterRadius(technology: Technology | 'all'): maplibregl.ExpressionSpecification {
  const n: maplibregl.ExpressionSpecification = technology === 'all' ? ['get', 'count'] : ['get', `n${technology}`];
  return ['interpolate', ['linear'], ['sqrt', ['max', 1, ['to-number', n, 1]]], 1, 3, 20, 14];
}

export function updateStations(
  map: maplibregl.Map,
  s: { technology: Technology | 'all'; operator: string; visible: boolean; version: string; asOf: string | null },
): void {
  if (!map.getLayer(STATIONS_LAYER_ID)) return;
  for (const layer of [STATIONS_LAYER_ID, CLUSTERS_LAYER_ID]) {
    map.setFilter(layer, stationsFilter(s.technology, s.operator));
    map.setLayoutProperty(layer, 'visibility', s.visible ? 'visible' : 'none');
  }
  map.setPaintProperty(CLUSTERS_LAYER_ID, 'circle-radius', clusterRadius(s.technology));
  const source = map.getSource(STATIONS_SOURCE_ID) as maplibregl.VectorTileSource | undefined;
  const tiles = stationTilesUrl(s.version, s.asOf);
  if (source && source.tiles?.[0] !== tiles) source.setTiles([tiles]);
}

/** The station dot (or cluster: `properties.cluster`) nearest a screen point within `radiusPx`, as its tile feature. */
export function stationAt(map: maplibregl.Map, point: maplibregl.Point, radiusPx = 6): maplibregl.MapGeoJSONFeature | null {
  if (!map.getLayer(STATIONS_LAYER_ID)) return null;
  const box: [maplibregl.PointLike, maplibregl.PointLike] = [[point.x - radiusPx, point.y - radiusPx], [point.x + radiusPx, point.y + radiusPx]];
  const hits = map.queryRenderedFeatures(box, { layers: [STATIONS_LAYER_ID, CLUSTERS_LAYER_ID] });
  let best: maplibregl.MapGeoJSONFeature | null = null;
  let bestD = Infinity;
  for (const f of hits) {
    if (f.geometry.type !== 'Point') continue;
    const p = map.project(f.geometry.coordinates as [number, number]);
    const d = (p.x - point.x) ** 2 + (p.y - point.y) ** 2;
    if (d < bestD) [best, bestD] = [f, d];
  }
  return best;
}
