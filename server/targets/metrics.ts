/**
 * The vocabulary shared by targets, reported figures, gaps, the summary and the history: one name
 * per figure the service computes. Percentages are points (0–100).
 */
import type { Technology } from '../coverage/engine/index';

/** Percentages: a target's threshold and a commune's value are both in points. */
export const PCT_METRICS = [
  '2g_area_pct', '2g_population_pct',
  '3g_area_pct', '3g_population_pct',
  '4g_area_pct', '4g_population_pct',
  '5g_area_pct', '5g_population_pct',
  'fiber_households_pct', 'fiber_passed_pct', 'fiber_communes_pct',
] as const;

/** Counts of the province, comparable with reported figures (never a target nor a gap). */
export const COUNT_METRICS = [
  'sites_count', 'sites_3g4g_count', 'sites_4g_count', 'sites_5g_count', 'sites_5g_new_count', 'fiber_subscriptions_count',
] as const;

export type PctMetric = (typeof PCT_METRICS)[number];
export type CountMetric = (typeof COUNT_METRICS)[number];
export type Metric = PctMetric | CountMetric;

/** Values of one place (a commune or the province) at one moment; null: no data. */
export type MetricValues = Partial<Record<Metric, number | null>>;

export type MetricSpec =
  | { kind: 'coverage'; technology: Technology; weight: 'area' | 'population' }
  | { kind: 'fiber'; measure: 'households' | 'passed' | 'communes' };

export function metricSpec(metric: PctMetric): MetricSpec {
  const coverage = /^([2-5]g)_(area|population)_pct$/.exec(metric);
  if (coverage) return { kind: 'coverage', technology: coverage[1].toUpperCase() as Technology, weight: coverage[2] as 'area' | 'population' };
  return { kind: 'fiber', measure: metric.replace(/^fiber_|_pct$/g, '') as 'households' | 'passed' | 'communes' };
}

export const isPctMetric = (m: string): m is PctMetric => (PCT_METRICS as readonly string[]).includes(m);

/** Plain-English names, for exports and the printed report. */
export const METRIC_LABELS: Readonly<Record<Metric, string>> = {
  '2g_area_pct': '2G coverage, % of area',
  '2g_population_pct': '2G coverage, % of population',
  '3g_area_pct': '3G coverage, % of area',
  '3g_population_pct': '3G coverage, % of population',
  '4g_area_pct': '4G coverage, % of area',
  '4g_population_pct': '4G coverage, % of population',
  '5g_area_pct': '5G coverage, % of area',
  '5g_population_pct': '5G coverage, % of population',
  fiber_households_pct: 'Households with a fiber subscription, %',
  fiber_passed_pct: 'Households passed by fiber (lower bound), %',
  fiber_communes_pct: 'Communes reached by fiber, %',
  sites_count: 'Sites on air (any technology)',
  sites_3g4g_count: 'Sites on air with 3G or 4G (BTS)',
  sites_4g_count: 'Sites on air with 4G',
  sites_5g_count: 'Sites on air with 5G',
  sites_5g_new_count: 'Sites whose 5G went on air on or after 1 July 2025 (the merger)',
  fiber_subscriptions_count: 'Fiber subscriptions (households), summed over operators',
};

/** The day the merged province began (1 July 2025): the press counts "new" 5G sites from here. */
export const MERGER_DATE = '2025-07-01';
