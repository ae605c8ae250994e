/**
 * Maximum coverage, greedy with lazy evaluation (CELF, Leskovec et al. 2007): each step takes the
 * candidate that adds the most weight not yet covered. Coverage is submodular, so a gain only
 * shrinks as sites are chosen: a candidate whose stale gain is still the best after it is brought
 * up to date is the true best, and most candidates are never looked at again. For any k, the first
 * k sites cover at least (1 − 1/e) of what the best k sites could (Nemhauser, Wolsey, Fisher 1978).
 * Pure.
 */

export interface CoverageInstance {
  /** Weight of each demand point (people, or km²); points already covered weigh 0. */
  weights: Float64Array;
  /** For each candidate, the demand points it covers. */
  covers: readonly Int32Array[];
}

/** A binary max-heap of (gain, candidate); ties go to the lower candidate index. */
class Heap {
  private gains: number[] = [];
  private ids: number[] = [];
  get size() { return this.ids.length; }
  private better(a: number, b: number) {
    return this.gains[a] > this.gains[b] || (this.gains[a] === this.gains[b] && this.ids[a] < this.ids[b]);
  }
  private swap(a: number, b: number) {
    [this.gains[a], this.gains[b]] = [this.gains[b], this.gains[a]];
    [this.ids[a], this.ids[b]] = [this.ids[b], this.ids[a]];
  }
  push(gain: number, id: number) {
    this.gains.push(gain);
    this.ids.push(id);
    let i = this.ids.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.better(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  peekGain() { return this.gains[0]; }
  pop(): { gain: number; id: number } {
    const top = { gain: this.gains[0], id: this.ids[0] };
    const lastGain = this.gains.pop()!;
    const lastId = this.ids.pop()!;
    if (this.ids.length) {
      this.gains[0] = lastGain;
      this.ids[0] = lastId;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let best = i;
        if (l < this.ids.length && this.better(l, best)) best = l;
        if (r < this.ids.length && this.better(r, best)) best = r;
        if (best === i) break;
        this.swap(i, best);
        i = best;
      }
    }
    return top;
  }
}

export interface GreedyStep {
  candidate: number;
  /** Weight it adds to what the earlier steps cover. */
  gain: number;
  /** Weight covered by this step and the earlier ones (excluding what was covered before). */
  cumulative: number;
}

/** The greedy order, one step at a time; it ends when no candidate adds anything. */
export function* lazyGreedy(instance: CoverageInstance): Generator<GreedyStep, void, undefined> {
  const covered = new Uint8Array(instance.weights.length);
  const gainOf = (c: number) => {
    let g = 0;
    for (const p of instance.covers[c]) if (!covered[p]) g += instance.weights[p];
    return g;
  };
  const heap = new Heap();
  instance.covers.forEach((_, c) => {
    const g = gainOf(c);
    if (g > 0) heap.push(g, c);
  });
  let cumulative = 0;
  while (heap.size) {
    const top = heap.pop();
    const fresh = gainOf(top.id);
    if (!(fresh > 0)) continue;
    if (heap.size && fresh < heap.peekGain()) {
      heap.push(fresh, top.id);
      continue;
    }
    for (const p of instance.covers[top.id]) covered[p] = 1;
    cumulative += fresh;
    yield { candidate: top.id, gain: fresh, cumulative };
  }
}

/** The first `k` greedy steps (or fewer when nothing more can be added). */
export function greedyPrefix(instance: CoverageInstance, k: number): GreedyStep[] {
  const steps: GreedyStep[] = [];
  if (k <= 0) return steps;
  for (const step of lazyGreedy(instance)) {
    steps.push(step);
    if (steps.length >= k) break;
  }
  return steps;
}
