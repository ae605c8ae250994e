/**
 * The same maximum-coverage problem solved exactly, as an integer program by HiGHS (compiled to
 * WebAssembly, the `highs` package), to measure how far the greedy order is from the best. For
 * small instances only (a district, a few hundred candidates): demand points covered by the same
 * set of candidates are merged first, which leaves one variable per distinct set.
 *
 *   max Σ w_s y_s   s.t.  y_s ≤ Σ_{i covers s} x_i,  Σ x_i ≤ k,  x binary, 0 ≤ y ≤ 1
 *   min Σ x_i       s.t.  y_s ≤ Σ_{i covers s} x_i,  Σ w_s y_s ≥ need,  x binary, 0 ≤ y ≤ 1
 */
import type { CoverageInstance } from './greedy';

interface Merged {
  weights: number[];
  /** Candidates covering each merged point. */
  coveredBy: number[][];
}

function merge(instance: CoverageInstance): Merged {
  const by = new Map<number, number[]>();
  instance.covers.forEach((points, c) => {
    for (const p of points) {
      if (!(instance.weights[p] > 0)) continue;
      let list = by.get(p);
      if (!list) by.set(p, (list = []));
      if (list[list.length - 1] !== c) list.push(c);
    }
  });
  const sets = new Map<string, { w: number; cands: number[] }>();
  for (const [p, cands] of by) {
    const key = cands.join(',');
    const s = sets.get(key);
    if (s) s.w += instance.weights[p];
    else sets.set(key, { w: instance.weights[p], cands });
  }
  return { weights: [...sets.values()].map((s) => s.w), coveredBy: [...sets.values()].map((s) => s.cands) };
}

function lpText(m: Merged, candidates: number, mode: { maxSites: number } | { need: number }): string {
  const lines: string[] = [];
  const fmt = (w: number) => w.toPrecision(12);
  const sumY = m.weights.map((w, s) => `${fmt(w)} y${s}`).join(' + ');
  const sumX = Array.from({ length: candidates }, (_, i) => `x${i}`).join(' + ');
  if ('maxSites' in mode) lines.push('Maximize', ` obj: ${sumY}`);
  else lines.push('Minimize', ` obj: ${sumX}`);
  lines.push('Subject To');
  m.coveredBy.forEach((cands, s) => lines.push(` c${s}: y${s} - ${cands.map((c) => `x${c}`).join(' - ')} <= 0`));
  if ('maxSites' in mode) lines.push(` k: ${sumX} <= ${mode.maxSites}`);
  else lines.push(` need: ${sumY} >= ${fmt(mode.need)}`);
  lines.push('Bounds');
  m.weights.forEach((_, s) => lines.push(` 0 <= y${s} <= 1`));
  lines.push('Binary');
  lines.push(` ${Array.from({ length: candidates }, (_, i) => `x${i}`).join(' ')}`);
  lines.push('End');
  return lines.join('\n');
}

type Highs = { solve(lp: string, options?: Record<string, unknown>): { Status: string; ObjectiveValue: number; Columns: Record<string, { Primal: number }> } };
let highsPromise: Promise<Highs> | null = null;
async function highs(): Promise<Highs> {
  highsPromise ??= import('highs').then((m) => (m.default as unknown as () => Promise<Highs>)());
  return highsPromise;
}

export interface ExactResult {
  status: string;
  /** Covered weight (max mode) or number of sites (min mode) of the optimum. */
  objective: number;
  chosen: number[];
  /** Covered weight of the chosen candidates, recomputed from the instance. */
  coveredWeight: number;
}

function covered(instance: CoverageInstance, chosen: readonly number[]): number {
  const seen = new Uint8Array(instance.weights.length);
  let w = 0;
  for (const c of chosen) for (const p of instance.covers[c]) if (!seen[p]) { seen[p] = 1; w += instance.weights[p]; }
  return w;
}

async function solve(instance: CoverageInstance, mode: { maxSites: number } | { need: number }, timeLimitS: number): Promise<ExactResult> {
  const m = merge(instance);
  const solver = await highs();
  const answer = solver.solve(lpText(m, instance.covers.length, mode), { time_limit: timeLimitS, mip_rel_gap: 0 });
  const chosen = instance.covers.map((_, i) => i).filter((i) => (answer.Columns[`x${i}`]?.Primal ?? 0) > 0.5);
  return { status: answer.Status, objective: answer.ObjectiveValue, chosen, coveredWeight: covered(instance, chosen) };
}

/** The best `k` candidates: the most weight any `k` of them cover. */
export const exactMaxCoverage = (instance: CoverageInstance, k: number, timeLimitS = 60) => solve(instance, { maxSites: k }, timeLimitS);

/** The fewest candidates that cover at least `need` weight. */
export const exactMinSites = (instance: CoverageInstance, need: number, timeLimitS = 60) => solve(instance, { need }, timeLimitS);
