// The province panel's data: each target's status (computed here from the same figures as the
// map, so a past date works too), the reported figures next to the computed ones
// (GET /api/summary), the communes missing the selected target (GET /api/gaps for today, the
// map's figures for a past date), and the province's history (GET /api/summary/history).
import { api } from '../api';
import type { CommuneSummary, Summary } from '../../server/contract/answers';
import { evaluateTarget, type GapRow, type TargetStatus as ServerStatus } from '../../server/contract/rules';
import { gapsFromFigures, type MetricFigures } from './figures';
import { historyPoints, type HistoryPoint } from './history';
import { pastDates } from './commune-data';
import { coverageValue, metricSpec, type MapMetric, type Target } from './targets';

/** A target's status on the map's figures, by the server's rule (server/summary/progress.ts). */
export interface TargetStatus extends Pick<ServerStatus, 'value' | 'met' | 'distancePts' | 'communesBelow'> {
  target: Target;
}

export interface SummaryView {
  reported: Summary['reported'];
  sites: number | null;
  syntheticStations: boolean;
  syntheticFiber: boolean;
}

/** Status of a target against the figures of its metric (any date): `evaluateTarget`, the server's. */
export function targetStatus(target: Target, figures: MetricFigures | undefined): TargetStatus {
  if (!figures || !figures.available) return { target, value: null, met: null, distancePts: null, communesBelow: 0 };
  const communes = new Map([...figures.byCode].map(([code, v]) => [code, { [target.metric]: v.value }]));
  const s = evaluateTarget(target, { [target.metric]: figures.province }, communes, { population: 0, households: 0 });
  return { target, value: s.value, met: s.met, distancePts: s.distancePts, communesBelow: s.communesBelow };
}

export async function loadSummary(signal?: AbortSignal): Promise<SummaryView | null> {
  const body = await api.summary(signal);
  if (!body) return null;
  return { reported: body.reported, sites: body.stations.sites, syntheticStations: body.stations.synthetic, syntheticFiber: body.fiber.synthetic };
}

/**
 * Communes below the target: the server's list for today (by target code, or metric and
 * threshold), the same rule on the map's own figures for a past date or when /api/gaps fails.
 */
export async function loadGaps(
  q: { target: Target | null; metric: MapMetric; threshold: number; asOf: string | null },
  figures: MetricFigures,
  communes: ReadonlyMap<string, CommuneSummary>,
  signal?: AbortSignal,
): Promise<{ rows: GapRow[]; fromServer: boolean }> {
  if (q.asOf === null) {
    const query = q.target && !q.target.builtIn && q.target.threshold === q.threshold ? { target: q.target.code } : { metric: q.metric, threshold: q.threshold };
    const body = await api.gaps(query, signal).catch(() => null);
    if (body) return { rows: body.items.map((r) => ({ ...r, name: communes.get(r.code)?.fullName ?? r.name })), fromServer: true };
  }
  return { rows: gapsFromFigures(figures, q.threshold, communes), fromServer: false };
}

export interface ProvinceHistory {
  points: HistoryPoint[];
  computedOnPage: boolean;
}

/**
 * The province's series of a metric: the server's snapshots, or — for a coverage metric while
 * they span fewer than two days — the province figures computed for a few past dates.
 */
export async function loadProvinceHistory(metric: MapMetric, today: string, signal?: AbortSignal): Promise<ProvinceHistory> {
  const body = await api.summaryHistory(signal);
  const points = historyPoints(body).filter((p) => typeof p.values[metric] === 'number');
  const spec = metricSpec(metric);
  if (spec.kind !== 'coverage' || new Set(points.map((p) => p.at.slice(0, 10))).size >= 2) return { points, computedOnPage: false };
  const computed: HistoryPoint[] = [];
  for (const day of [...pastDates(today), null]) {
    const res = await api.coverage({ technology: spec.technology, operator: 'all', asOf: day }, signal);
    const p = res.province.find((x) => x.operator === 'all' && x.technology === spec.technology);
    if (p) computed.push({ at: day ?? res.asOf, values: { [metric]: coverageValue(p, metric) } });
  }
  return { points: computed, computedOnPage: true };
}
