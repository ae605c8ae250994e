/**
 * Met or not met: a target against the computed values. Pure. For a province target the
 * province's value counts; for a commune target every commune with a value must reach it.
 */
import { metricSpec, type MetricValues, type PctMetric } from '../targets/metrics';

export interface TargetStatus {
  /** Province target: the province's value; commune target: the lowest commune's. Null: no data. */
  value: number | null;
  met: boolean | null;
  /** value − threshold, points: negative when short. */
  distancePts: number | null;
  communesBelow: number;
  communesWithData: number;
  /** Province target not met: people (coverage) or households (fiber) to reach it. */
  peopleToReach: number | null;
  householdsToReach: number | null;
  /** Fiber figures cover only part of the communes: the value is over those with data. */
  partial: boolean;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

export function evaluateTarget(
  target: { metric: PctMetric; threshold: number; scope: 'province' | 'commune' },
  province: MetricValues,
  communes: ReadonlyMap<string, MetricValues>,
  /** People of the province, and households of the communes the fiber value is over. */
  base: { population: number; households: number },
): TargetStatus {
  const spec = metricSpec(target.metric);
  const values = [...communes.values()].map((v) => v[target.metric]).filter((v): v is number => typeof v === 'number');
  const below = values.filter((v) => v < target.threshold - 1e-9).length;
  const partial = values.length < communes.size;
  const value = target.scope === 'province' ? (province[target.metric] ?? null) : values.length ? Math.min(...values) : null;
  const distance = value === null ? null : round3(value - target.threshold);
  const short = distance !== null && distance < 0 && target.scope === 'province' ? -distance / 100 : 0;
  return {
    value,
    met: value === null ? null : target.scope === 'province' ? distance! >= -1e-9 : below === 0,
    distancePts: distance,
    communesBelow: below,
    communesWithData: values.length,
    peopleToReach: spec.kind === 'coverage' && value !== null ? Math.ceil(short * base.population) : null,
    householdsToReach: spec.kind === 'fiber' && spec.measure !== 'communes' && value !== null ? Math.ceil(short * base.households) : null,
    partial,
  };
}
