// The population density as the coverage figures use it (GET /api/population/density): each
// commune's official population spread over it by the population grid, people/km² per piece of
// grid cell, as a fill with a sequential ramp, a small legend of its own and the grid's credit in
// the map's attribution (MapLibre credits a source only while one of its layers is visible).
import type * as maplibregl from 'maplibre-gl';
import type { ExpressionSpecification } from 'maplibre-gl';
import { getJson } from '../api';
import type { PopulationDensityAnswer } from '../../server/population/population.schema';
import type { Messages } from '../i18n';

export const POPULATION_SOURCE_ID = 'population';
export const POPULATION_FILL_LAYER_ID = 'population-fill';

/** [people/km², colour]: ColorBrewer YlOrBr, steps roughly doubling (rural valleys to town centres). */
export const DENSITY_STOPS: ReadonlyArray<readonly [number, string]> = [
  [0, '#ffffe5'], [50, '#fee391'], [200, '#fec44f'], [500, '#fe9929'], [1000, '#ec7014'], [2000, '#cc4c02'], [5000, '#8c2d04'],
];

function fillColour(): ExpressionSpecification {
  return ['interpolate', ['linear'], ['get', 'densityPerKm2'], ...DENSITY_STOPS.flat()] as unknown as ExpressionSpecification;
}

export type PopulationStatus = 'hidden' | 'loading' | 'shown' | 'error';

/**
 * The layer, fetched the first time it is shown, drawn under `beforeLayerId`. `show(false)` hides
 * it (and its credit); `relabel` redraws the legend in another language.
 */
export function createPopulationOverlay(map: maplibregl.Map, beforeLayerId: string, initial: Messages) {
  let m = initial;
  let loaded: Promise<PopulationDensityAnswer> | null = null;
  let answer: PopulationDensityAnswer | null = null;
  let visible = false;
  let status: PopulationStatus = 'hidden';
  const legend = document.createElement('div');
  legend.className = 'population-legend';
  legend.id = 'population-legend';
  legend.hidden = true;
  map.getContainer().append(legend);

  function drawLegend(): void {
    legend.hidden = status === 'hidden';
    const title = document.createElement('p');
    title.className = 'population-legend-title';
    title.textContent = m.populationLegend;
    const bar = document.createElement('div');
    bar.className = 'population-legend-bar';
    bar.setAttribute('aria-hidden', 'true');
    const max = DENSITY_STOPS[DENSITY_STOPS.length - 1][0];
    bar.style.background = `linear-gradient(to right, ${DENSITY_STOPS.map(([, c], i) => `${c} ${(100 * i) / (DENSITY_STOPS.length - 1)}%`).join(', ')})`;
    const ticks = document.createElement('div');
    ticks.className = 'population-legend-ticks';
    for (const [v] of DENSITY_STOPS) {
      const t = document.createElement('span');
      t.textContent = v === max ? `${v.toLocaleString(m.locale)}+` : v.toLocaleString(m.locale);
      ticks.append(t);
    }
    const note = document.createElement('p');
    note.className = 'population-legend-note';
    note.textContent = status === 'loading' ? m.populationLoading
      : status === 'error' ? m.populationFailed
      : answer ? `${answer.populationModel.name}${answer.populationModel.licence ? `, ${answer.populationModel.licence}` : ''}. ${m.populationNote}` : '';
    legend.replaceChildren(title, bar, ticks, note);
  }

  function setStatus(s: PopulationStatus): void {
    status = s;
    legend.dataset.status = s;
    drawLegend();
  }

  async function show(on: boolean): Promise<void> {
    visible = on;
    if (map.getLayer(POPULATION_FILL_LAYER_ID)) map.setLayoutProperty(POPULATION_FILL_LAYER_ID, 'visibility', on ? 'visible' : 'none');
    if (!on) return setStatus('hidden');
    if (answer) return setStatus('shown');
    setStatus('loading');
    loaded ??= getJson<PopulationDensityAnswer>('/api/population/density');
    try {
      answer = await loaded;
    } catch (err) {
      loaded = null;
      console.warn('population density failed', err);
      if (visible) setStatus('error');
      return;
    }
    if (!map.getSource(POPULATION_SOURCE_ID)) {
      // The answer's own credit (WorldPop, CC BY 4.0, for the default grid) goes to the attribution.
      map.addSource(POPULATION_SOURCE_ID, { type: 'geojson', data: answer as unknown as GeoJSON.FeatureCollection, attribution: answer.attribution });
      map.addLayer(
        { id: POPULATION_FILL_LAYER_ID, type: 'fill', source: POPULATION_SOURCE_ID, paint: { 'fill-color': fillColour(), 'fill-opacity': 0.7 } },
        map.getLayer(beforeLayerId) ? beforeLayerId : undefined,
      );
    }
    map.setLayoutProperty(POPULATION_FILL_LAYER_ID, 'visibility', visible ? 'visible' : 'none');
    setStatus(visible ? 'shown' : 'hidden');
  }

  return {
    show: (on: boolean) => void show(on),
    relabel(next: Messages): void {
      m = next;
      drawLegend();
    },
  };
}
