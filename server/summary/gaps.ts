/**
 * Where communes fall short of a target, and by how much. Pure: communes, values and coverage
 * figures in, rows out. Percentages are points; areas km².
 */
import type { CoverageFigure } from '../coverage/engine/index';
import { metricSpec, type MetricValues, type PctMetric } from '../targets/metrics';

export interface GapCommune {
  code: string;
  name: string;
  population: number | null;
  households: number | null;
}

export interface GapRow {
  code: string;
  name: string;
  value: number;
  threshold: number;
  /** threshold − value, points (> 0). */
  shortfallPts: number;
  population: number | null;
  households: number | null;
  /** Coverage targets: people to cover to reach the threshold (population spread evenly). */
  peopleToReach: number | null;
  /** Fiber targets: households to connect (or pass) to reach it. */
  householdsToReach: number | null;
  /** Coverage targets: the commune's area outside every footprint of the technology, and its people. */
  uncoveredKm2: number | null;
  uncoveredPopulation: number | null;
  /** Coverage targets: the area to cover to reach the threshold. */
  areaToReachKm2: number | null;
}

export interface GapsResult {
  metric: PctMetric;
  threshold: number;
  /** Below the threshold, largest shortfall first. */
  items: GapRow[];
  communesMeeting: number;
  /** Communes without a value (no fiber figures uploaded, no coverage computed). */
  noData: Array<{ code: string; name: string }>;
}

/** What a gap reads of a commune's coverage figure; the people are null where its population is unknown. */
export type GapFigure = Pick<CoverageFigure, 'areaKm2' | 'coveredKm2'> & { population: number | null; coveredPopulation: number | null };

/** Below means below by more than rounding noise. */
const EPSILON = 1e-9;
const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Communes below `threshold` on `metric`, sorted by shortfall (then by people or households behind
 * it, then code). `coverage` holds each commune's figure for the metric's technology, all
 * operators: it gives the uncovered area.
 */
export function computeGaps(
  communes: readonly GapCommune[],
  values: ReadonlyMap<string, MetricValues>,
  target: { metric: PctMetric; threshold: number },
  coverage: ReadonlyMap<string, GapFigure> = new Map(),
): GapsResult {
  const spec = metricSpec(target.metric);
  const items: GapRow[] = [];
  const noData: GapsResult['noData'] = [];
  let communesMeeting = 0;
  for (const c of communes) {
    const value = values.get(c.code)?.[target.metric];
    if (value === null || value === undefined) {
      noData.push({ code: c.code, name: c.name });
      continue;
    }
    const shortfall = target.threshold - value;
    if (shortfall <= EPSILON) {
      communesMeeting++;
      continue;
    }
    const figure = spec.kind === 'coverage' ? coverage.get(c.code) : undefined;
    items.push({
      code: c.code, name: c.name, value, threshold: target.threshold, shortfallPts: round3(shortfall),
      population: c.population, households: c.households,
      peopleToReach: spec.kind === 'coverage' && c.population !== null ? Math.ceil((shortfall / 100) * c.population - EPSILON) : null,
      householdsToReach: spec.kind === 'fiber' && c.households !== null ? Math.ceil((shortfall / 100) * c.households - EPSILON) : null,
      uncoveredKm2: figure ? round3(figure.areaKm2 - figure.coveredKm2) : null,
      // Unknown people (the commune's, or the figure's as /api/coverage sends it): no count behind the gap.
      uncoveredPopulation: figure && c.population !== null && figure.population !== null && figure.coveredPopulation !== null
        ? Math.round(figure.population - figure.coveredPopulation) : null,
      areaToReachKm2: figure ? round3((shortfall / 100) * figure.areaKm2) : null,
    });
  }
  const behind = (r: GapRow) => r.peopleToReach ?? r.householdsToReach ?? 0;
  items.sort((a, b) => b.shortfallPts - a.shortfallPts || behind(b) - behind(a) || a.code.localeCompare(b.code));
  return { metric: target.metric, threshold: target.threshold, items, communesMeeting, noData };
}
