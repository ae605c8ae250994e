// Plans and scenarios over HTTP. They are drafts, not public figures: every request carries the
// user's token (`Authorization: Bearer …`, as the upload page sends it), which is kept in
// sessionStorage for the browser tab only and never put in an address.
import type { z } from 'zod';
import type { PlanCreateSchema, PlanListSchema, PlanSchema } from '../../server/plans/plans.schema';
import type { CreatedSchema, ScenarioCoverageSchema, ScenarioListSchema } from '../../server/scenarios/scenarios.schema';
import type { Technology } from '../../server/contract/rules';
import { problemOf, url } from '../api';

export type Plan = z.input<typeof PlanSchema>;
export type PlanResult = NonNullable<Plan['result']>;
export type PlanSite = PlanResult['sites'][number];
export type PlanRequest = z.input<typeof PlanCreateSchema>;
export type ScenarioCoverage = z.input<typeof ScenarioCoverageSchema>;
export type PlanList = z.input<typeof PlanListSchema>;
export type ScenarioList = z.input<typeof ScenarioListSchema>;
type Created = z.input<typeof CreatedSchema>;

/** The upload page's key: one token serves both screens of the same browser tab. */
const TOKEN_KEY = 'phusong.token';

/** The tab's token, else one the upload page was asked to remember on this device. */
export function loadToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage disabled: the token lasts as long as the page.
  }
}

export function forgetToken(): void {
  try {
    sessionStorage.removeItem(TOKEN_KEY);
    localStorage.removeItem(TOKEN_KEY);
  } catch {
    // Nothing was kept.
  }
}

/** The last plan of this browser tab (its id only), so a reload finds it again. */
const PLAN_KEY = 'phusong.plan';

export function storedPlanId(): number | null {
  try {
    const id = Number(sessionStorage.getItem(PLAN_KEY));
    return Number.isInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}

export function storePlanId(id: number | null): void {
  try {
    if (id === null) sessionStorage.removeItem(PLAN_KEY);
    else sessionStorage.setItem(PLAN_KEY, String(id));
  } catch {
    // Storage disabled: a reload forgets the plan.
  }
}

/** A request with the token; an error answer becomes an ApiError carrying its problem+json. */
async function authFetch(path: string, token: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  if (!headers.has('accept')) headers.set('accept', 'application/json');
  if (init.body) headers.set('content-type', 'application/json');
  const res = await fetch(path, { ...init, headers });
  if (!res.ok) throw await problemOf(res);
  return res;
}

const json = async <T>(res: Promise<Response>): Promise<T> => (await (await res).json()) as T;

export const planApi = {
  create: (token: string, body: PlanRequest) => json<Created>(authFetch('/api/plans', token, { method: 'POST', body: JSON.stringify(body) })),
  get: (token: string, id: number, signal?: AbortSignal) => json<Plan>(authFetch(`/api/plans/${id}`, token, { signal })),
  /** The plans this token may see, newest first, with their headline figures. */
  list: (token: string) => json<PlanList>(authFetch('/api/plans', token)),
  scenarios: (token: string) => json<ScenarioList>(authFetch('/api/scenarios', token)),
  scenarioFromPlan: (token: string, name: string, planId: number) =>
    json<Created>(authFetch('/api/scenarios', token, { method: 'POST', body: JSON.stringify({ name, fromPlan: planId }) })),
  scenarioCoverage: (token: string, id: number, technology: Technology, signal?: AbortSignal) =>
    json<ScenarioCoverage>(authFetch(url(`/api/scenarios/${id}/coverage`, { technology, operator: 'all' }), token, { signal })),
  /** The plan's export as a file: a link cannot carry the header, so fetched, then saved from a blob. */
  async download(token: string, id: number, format: 'csv' | 'geojson'): Promise<{ blob: Blob; filename: string }> {
    const res = await authFetch(`/api/plans/${id}?format=${format}`, token, { headers: { accept: format === 'csv' ? 'text/csv' : 'application/geo+json' } });
    const named = /filename="?([^";]+)"?/.exec(res.headers.get('content-disposition') ?? '');
    return { blob: await res.blob(), filename: named?.[1] ?? `plan-${id}.${format}` };
  },
};

/** How often a running plan is asked about: the job reports a percentage, not a stream. */
export const POLL_INTERVAL_MS = 1000;

/**
 * Polls GET /api/plans/:id until the plan is done or failed, or `signal` aborts (the Plan tab
 * left, the page hidden): then it rejects with the abort and the caller may resume later.
 */
export async function followPlan(token: string, id: number, onUpdate: (plan: Plan) => void, signal: AbortSignal, intervalMs = POLL_INTERVAL_MS): Promise<Plan> {
  for (;;) {
    const plan = await planApi.get(token, id, signal);
    onUpdate(plan);
    if (plan.status === 'done' || plan.status === 'failed') return plan;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, intervalMs);
      signal.addEventListener('abort', () => {
        clearTimeout(timer);
        reject(signal.reason);
      }, { once: true });
    });
  }
}
