// History series as the charts draw them: a date and metric → value, from the snapshots of
// GET /api/communes/:code/history and /api/summary/history, or computed on the page.
import type { CommuneHistory, ProvinceHistory } from '../../server/contract/answers';

/** One point of a chart's series. */
export interface HistoryPoint {
  at: string;
  values: Record<string, number | null>;
}

export function historyPoints(body: ProvinceHistory | CommuneHistory | null): HistoryPoint[] {
  return (body?.items ?? []).map((p) => ({ at: p.takenAt, values: { ...p.figures } }));
}
