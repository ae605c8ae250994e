/**
 * A small seeded random source for the demo generator. Math.random cannot be seeded, and the demo
 * set must be byte-identical for the same seed on every machine, so everything random in
 * `server/stations/demo/` draws from one of these, in a fixed order.
 */
export interface Prng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform in [min, max). */
  between(min: number, max: number): number;
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** Standard normal (mean 0, standard deviation 1). */
  normal(): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One of `items`, with probability proportional to its weight. */
  weighted<T>(items: ReadonlyArray<readonly [T, number]>): T;
}

/**
 * mulberry32 (Tommy Ettinger, public domain): 32-bit state, period 2^32, good enough for
 * scattering ~10^4 points and far faster than a cryptographic generator.
 */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    between: (min, max) => min + (max - min) * next(),
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    // Box–Muller; 1 - u keeps the logarithm finite. One value per call keeps the draw order simple.
    normal: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    chance: (p) => next() < p,
    weighted<T>(items: ReadonlyArray<readonly [T, number]>): T {
      const total = items.reduce((s, [, w]) => s + w, 0);
      let u = next() * total;
      for (const [item, w] of items) {
        u -= w;
        if (u < 0) return item;
      }
      return items[items.length - 1][0];
    },
  };
}

/**
 * Indices of `k` items drawn without replacement, each with probability proportional to its
 * weight (Efraimidis–Spirakis: key = ln(u) / w, keep the k largest). Items of weight 0 are never
 * drawn. Returned in ascending index order so callers iterate deterministically.
 */
export function sampleWeighted(prng: Prng, weights: readonly number[], k: number): number[] {
  const keyed: Array<{ i: number; key: number }> = [];
  weights.forEach((w, i) => {
    const u = prng.next();
    if (w > 0) keyed.push({ i, key: Math.log(1 - u) / w });
  });
  keyed.sort((a, b) => b.key - a.key || a.i - b.i);
  return keyed.slice(0, k).map((e) => e.i).sort((a, b) => a - b);
}

/**
 * Splits `total` into integer parts: each part first gets `min` (when the total allows it), the
 * rest is shared in proportion to `weights` by the largest-remainder method. Deterministic: ties
 * go to the lower index.
 */
export function apportion(total: number, weights: readonly number[], min = 0): number[] {
  const n = weights.length;
  if (n === 0) return [];
  const floor = total >= min * n ? min : 0;
  const rest = total - floor * n;
  const sum = weights.reduce((s, w) => s + w, 0) || 1;
  const exact = weights.map((w) => (rest * w) / sum);
  const parts = exact.map((x) => floor + Math.floor(x));
  let left = total - parts.reduce((s, p) => s + p, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (let j = 0; left > 0; j = (j + 1) % n, left--) parts[order[j].i] += 1;
  return parts;
}
