/**
 * The service's rules the map page needs, from the one place each is defined: the page imports
 * them from here and never re-derives them. Pure modules only (no zod, no database, no Node
 * API): Vite bundles this file and what it imports into the page, and client-logic tests check
 * that nothing else comes with it.
 */
export { ALL_OPERATORS, TECHNOLOGIES, type Technology } from '../coverage/engine/types';
export { PCT_METRICS, METRIC_LABELS, isPctMetric, metricSpec, type MetricSpec, type MetricValues, type PctMetric } from '../targets/metrics';
export { computeGaps, type GapCommune, type GapRow, type GapsResult } from '../summary/gaps';
export { evaluateTarget, type TargetStatus } from '../summary/progress';
export { coverageMetric } from '../summary/indicators';
export { isOnAir, type RadioDates } from '../stations/on-air';
export { DEFAULT_OPERATORS, OPERATOR_NAMES, operatorName, type MobileOperator } from '../stations/operators';
