// Everything the commune panel shows, loaded in parallel; each part arrives on its own so the
// panel fills in as answers come (a missing endpoint leaves its part empty, not the panel).
import { api } from '../api';
import type { CommuneCoverage, CommuneDetail, Radio, Station } from '../../server/contract/answers';
import { TECHNOLOGIES, coverageMetric, isOnAir, isPctMetric, metricSpec, type Technology } from '../../server/contract/rules';
import { historyPoints, type HistoryPoint } from './history';

export interface CommuneData {
  code: string;
  asOf: string | null;
  detail?: CommuneDetail;
  coverage?: CommuneCoverage;
  stations?: Station[];
  /** Snapshots from the server, or figures computed for a few past dates when it has none. */
  history?: { points: HistoryPoint[]; computedOnPage: boolean };
  fiber?: { householdsPct: number | null; passedPct: number | null; synthetic: boolean } | null;
  errors: Partial<Record<'detail' | 'coverage' | 'stations' | 'history' | 'fiber', string>>;
}

type Part = Exclude<keyof CommuneData, 'code' | 'asOf' | 'errors'>;

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Quarterly dates over the last 18 months, for a history computed from dated figures. */
export function pastDates(today: string, count = 6, stepMonths = 3): string[] {
  const out: string[] = [];
  const base = new Date(`${today}T00:00:00Z`);
  for (let i = count; i >= 1; i--) {
    const d = new Date(base);
    d.setUTCMonth(d.getUTCMonth() - i * stepMonths);
    out.push(isoDay(d));
  }
  return out;
}

/** Days on which a series has any coverage figure: a chart needs two. */
export function coverageDays(points: readonly HistoryPoint[]): number {
  const days = new Set<string>();
  const isCoverage = (k: string) => isPctMetric(k) && metricSpec(k).kind === 'coverage';
  for (const p of points) if (Object.entries(p.values).some(([k, v]) => isCoverage(k) && typeof v === 'number')) days.add(p.at.slice(0, 10));
  return days.size;
}

async function historyOf(code: string, today: string, signal: AbortSignal): Promise<CommuneData['history']> {
  const body = await api.communeHistory(code, signal);
  const points = historyPoints(body);
  if (coverageDays(points) >= 2) return { points, computedOnPage: false };
  // No snapshots yet: the same figures computed for past dates (on demand, one request each).
  const computed: HistoryPoint[] = [];
  for (const day of [...pastDates(today), null]) {
    const c = await api.communeCoverage(code, day, signal);
    const values: Record<string, number | null> = {};
    for (const t of TECHNOLOGIES) {
      const f = c.technologies[t];
      values[coverageMetric(t, 'population')] = f?.populationPct ?? 0;
      values[coverageMetric(t, 'area')] = f?.areaPct ?? 0;
    }
    computed.push({ at: day ?? c.asOf, values });
  }
  return { points: computed, computedOnPage: true };
}

async function fiberOf(code: string, asOf: string | null, signal: AbortSignal): Promise<CommuneData['fiber']> {
  const body = await api.broadband({ commune: code, asOf }, signal);
  if (!body) return null;
  const row = body.communes.find((r) => r.communeCode === code);
  if (!row) return { householdsPct: null, passedPct: null, synthetic: body.synthetic };
  return { householdsPct: row.fiberPct, passedPct: row.passedPct, synthetic: row.isDemo || body.synthetic };
}

/** Starts every request; `onPart` is called as each arrives (or fails). */
export function loadCommuneData(code: string, asOf: string | null, today: string, signal: AbortSignal, onPart: (data: CommuneData) => void): CommuneData {
  const data: CommuneData = { code, asOf, errors: {} };
  const track = <K extends Part>(key: K, p: Promise<CommuneData[K]>): void => {
    p.then((value) => {
      data[key] = value;
    })
      .catch((err: Error) => {
        if (err.name !== 'AbortError') data.errors[key] = err.message;
      })
      .finally(() => {
        if (!signal.aborted) onPart(data);
      });
  };
  track('detail', api.communeDetail(code, signal));
  track('coverage', api.communeCoverage(code, asOf, signal));
  track('stations', api.communeStations(code, signal));
  track('fiber', fiberOf(code, asOf, signal));
  track('history', historyOf(code, today, signal));
  return data;
}

/** Sites on air per operator and technology (a site counts once per technology). */
export function stationCounts(stations: readonly Station[], day: string): { byOperator: Map<string, Record<Technology | 'any', number>>; total: Record<Technology | 'any', number> } {
  const empty = () => Object.fromEntries([...TECHNOLOGIES, 'any'].map((k) => [k, 0])) as Record<Technology | 'any', number>;
  const byOperator = new Map<string, Record<Technology | 'any', number>>();
  const total = empty();
  for (const s of stations) {
    const techs = new Set(s.radios.filter((r: Radio) => isOnAir(r, day)).map((r) => r.technology));
    if (techs.size === 0) continue;
    const row = byOperator.get(s.operator) ?? empty();
    byOperator.set(s.operator, row);
    for (const t of techs) {
      row[t] += 1;
      total[t] += 1;
    }
    row.any += 1;
    total.any += 1;
  }
  return { byOperator, total };
}
