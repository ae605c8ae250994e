/**
 * Metric values (server/targets/metrics.ts) of each commune and of the province, from the coverage
 * figures, the fiber figures and the site counts. Pure.
 */
import type { CommuneFiber, ProvinceFiber } from '../broadband/fiber';
// The engine's types module only: this file is part of the rules the map page bundles (server/contract/rules.ts).
import { ALL_OPERATORS, TECHNOLOGIES, type CoverageFigure, type ProvinceFigure, type Technology } from '../coverage/engine/types';
import type { CountMetric, MetricValues, PctMetric } from '../targets/metrics';

export type SiteTotals = Record<Exclude<CountMetric, 'fiber_subscriptions_count'>, number>;

export const coverageMetric = (technology: Technology, weight: 'area' | 'population') => `${technology.toLowerCase()}_${weight}_pct` as PctMetric;

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function coverageValues(figures: ReadonlyArray<Pick<CoverageFigure, 'technology' | 'areaPct' | 'populationPct'>>): MetricValues {
  const values: MetricValues = {};
  for (const t of TECHNOLOGIES) {
    const f = figures.find((x) => x.technology === t);
    values[coverageMetric(t, 'area')] = f ? round3(f.areaPct) : null;
    values[coverageMetric(t, 'population')] = f ? round3(f.populationPct) : null;
  }
  return values;
}

/** One entry per commune code; coverage from the 'all operators' figures, fiber from the latest uploads. */
export function communeValues(codes: readonly string[], figures: readonly CoverageFigure[], fiber: readonly CommuneFiber[]): Map<string, MetricValues> {
  const figuresByCode = new Map<string, CoverageFigure[]>();
  for (const f of figures) if (f.operator === ALL_OPERATORS) figuresByCode.set(f.communeCode, [...(figuresByCode.get(f.communeCode) ?? []), f]);
  const fiberByCode = new Map(fiber.map((f) => [f.communeCode, f]));
  return new Map(codes.map((code) => {
    const fb = fiberByCode.get(code);
    return [code, {
      ...coverageValues(figuresByCode.get(code) ?? []),
      fiber_households_pct: fb?.fiberPct ?? null,
      fiber_passed_pct: fb?.passedPct ?? null,
      fiber_communes_pct: fb ? (fb.householdsPassed > 0 ? 100 : 0) : null,
      fiber_subscriptions_count: fb ? fb.subscriptions : null,
    }];
  }));
}

/** The province's values: area- and population-weighted coverage, fiber over the communes with data, site counts. */
export function provinceValues(rollup: readonly ProvinceFigure[], fiber: ProvinceFiber, sites: SiteTotals | null, operator: string = ALL_OPERATORS): MetricValues {
  return {
    ...coverageValues(rollup.filter((f) => f.operator === operator)),
    ...(operator === ALL_OPERATORS
      ? {
          fiber_households_pct: fiber.fiberPct,
          fiber_passed_pct: fiber.passedPct,
          fiber_communes_pct: fiber.fiberCommunesPct,
          fiber_subscriptions_count: fiber.communesWithData ? fiber.subscriptions : null,
          ...(sites ?? {}),
        }
      : {}),
  };
}
