/**
 * SYNTHETIC demo fiber figures, loaded at start into an empty broadband table when DEMO_DATA is on
 * (as the demo stations are), so the summary, gaps and report have something to show. Made up
 * and flagged `is_demo`; anchored only to the province's reported total of about 86 % of
 * households on fiber in early 2026 (Báo Phú Thọ, 3 Feb 2026). Reproducible from the seed.
 */
import type { Knex } from 'knex';
import { createCommunesRepo } from '../communes/communes.repo';
import type { CommuneSummary } from '../communes/communes.schema';
import { SUBURBAN_DENSITY_PER_KM2 } from '../coverage/engine/index';
import { apportion, createPrng } from '../stations/demo/prng';
import { createBroadbandRepo, type BroadbandCounts } from './broadband.repo';
import type { BroadbandRow } from './broadband.schema';

export const DEMO_BROADBAND_AS_OF = '2026-01-31';
/** Households on fiber the demo set adds up to, points (reported "about 86 %"). */
export const DEMO_FIBER_PCT = 86;
const MAX_SHARE = 0.99;

type Setting = 'urban' | 'suburban' | 'rural';
// Operators' shares of fiber subscriptions by setting: made up, FPT only where towns are.
const SHARES: Record<Setting, ReadonlyArray<readonly [string, number]>> = {
  urban: [['vnpt', 0.42], ['viettel', 0.4], ['fpt', 0.18]],
  suburban: [['vnpt', 0.45], ['viettel', 0.43], ['fpt', 0.12]],
  rural: [['vnpt', 0.5], ['viettel', 0.5]],
};

export function generateDemoBroadband(communes: ReadonlyArray<Pick<CommuneSummary, 'code' | 'kind' | 'population' | 'households' | 'areaKm2'>>, options: { seed?: number; asOf?: string } = {}): BroadbandRow[] {
  const prng = createPrng((options.seed ?? 2026) ^ 0x0f1be5);
  const asOf = options.asOf ?? DEMO_BROADBAND_AS_OF;
  const usable = communes.filter((c) => (c.households ?? 0) > 0);
  const drawn = usable.map((c) => {
    const density = (c.population ?? 0) / (c.areaKm2 || 1);
    const setting: Setting = c.kind === 'phuong' ? 'urban' : density >= SUBURBAN_DENSITY_PER_KM2 ? 'suburban' : 'rural';
    // Sparse mountain communes lag: the share falls with density below 300 people/km².
    const base = setting === 'urban' ? 0.95 : setting === 'suburban' ? 0.9 : 0.62 + 0.25 * Math.min(1, Math.log10(1 + density) / Math.log10(300));
    return { c, setting, share: Math.max(0.3, Math.min(MAX_SHARE, base + 0.04 * prng.normal())) };
  });
  // Scale the shares so the province adds up to the reported total (bisection: the cap makes it non-linear).
  const households = drawn.reduce((s, d) => s + d.c.households!, 0);
  const total = (k: number) => drawn.reduce((s, d) => s + Math.min(MAX_SHARE, d.share * k) * d.c.households!, 0) / households;
  let [lo, hi] = [0.2, 3];
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (total(mid) * 100 < DEMO_FIBER_PCT) lo = mid;
    else hi = mid;
  }
  const rows: BroadbandRow[] = [];
  for (const d of drawn) {
    const hh = d.c.households!;
    const subscriptions = Math.round(Math.min(MAX_SHARE, d.share * lo) * hh);
    const shares = SHARES[d.setting];
    const parts = apportion(subscriptions, shares.map(([, w]) => w * (0.8 + 0.4 * prng.next())));
    shares.forEach(([operator], i) => {
      const takeRate = prng.between(0.5, 0.85);
      rows.push({
        row: rows.length, communeCode: d.c.code, operator, asOf,
        householdsPassed: Math.min(hh, Math.ceil(parts[i] / takeRate)), subscriptions: parts[i], ports: Math.ceil(parts[i] * prng.between(1.2, 1.5)),
      });
    });
  }
  return rows;
}

/** Writes the demo set; the caller checks the table is empty and DEMO_DATA is on. */
export async function loadDemoBroadband(knex: Knex, options: { seed?: number } = {}): Promise<BroadbandCounts> {
  const rows = generateDemoBroadband(await createCommunesRepo(knex).list(), options);
  return createBroadbandRepo(knex).write(rows, { dryRun: false, importId: null, actor: 'demo generator (SYNTHETIC)', isDemo: true });
}
