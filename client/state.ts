// What the page shows, in one object; every view re-renders from it. Kept in the address's hash
// (#c=07900&m=5g_population_pct…) so a view can be bookmarked, shared or reloaded.
import { TECHNOLOGIES, type Technology } from '../server/contract/rules';
import type { Lang } from './i18n';
import { isMapMetric, type MapMetric } from './data/targets';

export interface AppState {
  lang: Lang;
  metric: MapMetric;
  /** A target's id, or 'custom' for the threshold below. */
  targetId: string;
  /** Points (0–100) the choropleth is centred on. */
  threshold: number;
  /** Stations shown, and the technology of the coverage layer and of the uncovered area. */
  technology: Technology | 'all';
  operator: string;
  /** YYYY-MM-DD, or null for today's stored figures. */
  asOf: string | null;
  commune: string | null;
  /** The province opened on the country's map (a database of several provinces); null: the country. */
  province: string | null;
  tab: 'province' | 'commune' | 'plan';
  showCoverage: boolean;
  showStations: boolean;
  /** The population-density layer (the grid as the figures use it). */
  showPopulation: boolean;
}

export type Listener = (state: Readonly<AppState>, changed: ReadonlySet<keyof AppState>) => void;

export interface Store {
  get(): Readonly<AppState>;
  set(patch: Partial<AppState>): void;
  subscribe(listener: Listener): void;
}

export function createStore(initial: AppState): Store {
  let state = initial;
  const listeners: Listener[] = [];
  return {
    get: () => state,
    set(patch) {
      const changed = new Set<keyof AppState>();
      for (const key of Object.keys(patch) as Array<keyof AppState>) if (patch[key] !== state[key]) changed.add(key);
      if (changed.size === 0) return;
      state = { ...state, ...patch };
      for (const l of listeners) l(state, changed);
    },
    subscribe: (l) => void listeners.push(l),
  };
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const HASH_KEYS: Record<string, keyof AppState> = {
  c: 'commune', p: 'province', m: 'metric', t: 'targetId', th: 'threshold', tech: 'technology', op: 'operator', d: 'asOf', cov: 'showCoverage', st: 'showStations', pop: 'showPopulation', tab: 'tab',
};

/** Reads the hash over `defaults`, ignoring anything malformed. */
export function stateFromHash(hash: string, defaults: AppState): AppState {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const s = { ...defaults };
  const c = p.get('c');
  if (c && /^\d{5}$/.test(c)) s.commune = c;
  const province = p.get('p');
  if (province && /^\d{2}$/.test(province)) s.province = province;
  const m = p.get('m');
  if (m && isMapMetric(m)) s.metric = m;
  const t = p.get('t');
  if (t && /^[\w-]{1,64}$/.test(t)) s.targetId = t;
  const th = Number(p.get('th'));
  if (p.has('th') && Number.isFinite(th) && th >= 0 && th <= 100) s.threshold = th;
  const tech = p.get('tech');
  if (tech === 'all' || (TECHNOLOGIES as readonly string[]).includes(tech ?? '')) s.technology = tech as Technology | 'all';
  const op = p.get('op');
  if (op && /^[a-z][a-z0-9_-]{1,31}$/.test(op)) s.operator = op;
  const d = p.get('d');
  if (d && DATE.test(d)) s.asOf = d;
  if (p.get('cov') === '1') s.showCoverage = true;
  if (p.get('st') === '0') s.showStations = false;
  if (p.get('pop') === '1') s.showPopulation = true;
  if (['province', 'commune', 'plan'].includes(p.get('tab') ?? '')) s.tab = p.get('tab') as AppState['tab'];
  return s;
}

/** The hash for a state: only what differs from the defaults. */
export function hashFromState(s: AppState, defaults: AppState): string {
  const p = new URLSearchParams();
  for (const [short, key] of Object.entries(HASH_KEYS)) {
    if (s[key] === defaults[key] || s[key] === null) continue;
    const v = s[key];
    p.set(short, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  const text = p.toString();
  return text ? `#${text}` : '';
}
