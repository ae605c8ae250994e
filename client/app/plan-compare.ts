// The Plan tab's compare view: a saved scenario's coverage (GET /api/scenarios/:id/coverage) per
// commune, and the communes coloured today, with the scenario, or by the difference. While it
// colours them it owns the choropleth; `restore` gives the map back to the page's own figures.
import type * as maplibregl from 'maplibre-gl';
import { differenceExtent, scenarioChanges, scenarioValues, type CommuneChange, type ScenarioValue } from '../data/plan';
import { planApi, type PlanResult } from '../data/plan-api';
import { showCompareValues, showDifference } from '../map/plan-layer';
import type { PlanResultModel, CompareView } from '../ui/plan-result';

export interface CompareController {
  readonly state: PlanResultModel['compare'];
  /** Today's and the scenario's values are loaded. */
  readonly loaded: boolean;
  readonly painted: boolean;
  /** The scale's half-width for the difference, points. */
  extent(): number;
  /** Per commune, today against the scenario (null until loaded). */
  changes(): CommuneChange[] | null;
  /** Asks for the scenario's coverage; a failure is kept as `describe` words it. */
  load(token: string, scenarioId: number, result: PlanResult, describe: (err: unknown) => string): Promise<void>;
  setView(view: CompareView): void;
  /** Colours the communes when `on` and loaded, else gives the map back (once). */
  paint(on: boolean, result: PlanResult | null): void;
  reset(): void;
}

export function createCompare(map: maplibregl.Map, codes: () => Iterable<string>, restore: () => void): CompareController {
  let values: Map<string, ScenarioValue> | null = null;
  let state: PlanResultModel['compare'] = { view: 'scenario', status: 'idle', error: null };
  let painted = false;
  let seq = 0;

  const extent = () => differenceExtent([...(values?.values() ?? [])].map((v) => v.difference));

  return {
    get state() {
      return state;
    },
    get loaded() {
      return values !== null;
    },
    get painted() {
      return painted;
    },
    extent,
    changes: () => (values ? scenarioChanges(values) : null),
    async load(token, scenarioId, result, describe) {
      const mine = ++seq;
      state = { ...state, status: 'loading', error: null };
      try {
        const coverage = await planApi.scenarioCoverage(token, scenarioId, result.technology);
        if (mine !== seq) return;
        values = scenarioValues(coverage, result.metric, result.technology);
        state = { ...state, status: 'shown' };
      } catch (err) {
        if (mine === seq) state = { ...state, status: 'error', error: describe(err) };
      }
    },
    setView(view) {
      state = { ...state, view };
    },
    paint(on, result) {
      if (on && result && values && state.status === 'shown') {
        const v = values;
        if (state.view === 'difference') showDifference(map, codes(), (c) => v.get(c)?.difference ?? null, extent());
        else showCompareValues(map, codes(), (c) => (state.view === 'today' ? v.get(c)?.baseline : v.get(c)?.value) ?? null, result.threshold);
        painted = true;
      } else if (painted) {
        painted = false;
        restore();
      }
    },
    reset() {
      seq++;
      values = null;
      state = { view: 'scenario', status: 'idle', error: null };
    },
  };
}
