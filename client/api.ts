// Client side of the HTTP API. Types come from the server's schema module (`import type` only:
// nothing of zod or the server reaches the bundle).
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { CommuneKind, CommuneSummary } from '../server/communes/communes.schema';

export type { CommuneKind };
/** One commune's properties in GET /api/communes?format=geojson. */
export type CommuneProperties = CommuneSummary;

export type CommunesGeoJson = FeatureCollection<Polygon | MultiPolygon, CommuneProperties> & { attribution?: string };

/** An HTTP failure, carrying the RFC 9457 problem title/detail when the server sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' }, signal });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const problem = (await res.json()) as { title?: string; detail?: string };
      message = [problem.title, problem.detail].filter(Boolean).join(': ') || message;
    } catch {
      // Body was not JSON: keep the status line.
    }
    throw new ApiError(res.status, message);
  }
  return (await res.json()) as T;
}

export function fetchCommunesGeoJson(signal?: AbortSignal): Promise<CommunesGeoJson> {
  return getJson<CommunesGeoJson>('/api/communes?format=geojson', signal);
}
