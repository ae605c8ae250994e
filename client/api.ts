// Client side of the HTTP API: same-origin requests only (no other host is ever asked).
// The answers' types are the server's (z.input of the schemas it answers through).
import type {
  BroadbandFigures, CommuneCoverage, CommuneDetailFeature, CommuneList, ProvinceList, ProvincesGeoJson, CommuneGapFeature, CommuneHistory, CommunesGeoJson, CoverageLayer, CoverageList, Gaps,
  ProvinceHistory, StationDetail, StationPage, Summary, TargetList,
} from '../server/contract/answers';
import type { Technology } from '../server/contract/rules';

/** An HTTP failure, carrying the RFC 9457 problem title/detail when the server sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly problem: Record<string, unknown> | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export type Query = Record<string, string | number | boolean | null | undefined>;

/** Path plus the query's set values, e.g. `url('/api/coverage', { asOf: null, technology: '5G' })`. */
export function url(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== null && value !== undefined && value !== '') params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export async function problemOf(res: Response): Promise<ApiError> {
  let message = `${res.status} ${res.statusText}`;
  let problem: Record<string, unknown> | null = null;
  try {
    problem = (await res.json()) as Record<string, unknown>;
    message = [problem.title, problem.detail].filter(Boolean).join(': ') || message;
  } catch {
    // Body was not JSON: keep the status line.
  }
  return new ApiError(res.status, message, problem);
}

/** Requests started before anyone asked (see `prefetch`), each handed out once. */
const early = new Map<string, Promise<Response>>();

/**
 * Starts a GET now so its answer overlaps the map's start-up; the first `getJson` of the same
 * path takes it. No custom headers, so a `<link rel="preload" as="fetch">` of the same URL matches.
 */
export function prefetch(path: string): void {
  if (!early.has(path)) early.set(path, fetch(path));
}

/** Server errors (5xx) on a read are often passing (a restart, a busy database): one retry. */
const RETRY_AFTER_MS = 400;

async function fetchRead(path: string, signal?: AbortSignal, pending?: Promise<Response>): Promise<Response> {
  const res = await (pending ?? fetch(path, { signal }));
  if (res.status < 500 || signal?.aborted) return res;
  await new Promise((r) => setTimeout(r, RETRY_AFTER_MS));
  return fetch(path, { signal });
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const pending = early.get(path);
  early.delete(path);
  const res = await fetchRead(path, signal, pending);
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as T;
}

/** For answers the page can do without (targets, summary, gaps, history, fiber): null on 404/501, an error otherwise. */
export async function getOptionalJson<T>(path: string, signal?: AbortSignal): Promise<T | null> {
  const res = await fetchRead(path, signal);
  if (res.status === 404 || res.status === 501) return null;
  if (!res.ok) throw await problemOf(res);
  return (await res.json()) as T;
}

export const api = {
  /** `overview` (about 90 m) for the first frame of the whole province, `display` (about 20 m) for closer views. */
  communesGeoJson: (geometry: 'display' | 'overview', signal?: AbortSignal) =>
    getJson<CommunesGeoJson>(`/api/communes?format=geojson${geometry === 'overview' ? '&geometry=overview' : ''}`, signal),

  /** The country's map: every province with its outline and figures, the country's roll-up, and every commune (no geometry) for the search. */
  provincesGeoJson: (signal?: AbortSignal) => getJson<ProvincesGeoJson>('/api/provinces?format=geojson', signal),
  provinces: (signal?: AbortSignal) => getJson<ProvinceList>('/api/provinces', signal),
  communesList: (signal?: AbortSignal) => getJson<CommuneList>('/api/communes', signal),

  /** `province`: one province's communes and roll-up (the country's map); without it, the whole database. */
  coverage: (q: { technology?: Technology; operator?: string; asOf?: string | null; province?: string }, signal?: AbortSignal) =>
    getJson<CoverageList>(url('/api/coverage', q), signal),

  communeCoverage: (code: string, asOf: string | null, signal?: AbortSignal) =>
    getJson<CommuneCoverage>(url(`/api/communes/${code}/coverage`, { asOf }), signal),

  communeDetail: (code: string, signal?: AbortSignal) =>
    getJson<CommuneDetailFeature>(`/api/communes/${code}?geometry=display`, signal).then((f) => f.properties),

  station: (id: number | string, signal?: AbortSignal) => getJson<StationDetail>(`/api/stations/${id}`, signal),

  /** Every station of a commune, page after page (a commune has at most a few hundred). */
  async communeStations(code: string, signal?: AbortSignal): Promise<StationPage['items']> {
    const all: StationPage['items'] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 20; page++) {
      const res: StationPage = await getJson<StationPage>(url('/api/stations', { commune: code, limit: 1000, cursor }), signal);
      all.push(...res.items);
      cursor = res.nextCursor;
      if (cursor === null) break;
    }
    return all;
  },

  firstStation: (signal?: AbortSignal) => getJson<StationPage>('/api/stations?limit=1', signal),

  gap: (code: string, q: { technology: Technology; operator: string; asOf?: string | null }, signal?: AbortSignal) =>
    getJson<CommuneGapFeature>(url(`/api/communes/${code}/gaps`, q), signal),

  coverageLayer: (bbox: number[], q: { technology: Technology; operator: string; asOf?: string | null }, signal?: AbortSignal) =>
    getJson<CoverageLayer>(url('/api/coverage/layer', { bbox: bbox.map((n) => n.toFixed(4)).join(','), ...q }), signal),

  targets: (signal?: AbortSignal) => getOptionalJson<TargetList>('/api/targets', signal),
  summary: (signal?: AbortSignal) => getOptionalJson<Summary>('/api/summary', signal),
  gaps: (q: Query, signal?: AbortSignal) => getOptionalJson<Gaps>(url('/api/gaps', q), signal),
  communeHistory: (code: string, signal?: AbortSignal) => getOptionalJson<CommuneHistory>(`/api/communes/${code}/history`, signal),
  summaryHistory: (signal?: AbortSignal) => getOptionalJson<ProvinceHistory>('/api/summary/history', signal),
  broadband: (q: Query, signal?: AbortSignal) => getOptionalJson<BroadbandFigures>(url('/api/broadband', q), signal),
};
