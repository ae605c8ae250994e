// History series (GET /api/communes/:code/history, /api/summary/history), read loosely while the
// endpoints settle: a list of points, each with a date and metric → value.
import type { HistoryPoint } from '../api-types';
import { rowsOf } from './targets';

/** History answers (GET /api/communes/:code/history, /api/summary/history) read loosely. */
export function normaliseHistory(body: unknown): HistoryPoint[] {
  const rows = rowsOf(body, 'series', 'points', 'history', 'snapshots');
  const out: HistoryPoint[] = [];
  for (const r of rows) {
    const at = [r.takenAt, r.asOf, r.at, r.date].find((v): v is string => typeof v === 'string');
    if (!at) continue;
    const source = (r.figures ?? r.values ?? r) as Record<string, unknown>;
    const values: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(source)) if (typeof v === 'number' || v === null) values[k] = v as number | null;
    out.push({ at, values });
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}
