import { foldVietnamese } from './parse-communes';

/**
 * Household estimates for the new (2025) communes. No official count exists at that level, so
 * households = population / household size, with the size taken from the 2019 census:
 * 1. the former communes of the 2019 census matched to this new commune (their people over their
 *    households), when at least one matched;
 * 2. otherwise the former province the commune's former communes belonged to (census totals);
 * 3. otherwise the national 2019 average, 3.5 people per household (GSO, 2019 census).
 */
export const NATIONAL_HOUSEHOLD_SIZE_2019 = 3.5;

export type HouseholdsMethod = 'census2019-communes' | 'census2019-province' | 'national-average-2019';

export interface CensusFormerCommune {
  formerProvince: string;
  population: number;
  households: number;
  /** The new commune code it was matched to, or null when unmatched. */
  newCode: string | null;
}

/** A former commune (before 1 July 2025) and the new commune it went into. */
export interface FormerCommuneLink {
  newCode: string;
  formerProvince: string;
}

export interface HouseholdEstimate {
  households: number | null;
  householdSize: number;
  method: HouseholdsMethod;
}

export function estimateHouseholds(
  communes: ReadonlyArray<{ code: string; population: number | null }>,
  census: readonly CensusFormerCommune[],
  links: readonly FormerCommuneLink[],
): Map<string, HouseholdEstimate> {
  const byCommune = sumBy(census.filter((c) => c.newCode), (c) => c.newCode!);
  const byProvince = sumBy(census, (c) => provinceKey(c.formerProvince));
  const provinceOf = majorityProvince(links);
  const out = new Map<string, HouseholdEstimate>();
  for (const { code, population } of communes) {
    const own = byCommune.get(code);
    const province = byProvince.get(provinceOf.get(code) ?? '');
    let householdSize = NATIONAL_HOUSEHOLD_SIZE_2019;
    let method: HouseholdsMethod = 'national-average-2019';
    if (own && own.households > 0) {
      householdSize = own.population / own.households;
      method = 'census2019-communes';
    } else if (province && province.households > 0) {
      householdSize = province.population / province.households;
      method = 'census2019-province';
    }
    out.set(code, {
      households: population == null ? null : Math.round(population / householdSize),
      householdSize: Math.round(householdSize * 1000) / 1000,
      method,
    });
  }
  return out;
}

/** "Tỉnh Hòa Bình", "HoàBình" and "Hoà Bình" all name one province. */
export function provinceKey(name: string): string {
  return foldVietnamese(name).replace(/^tinh\s*/, '').replace(/[^a-z]/g, '');
}

function sumBy<T extends CensusFormerCommune>(rows: readonly T[], key: (r: T) => string) {
  const sums = new Map<string, { population: number; households: number }>();
  for (const r of rows) {
    const s = sums.get(key(r)) ?? { population: 0, households: 0 };
    s.population += r.population;
    s.households += r.households;
    sums.set(key(r), s);
  }
  return sums;
}

function majorityProvince(links: readonly FormerCommuneLink[]): Map<string, string> {
  const counts = new Map<string, Map<string, number>>();
  for (const { newCode, formerProvince } of links) {
    const m = counts.get(newCode) ?? new Map<string, number>();
    const k = provinceKey(formerProvince);
    m.set(k, (m.get(k) ?? 0) + 1);
    counts.set(newCode, m);
  }
  const out = new Map<string, string>();
  for (const [code, m] of counts) out.set(code, [...m].sort((a, b) => b[1] - a[1])[0][0]);
  return out;
}
