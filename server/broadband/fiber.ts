/**
 * Households on fiber, derived from the operators' figures. Pure: records and communes in, figures
 * out. Percentages are points (0–100).
 *
 * - Subscriptions are summed over operators: a household seldom pays two fiber lines, so the sum
 *   is the households connected.
 * - Households passed cannot be summed (a street passed by two operators would count twice): the
 *   best-covered operator, or the subscriptions when they are more (a subscriber is passed), give
 *   the lower bound (`passedPct`), the capped sum the upper bound (`passedPctUpper`).
 * - Households are the commune's estimate (population ÷ 2019 household size). When the data exceed
 *   it, the percentage is capped at 100 and `exceeds100` says so: either the estimate is low or
 *   the figures count more than households (businesses, second homes).
 */

export interface FiberRecord {
  communeCode: string;
  operator: string;
  /** YYYY-MM-DD the figures hold on. */
  asOf: string;
  householdsPassed: number;
  subscriptions: number;
  ports: number | null;
  isDemo?: boolean;
}

export interface CommuneFiber {
  communeCode: string;
  households: number | null;
  /** Operators whose figures count, each with its own latest date. */
  operators: Array<{ operator: string; asOf: string; householdsPassed: number; subscriptions: number; ports: number | null }>;
  /** The latest date among them. */
  asOf: string;
  subscriptions: number;
  /** Households passed, lower bound: the best-covered operator's, or the subscriptions if more. */
  householdsPassed: number;
  householdsPassedSum: number;
  ports: number | null;
  /** Capped at 100; null when the commune's households are unknown. */
  fiberPct: number | null;
  /** Uncapped, as the data say. */
  fiberPctRaw: number | null;
  passedPct: number | null;
  passedPctUpper: number | null;
  /** The data give more subscriptions or households passed than the commune has households. */
  exceeds100: boolean;
  isDemo: boolean;
}

export interface ProvinceFiber {
  communesTotal: number;
  communesWithData: number;
  /** Communes where at least one operator passes a household. */
  communesWithFiber: number;
  /** Households of the communes with data. */
  households: number;
  /** Subscriptions as uploaded, summed. */
  subscriptions: number;
  /** Subscriptions with each commune capped at its households: what `fiberPct` counts. */
  subscriptionsCapped: number;
  householdsPassedCapped: number;
  /** Over the communes with data. */
  fiberPct: number | null;
  passedPct: number | null;
  /** Over the communes with data: the share reached by fiber. */
  fiberCommunesPct: number | null;
  /** Communes whose figures exceed their households (capped and flagged). */
  communesExceeding: string[];
  operators: string[];
  asOf: string | null;
}

/** For each commune and operator, the latest figures dated on or before `asOf` (all when absent). */
export function latestPerOperator<T extends FiberRecord>(records: readonly T[], asOf?: string): T[] {
  const best = new Map<string, T>();
  for (const r of records) {
    if (asOf && r.asOf > asOf) continue;
    const key = `${r.communeCode}|${r.operator}`;
    const prev = best.get(key);
    if (!prev || r.asOf > prev.asOf) best.set(key, r);
  }
  return [...best.values()].sort((a, b) => a.communeCode.localeCompare(b.communeCode) || a.operator.localeCompare(b.operator));
}

/** Points, to 0.001: finer than any input supports, and readable in JSON and CSV. */
const pct = (part: number, whole: number) => Math.round((100_000 * part) / whole) / 1000;

/** Per-commune figures from the latest record of each operator (pass `latestPerOperator` output). */
export function communeFiber(latest: readonly FiberRecord[], households: ReadonlyMap<string, number | null>): CommuneFiber[] {
  const byCommune = new Map<string, FiberRecord[]>();
  for (const r of latest) byCommune.set(r.communeCode, [...(byCommune.get(r.communeCode) ?? []), r]);
  return [...byCommune.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, rs]) => {
    const hh = households.get(code) ?? null;
    const subscriptions = sum(rs.map((r) => r.subscriptions));
    const passedMax = Math.max(subscriptions, ...rs.map((r) => r.householdsPassed));
    const passedSum = sum(rs.map((r) => r.householdsPassed));
    const known = hh !== null && hh > 0;
    const raw = known ? pct(subscriptions, hh) : null;
    return {
      communeCode: code,
      households: hh,
      operators: rs.map(({ operator, asOf, householdsPassed, subscriptions: s, ports }) => ({ operator, asOf, householdsPassed, subscriptions: s, ports })),
      asOf: rs.reduce((m, r) => (r.asOf > m ? r.asOf : m), rs[0].asOf),
      subscriptions,
      householdsPassed: passedMax,
      householdsPassedSum: passedSum,
      ports: rs.every((r) => r.ports === null) ? null : sum(rs.map((r) => r.ports ?? 0)),
      fiberPct: raw === null ? null : Math.min(100, raw),
      fiberPctRaw: raw,
      passedPct: known ? Math.min(100, pct(passedMax, hh)) : null,
      passedPctUpper: known ? Math.min(100, pct(passedSum, hh)) : null,
      exceeds100: known && (subscriptions > hh || passedMax > hh),
      isDemo: rs.some((r) => r.isDemo === true),
    };
  });
}

/** Province totals over the communes with data; `communesTotal` is every commune of the province. */
export function provinceFiber(communes: readonly CommuneFiber[], communesTotal: number): ProvinceFiber {
  const known = communes.filter((c) => c.households !== null && c.households > 0);
  const households = sum(known.map((c) => c.households!));
  const subscriptionsCapped = sum(known.map((c) => Math.min(c.subscriptions, c.households!)));
  const passedCapped = sum(known.map((c) => Math.min(c.householdsPassed, c.households!)));
  const withFiber = communes.filter((c) => c.householdsPassed > 0).length;
  return {
    communesTotal,
    communesWithData: communes.length,
    communesWithFiber: withFiber,
    households,
    subscriptions: sum(communes.map((c) => c.subscriptions)),
    subscriptionsCapped,
    householdsPassedCapped: passedCapped,
    fiberPct: households > 0 ? pct(subscriptionsCapped, households) : null,
    passedPct: households > 0 ? pct(passedCapped, households) : null,
    fiberCommunesPct: communes.length > 0 ? pct(withFiber, communes.length) : null,
    communesExceeding: communes.filter((c) => c.exceeds100).map((c) => c.communeCode),
    operators: [...new Set(communes.flatMap((c) => c.operators.map((o) => o.operator)))].sort(),
    asOf: communes.reduce<string | null>((m, c) => (m === null || c.asOf > m ? c.asOf : m), null),
  };
}

const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
