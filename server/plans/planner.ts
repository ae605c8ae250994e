/**
 * A plan: the sites to build, in order, until a coverage target is met. The order comes from
 * greedy maximum coverage on demand points (greedy.ts); every figure it reports comes from the
 * coverage engine itself: after each site, the communes its footprint reaches are recomputed by
 * the engine with the radios on air plus the sites so far, so `cumulative` is exactly what a
 * scenario of those sites gives, and `sitesNeeded` is the first site at which the engine's figure
 * meets the threshold (the figure only grows as sites are added). Pure: data in, result out.
 */
import type { FootprintStrips, Technology } from '../coverage/engine/index';
import type { TerrainModel } from '../coverage/coverage.inputs';
import type { EngineRadio, EvaluationModel, EvaluatorCommune, KnownOperators, PopulationModel, RadioRow } from '../scenarios/evaluator';
import { boxOf, type Box } from '../scenarios/locate';
import { metresPerDegreeLat, metresPerDegreeLon } from '../coverage/engine/geodesy';
import { buildCandidates, MIN_NEW_SITE_SPACING_M, type Candidate } from './candidates';
import { buildDemandGrid, forEachPointIn, DEMAND_SPACING_M, type DemandGrid } from './demand';
import { lazyGreedy, type CoverageInstance } from './greedy';

export interface PlanRequest {
  technology: Technology;
  weight: 'population' | 'area';
  /** Percentage points. */
  threshold: number;
  operator: string;
  candidates: 'upgrade' | 'new' | 'both';
  maxSites: number | null;
  /** Commune codes; null: the province. */
  scope: string[] | null;
}

export interface PlanInput {
  communes: EvaluatorCommune[];
  rows: RadioRow[];
  known: KnownOperators;
  request: PlanRequest;
  /**
   * The terrain footprints of the radios on air of the plan's technology, by radio id, as the
   * official figures have them (null: flat disc); absent on flat ground. Given, not recomputed:
   * only the candidates' footprints are computed by the plan.
   */
  strips?: ReadonlyMap<number, FootprintStrips | null>;
}

export interface PlanFigure {
  value: number;
  coveredPopulation: number;
  population: number;
  coveredKm2: number;
  areaKm2: number;
  met: boolean;
}

export interface PlanSite {
  rank: number;
  kind: 'upgrade' | 'new';
  stationId: number | null;
  lon: number;
  lat: number;
  operator: string;
  technology: Technology;
  bandMhz: number;
  heightM: number;
  communeCode: string;
  /** People (engine) this site adds to what the earlier ones and the stations on air cover. */
  peopleAdded: number;
  areaAddedKm2: number;
  /** The engine's figure with this site and the earlier ones. */
  cumulative: { value: number; coveredPopulation: number; coveredKm2: number };
}

export interface PlanResult {
  technology: Technology;
  metric: string;
  threshold: number;
  operator: string;
  candidatesKind: PlanRequest['candidates'];
  scope: string[] | null;
  populationModel: PopulationModel;
  terrainModel: TerrainModel;
  modelVersion: string;
  before: PlanFigure;
  after: PlanFigure;
  reached: boolean;
  sitesNeeded: number | null;
  reason: string | null;
  candidates: { upgrade: number; new: number; total: number };
  grids: { demandSpacingM: number; demandPoints: number; newSiteSpacing: string };
  sites: PlanSite[];
  /** Communes whose figure the sites move, with the figure before and after. */
  communes: Array<{ code: string; before: number; after: number; metBefore: boolean; metAfter: boolean }>;
  timings: { setupMs: number; greedyMs: number };
}

const EPS = 1e-9;

/** The box of a radio's flat disc: a terrain footprint lies within it. */
function footprintBox(r: Pick<EngineRadio, 'lon' | 'lat' | 'radiusM'>): Box {
  const dLat = r.radiusM / metresPerDegreeLat(r.lat);
  const dLon = (1.001 * r.radiusM) / metresPerDegreeLon(Math.min(89, Math.abs(r.lat) + dLat));
  return [r.lon - dLon, r.lat - dLat, r.lon + dLon, r.lat + dLat];
}
const meets = (a: Box, b: Box) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

