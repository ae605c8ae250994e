/**
 * The planner's maximum-coverage instance of a set of communes on its own, for measuring the
 * greedy against the exact optimum (exact.ts) on district-sized scopes. Pure.
 */
import type { Technology } from '../coverage/engine/index';
import type { EvaluationModel, EvaluatorCommune, RadioRow } from '../scenarios/evaluator';
import { buildCandidates, type Candidate } from './candidates';
import { buildDemandGrid } from './demand';
import type { CoverageInstance } from './greedy';
import { coverageInstance } from './planner';

export interface DistrictInstance {
  instance: CoverageInstance;
  candidates: Candidate[];
  population: number;
  /** People still to cover on the demand points for the scope to reach the threshold. */
  need: number;
}

export function districtInstance(
  communes: readonly EvaluatorCommune[],
  rows: readonly RadioRow[],
  model: EvaluationModel,
  o: { scope: readonly EvaluatorCommune[]; technology: Technology; operator: string; threshold: number; kinds?: 'upgrade' | 'new' | 'both'; communePct: ReadonlyMap<string, number> },
): DistrictInstance {
  const byCode = new Map(communes.map((c) => [c.code, c]));
  const density = model.densityFor(communes);
  const grid = buildDemandGrid(o.scope, density);
  const candidates = buildCandidates(rows, byCode, model, density, {
    technology: o.technology, operator: o.operator, kinds: o.kinds ?? 'both', scope: new Set(o.scope.map((c) => c.code)),
    missing: o.scope.filter((c) => (o.communePct.get(c.code) ?? 0) < o.threshold),
  });
  const onAir = model.toEngineRadios(rows.filter((r) => r.technology === o.technology), byCode);
  const instance = coverageInstance(grid, onAir, candidates.map((c) => model.toEngineRadios(c.rows, byCode)), 'population');
  const population = o.scope.reduce((a, c) => a + c.population, 0);
  const uncovered = instance.weights.reduce((a, b) => a + b, 0);
  return { instance, candidates, population, need: (o.threshold / 100) * population - (population - uncovered) };
}
