/**
 * A scenario's figures: today's (or `asOf`'s) radios with the changes applied, through the same
 * engine as the official figures. Only the communes a changed footprint can reach are computed
 * again; every other commune keeps the baseline's figures, which are what the engine would give
 * it (its radios did not change). Pure, given the baseline.
 */
import { TECHNOLOGIES, type CoverageFigure, type Technology } from '../coverage/engine/index';
import { metresPerDegreeLat, metresPerDegreeLon } from '../coverage/engine/geodesy';
import { applyChanges, stationsOnAir, type ChangeContext, type ScenarioChange, type StationOnAir } from './changes';
import type { EngineRadio, EvaluationModel, EvaluatorCommune, KnownOperators, RadioRow } from './evaluator';
import { boxOf, communeLocator, type Box } from './locate';

export interface Baseline {
  asOf: string;
  communes: EvaluatorCommune[];
  byCode: Map<string, EvaluatorCommune>;
  boxes: Box[];
  rows: RadioRow[];
  known: KnownOperators;
  stations: Map<number, StationOnAir>;
  engine: EngineRadio[];
  figures: CoverageFigure[];
  context: ChangeContext;
}

/** `engine`: the rows as engine radios when the caller made them already (terrain footprints prepared off the event loop). */
export function buildBaseline(asOf: string, communes: EvaluatorCommune[], rows: RadioRow[], known: KnownOperators, operators: Iterable<string>, model: EvaluationModel, engine?: EngineRadio[]): Baseline {
  const byCode = new Map(communes.map((c) => [c.code, c]));
  engine ??= model.toEngineRadios(rows, byCode);
  const stations = stationsOnAir(rows);
  const figures = model.compute(communes, engine, { operators: known });
  const context: ChangeContext = { rows, stations, locate: communeLocator(communes), operators: new Set(operators) };
  return { asOf, communes, byCode, boxes: communes.map((c) => boxOf(c.geometry)), rows, known, stations, engine, figures, context };
}

/** The box of a radio's flat disc: a terrain footprint lies within it (terrain only takes away). */
function footprintBox(r: EngineRadio): Box {
  const dLat = r.radiusM / metresPerDegreeLat(r.lat);
  const dLon = (1.001 * r.radiusM) / metresPerDegreeLon(Math.min(89, Math.abs(r.lat) + dLat));
  return [r.lon - dLon, r.lat - dLat, r.lon + dLon, r.lat + dLat];
}
const meets = (a: Box, b: Box) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];

function withPairs(known: KnownOperators, radios: readonly EngineRadio[]): KnownOperators {
  const out = {} as Record<Technology, string[]>;
  for (const t of TECHNOLOGIES) out[t] = [...new Set([...known[t], ...radios.filter((r) => r.technology === t).map((r) => r.operator)])].sort();
  return out;
}

export interface ScenarioEvaluation {
  figures: CoverageFigure[];
  skipped: Array<{ index: number; reason: string }>;
  /** Communes computed again (the others kept the baseline's figures). */
  recomputed: number;
  evaluationMs: number;
}

export function evaluateScenario(base: Baseline, changes: readonly ScenarioChange[], model: EvaluationModel): ScenarioEvaluation {
  const started = performance.now();
  const { rows, skipped } = applyChanges(changes, base.context);
  const kept = new Set(rows.filter((r) => r.radioId > 0).map((r) => r.radioId));
  const removed = base.engine.filter((r) => !kept.has(r.radioId));
  // Added sites and upgrades get their terrain footprints as real stations do (the cache keeps them).
  const added = model.toEngineRadios(rows.filter((r) => r.radioId < 0), base.byCode);
  const radios = [...base.engine.filter((r) => kept.has(r.radioId)), ...added];
  const known = withPairs(base.known, added);
  // Only the communes a changed footprint reaches are computed again, and only for the technologies
  // that changed; elsewhere the baseline's rows stand, with zero rows for an operator's first radios
  // of a technology (a new group in every commune: the engine emits it as 0 % where they do not reach).
  const changed = [...removed, ...added];
  const technologies = TECHNOLOGIES.filter((t) => changed.some((r) => r.technology === t));
  const boxes = changed.filter((r) => r.radiusM > 0).map(footprintBox);
  const touched = base.communes.filter((_, i) => boxes.some((b) => meets(b, base.boxes[i])));
  const fresh = touched.length && technologies.length ? model.compute(touched, radios, { operators: known, technologies }) : [];
  const cellKey = (code: string, t: string) => `${code}|${t}`;
  const freshBy = new Map<string, CoverageFigure[]>();
  for (const f of fresh) freshBy.set(cellKey(f.communeCode, f.technology), [...(freshBy.get(cellKey(f.communeCode, f.technology)) ?? []), f]);
  const newOps = new Map(TECHNOLOGIES.map((t) => [t, known[t].filter((o) => !base.known[t].includes(o))]));
  const figures: CoverageFigure[] = [];
  let i = 0;
  while (i < base.figures.length) {
    const { communeCode, technology } = base.figures[i];
    let j = i;
    while (j < base.figures.length && base.figures[j].communeCode === communeCode && base.figures[j].technology === technology) j++;
    const cell = base.figures.slice(i, j);
    const computed = freshBy.get(cellKey(communeCode, technology));
    if (computed) figures.push(...computed);
    else if (newOps.get(technology)!.length) {
      const c = cell[0];
      const zeros = newOps.get(technology)!.map((operator) => ({ ...c, operator, coveredKm2: 0, areaPct: 0, coveredPopulation: 0, populationPct: 0 }));
      const [all, ...ops] = cell;
      figures.push(all, ...[...ops, ...zeros].sort((a, b) => (a.operator < b.operator ? -1 : 1)));
    } else figures.push(...cell);
    i = j;
  }
  const recomputed = touched.length;
  return { figures, skipped, recomputed, evaluationMs: Math.round(performance.now() - started) };
}
