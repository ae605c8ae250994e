// The province panel's data: each target's status (computed here from the same figures as the
// map, so a past date works too), the reported figures next to the computed ones
// (GET /api/summary), the communes missing the selected target (GET /api/gaps for today, the
// map's figures for a past date), and the province's history (GET /api/summary/history).
import { api } from '../api';
import type { CommuneProperties, GapRow, HistoryPoint, ReportedFigure, Target } from '../api-types';
import { gapsFromFigures, type MetricFigures } from './figures';
import { normaliseHistory } from './history';
import { pastDates } from './commune-data';
import { coverageValue, metricSpec, rowsOf, type MapMetric } from './targets';

export interface TargetStatus {
  target: Target;
  value: number | null;
  met: boolean | null;
  /** value − threshold, points. */
  distancePts: number | null;
  communesBelow: number;
}

export interface SummaryView {
  reported: ReportedFigure[];
  sites: number | null;
  syntheticStations: boolean;
  syntheticFiber: boolean;
}

type Loose = Record<string, unknown>;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** Status of a target against figures of its metric, as the server's `evaluateTarget`. */
export function targetStatus(target: Target, figures: MetricFigures | undefined): TargetStatus {
  if (!figures || !figures.available) return { target, value: null, met: null, distancePts: null, communesBelow: 0 };
  const values = [...figures.byCode.values()].map((v) => v.value).filter((v): v is number => v !== null);
  const below = values.filter((v) => v < target.threshold - 1e-9).length;
  const value = target.scope === 'province' ? figures.province : values.length ? Math.min(...values) : null;
  const distance = value === null ? null : value - target.threshold;
  return {
    target, value, distancePts: distance, communesBelow: below,
    met: distance === null ? null : target.scope === 'province' ? distance >= -1e-9 : below === 0,
  };
}

export async function loadSummary(signal?: AbortSignal): Promise<SummaryView | null> {
  const body = (await api.summary(null, signal)) as Loose | null;
  if (!body) return null;
  const stations = (body.stations ?? {}) as Loose;
  const fiber = (body.fiber ?? {}) as Loose;
  const reported: ReportedFigure[] = rowsOf(body, 'reported').map((r) => {
    const source = (r.source ?? {}) as Loose;
    const computed = (r.computed ?? null) as Loose | null;
    return {
      code: text(r.code) ?? '', label: text(r.label) ?? '', value: num(r.value) ?? 0, unit: text(r.unit) ?? '',
      qualifier: text(r.qualifier), metric: text(r.metric), operator: text(r.operator), asOf: text(r.asOf),
      source: [text(source.document), text(source.date)].filter(Boolean).join(', ') || null,
      computed: computed ? num(computed.value) : null,
    };
  });
  return { reported, sites: num(stations.sites), syntheticStations: stations.synthetic === true, syntheticFiber: fiber.synthetic === true };
}

function gapRowsOf(body: unknown): GapRow[] {
  return rowsOf(body).map((g) => ({
    code: text(g.code) ?? '',
    name: text(g.name) ?? '',
    value: num(g.value),
    shortfallPts: num(g.shortfallPts) ?? 0,
    peopleBehind: num(g.peopleToReach),
    householdsBehind: num(g.householdsToReach),
    uncoveredKm2: num(g.uncoveredKm2),
  }));
}

/**
 * Communes below the target: the server's list for today (by target code, or metric and
 * threshold), the map's own figures for a past date or when the server has no /api/gaps.
 */
export async function loadGaps(
  q: { target: Target | null; metric: string; threshold: number; asOf: string | null },
  figures: MetricFigures,
  communes: ReadonlyMap<string, CommuneProperties>,
  signal?: AbortSignal,
): Promise<{ rows: GapRow[]; fromServer: boolean }> {
  if (q.asOf === null) {
    const query = q.target && !q.target.builtIn && q.target.threshold === q.threshold ? { target: q.target.code } : { metric: q.metric, threshold: q.threshold };
    const body = await api.gaps(query, signal).catch(() => null);
    if (body) {
      const full = new Map([...communes.values()].map((c) => [c.code, c.fullName]));
      return { rows: gapRowsOf(body).map((r) => ({ ...r, name: full.get(r.code) ?? r.name })), fromServer: true };
    }
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
  const points = body ? normaliseHistory(body).filter((p) => typeof p.values[metric] === 'number') : [];
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
