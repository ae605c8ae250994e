// Two server-computed overlays: the union of the footprints of one technology and operator
// (GET /api/coverage/layer) and the part of the selected commune that no footprint reaches
// (GET /api/communes/:code/gaps), hatched. PostGIS does the unions; the page only draws them.
import type * as maplibregl from 'maplibre-gl';
import { api } from '../api';
import type { Technology } from '../../server/contract/rules';
import type { Bbox } from './bbox';
import { COMMUNES_MISS_LAYER_ID } from './communes-layer';

export const COVERAGE_SOURCE_ID = 'coverage';
export const COVERAGE_FILL_LAYER_ID = 'coverage-fill';
export const GAPS_SOURCE_ID = 'gaps';
export const GAPS_FILL_LAYER_ID = 'gaps-fill';
export const COVERAGE_COLOUR = '#3f2a87';
export const GAPS_COLOUR = '#1a202c';
const HATCH_IMAGE = 'phusong-hatch';
const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
/** The server refuses layers over more than 4 square degrees. */
const MAX_LAYER_DEG2 = 4;

/** Diagonal stripes drawn in memory (no sprite is fetched). */
function addHatch(map: maplibregl.Map): void {
  const size = 12;
  const data = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const on = (x + y) % size < 3;
      data.set(on ? [26, 32, 44, 230] : [255, 255, 255, 70], (y * size + x) * 4);
    }
  }
  map.addImage(HATCH_IMAGE, { width: size, height: size, data }, { pixelRatio: 1 });
}

export function addCoverageLayers(map: maplibregl.Map, attribution: string): void {
  addHatch(map);
  map.addSource(COVERAGE_SOURCE_ID, { type: 'geojson', data: EMPTY, attribution });
  map.addSource(GAPS_SOURCE_ID, { type: 'geojson', data: EMPTY });
  map.addLayer(
    { id: COVERAGE_FILL_LAYER_ID, type: 'fill', source: COVERAGE_SOURCE_ID, paint: { 'fill-color': COVERAGE_COLOUR, 'fill-opacity': 0.35 } },
    COMMUNES_MISS_LAYER_ID,
  );
  map.addLayer(
    { id: 'coverage-line', type: 'line', source: COVERAGE_SOURCE_ID, paint: { 'line-color': COVERAGE_COLOUR, 'line-width': 1.2 } },
    COMMUNES_MISS_LAYER_ID,
  );
  map.addLayer({ id: GAPS_FILL_LAYER_ID, type: 'fill', source: GAPS_SOURCE_ID, paint: { 'fill-pattern': HATCH_IMAGE } }, COMMUNES_MISS_LAYER_ID);
  map.addLayer(
    { id: 'gaps-line', type: 'line', source: GAPS_SOURCE_ID, paint: { 'line-color': GAPS_COLOUR, 'line-width': 1 } },
    COMMUNES_MISS_LAYER_ID,
  );
}

function setData(map: maplibregl.Map, id: string, data: GeoJSON.GeoJSON): void {
  (map.getSource(id) as maplibregl.GeoJSONSource | undefined)?.setData(data);
}

export interface OverlayQuery {
  technology: Technology;
  operator: string;
  asOf: string | null;
}

/**
 * Keeps the coverage overlay in step with the view: the whole province is asked once per
 * technology, operator and date (a union is slow to compute but small to send), or only the view
 * when zoomed in far.
 */
export type OverlayStatus = 'idle' | 'empty' | 'loading' | 'error';

export function createCoverageOverlay(map: maplibregl.Map, provinceBbox: Bbox, onStatus: (s: OverlayStatus, detail?: string) => void) {
  const cache = new Map<string, GeoJSON.FeatureCollection>();
  let wanted: OverlayQuery | null = null;
  let controller: AbortController | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const keyOf = (q: OverlayQuery, bbox: Bbox) => `${q.technology}|${q.operator}|${q.asOf ?? ''}|${bbox.map((n) => n.toFixed(3)).join(',')}`;

  function viewBbox(): Bbox {
    const b = map.getBounds();
    const clip: Bbox = [
      Math.max(b.getWest(), provinceBbox[0]), Math.max(b.getSouth(), provinceBbox[1]),
      Math.min(b.getEast(), provinceBbox[2]), Math.min(b.getNorth(), provinceBbox[3]),
    ];
    return clip[0] < clip[2] && clip[1] < clip[3] ? clip : provinceBbox;
  }

  async function load(): Promise<void> {
    if (!wanted) return;
    const q = wanted;
    const province = keyOf(q, provinceBbox);
    const shown = (fc: GeoJSON.FeatureCollection) => {
      setData(map, COVERAGE_SOURCE_ID, fc);
      // An empty answer is said, not silently drawn as nothing.
      onStatus(fc.features.length ? 'idle' : 'empty');
    };
    if (cache.has(province)) return shown(cache.get(province)!);
    const view = viewBbox();
    const area = (b: Bbox) => (b[2] - b[0]) * (b[3] - b[1]);
    const bbox = area(view) < area(provinceBbox) / 4 ? view : provinceBbox;
    if (area(bbox) > MAX_LAYER_DEG2) return;
    const key = keyOf(q, bbox);
    if (cache.has(key)) return shown(cache.get(key)!);
    controller?.abort();
    controller = new AbortController();
    onStatus('loading');
    try {
      const fc = await api.coverageLayer(bbox, q, controller.signal);
      cache.set(key, fc);
      if (wanted === q) shown(fc);
    } catch (err) {
      if ((err as Error).name === 'AbortError') return;
      onStatus('error', (err as Error).message);
    }
  }

  map.on('moveend', () => {
    if (!wanted) return;
    clearTimeout(timer);
    timer = setTimeout(() => void load(), 400);
  });

  return {
    /** Shows the coverage of `q`, or nothing when null. */
    show(q: OverlayQuery | null): void {
      wanted = q;
      if (!q) {
        controller?.abort();
        setData(map, COVERAGE_SOURCE_ID, EMPTY);
        onStatus('idle');
        return;
      }
      void load();
    },
  };
}

/** Hatches the part of a commune the technology (and operator) does not reach on the date. */
export function createGapOverlay(map: maplibregl.Map, onResult: (uncoveredKm2: number | null, error?: string) => void) {
  let controller: AbortController | null = null;
  return {
    show(code: string | null, q: OverlayQuery | null): void {
      controller?.abort();
      if (!code || !q) {
        setData(map, GAPS_SOURCE_ID, EMPTY);
        onResult(null);
        return;
      }
      controller = new AbortController();
      api
        .gap(code, q, controller.signal)
        .then((feature) => {
          setData(map, GAPS_SOURCE_ID, feature.geometry ? (feature as GeoJSON.Feature) : EMPTY);
          onResult(feature.properties.uncoveredKm2);
        })
        .catch((err: Error) => {
          if (err.name !== 'AbortError') onResult(null, err.message);
        });
    },
  };
}