export function planSites(input: PlanInput, model: EvaluationModel, onProgress: (percent: number) => void = () => {}): PlanResult {
  const t0 = Date.now();
  const q = input.request;
  const T = q.technology;
  const byCode = new Map(input.communes.map((c) => [c.code, c]));
  const scope = q.scope ? q.scope.map((code) => byCode.get(code)!).filter(Boolean) : input.communes;
  const scopeCodes = new Set(scope.map((c) => c.code));
  const boxes = scope.map((c) => boxOf(c.geometry));
  // One label for every radio: only the all-operator union is counted, and the engine then emits one group.
  const one = (radios: EngineRadio[]) => radios.map((r) => ({ ...r, operator: 'plan' }));
  const options = { technologies: [T], operators: { [T]: [] } as unknown as KnownOperators };
  const base = one(model.toEngineRadios(input.rows.filter((r) => r.technology === T), byCode, input.strips ? { strips: input.strips } : {}));
  const baseOf = scope.map((_, i) => base.filter((r) => r.radiusM > 0 && meets(footprintBox(r), boxes[i])));

  const covered = new Float64Array(scope.length); // people or km² covered, per scope commune
  const coveredPeople = new Float64Array(scope.length);
  const coveredKm2 = new Float64Array(scope.length);
  const total = scope.map((c) => (q.weight === 'population' ? c.population : c.areaKm2));
  const evaluate = (i: number, extra: readonly EngineRadio[]) => {
    const f = model.compute([scope[i]], [...baseOf[i], ...extra], options).find((x) => x.operator === 'all')!;
    coveredPeople[i] = f.coveredPopulation;
    coveredKm2[i] = f.coveredKm2;
    covered[i] = q.weight === 'population' ? f.coveredPopulation : f.coveredKm2;
  };
  scope.forEach((_, i) => evaluate(i, []));
  const sum = (xs: ArrayLike<number>) => { let s = 0; for (let i = 0; i < xs.length; i++) s += xs[i]; return s; };
  const totalWeight = sum(total);
  const valueOf = () => (totalWeight > 0 ? (100 * sum(covered)) / totalWeight : 0);
  const communeValue = (i: number) => (total[i] > 0 ? (100 * covered[i]) / total[i] : 0);
  const figure = (): PlanFigure => {
    const value = valueOf();
    return { value, coveredPopulation: sum(coveredPeople), population: sum(scope.map((c) => c.population)), coveredKm2: sum(coveredKm2), areaKm2: sum(scope.map((c) => c.areaKm2)), met: value >= q.threshold - EPS };
  };
  const before = figure();
  const beforeCommune = scope.map((_, i) => communeValue(i));
  onProgress(3);

  const density = model.densityFor(input.communes);
  const grid = buildDemandGrid(scope, density);
  const missing = scope.filter((_, i) => beforeCommune[i] < q.threshold - EPS);
  const candidates = buildCandidates(input.rows, byCode, model, density, { technology: T, operator: q.operator, kinds: q.candidates, scope: scopeCodes, missing });
  const candidateRadios = (() => {
    const rows = candidates.flatMap((c) => c.rows);
    const radios = one(model.toEngineRadios(rows, byCode));
    const out: EngineRadio[][] = [];
    let k = 0;
    for (const c of candidates) out.push(radios.slice(k, (k += c.rows.length)));
    return out;
  })();
  const instance = coverageInstance(grid, base, candidateRadios, q.weight);
  onProgress(8);
  const t1 = Date.now();

  const chosenOf: EngineRadio[][] = scope.map(() => []);
  const sites: PlanSite[] = [];
  let reached = before.met;
  const startValue = before.value;
  const progress = () => onProgress(8 + 91 * Math.min(1, Math.max(0, (valueOf() - startValue) / Math.max(EPS, q.threshold - startValue))));
  if (!reached) {
    for (const step of lazyGreedy(instance)) {
      if (q.maxSites !== null && sites.length >= q.maxSites) break;
      const cand = candidates[step.candidate];
      const radios = candidateRadios[step.candidate];
      const peopleBefore = sum(coveredPeople);
      const km2Before = sum(coveredKm2);
      const fboxes = radios.filter((r) => r.radiusM > 0).map(footprintBox);
      scope.forEach((_, i) => {
        if (!fboxes.some((b) => meets(b, boxes[i]))) return;
        chosenOf[i].push(...radios);
        evaluate(i, chosenOf[i]);
      });
      const value = valueOf();
      sites.push({
        rank: sites.length + 1, kind: cand.kind, stationId: cand.stationId, lon: cand.lon, lat: cand.lat, operator: cand.operator, technology: T,
        bandMhz: cand.bandMhz, heightM: cand.heightM, communeCode: cand.communeCode,
        peopleAdded: sum(coveredPeople) - peopleBefore, areaAddedKm2: sum(coveredKm2) - km2Before,
        cumulative: { value, coveredPopulation: sum(coveredPeople), coveredKm2: sum(coveredKm2) },
      });
      if (sites.length % 10 === 0) progress();
      if (value >= q.threshold - EPS) { reached = true; break; }
    }
  }
  const after = figure();
  let reason: string | null = null;
  if (!reached) {
    reason = q.maxSites !== null && sites.length >= q.maxSites
      ? `maxSites (${q.maxSites}) reached at ${after.value.toFixed(3)} %, short of ${q.threshold} %`
      : `every candidate that adds anything is used: the best the ${candidates.length} candidates reach is ${after.value.toFixed(3)} %, short of ${q.threshold} %`;
  }
  const communes = scope.flatMap((c, i) => {
    const a = communeValue(i);
    return Math.abs(a - beforeCommune[i]) > EPS
      ? [{ code: c.code, before: beforeCommune[i], after: a, metBefore: beforeCommune[i] >= q.threshold - EPS, metAfter: a >= q.threshold - EPS }]
      : [];
  });
  onProgress(100);
  return {
    technology: T, metric: `${T.toLowerCase()}_${q.weight}_pct`, threshold: q.threshold, operator: q.operator, candidatesKind: q.candidates, scope: q.scope,
    populationModel: model.populationModel(), terrainModel: model.terrainModel(), modelVersion: model.modelVersion,
    before, after, reached, sitesNeeded: reached ? sites.length : null, reason,
    candidates: { upgrade: candidates.filter((c) => c.kind === 'upgrade').length, new: candidates.filter((c) => c.kind === 'new').length, total: candidates.length },
    grids: {
      demandSpacingM: grid.spacingM, demandPoints: grid.count,
      newSiteSpacing: `square grid per commune missing the target, spaced by the candidate's footprint radius there (at least ${MIN_NEW_SITE_SPACING_M} m), populated points only`,
    },
    sites, communes, timings: { setupMs: t1 - t0, greedyMs: Date.now() - t1 },
  };
}

/** Demand weights (0 where the radios on air already cover) and each candidate's covered points (by strips where a radio has them). */
export function coverageInstance(grid: DemandGrid, onAir: readonly EngineRadio[], candidates: readonly EngineRadio[][], weight: 'population' | 'area'): CoverageInstance {
  const weights = Float64Array.from(weight === 'population' ? grid.people : grid.areaKm2);
  for (const r of onAir) forEachPointIn(grid, r, (p) => { weights[p] = 0; });
  const stamp = new Int32Array(grid.count).fill(-1);
  const covers = candidates.map((radios, c) => {
    const list: number[] = [];
    for (const r of radios) forEachPointIn(grid, r, (p) => {
      if (stamp[p] !== c && weights[p] > 0) { stamp[p] = c; list.push(p); }
    });
    return Int32Array.from(list);
  });
  return { weights, covers };
}

export { DEMAND_SPACING_M, type Candidate };
