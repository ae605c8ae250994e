/**
 * Growable list of 1-D intervals (longitude, degrees) and the one measurement the engine needs:
 * the length of their union inside another sorted, disjoint interval list. Typed arrays and no
 * per-row allocation, because this runs once per row, technology and operator.
 */

/** Intervals [starts[i], ends[i]], in insertion order until sorted. */
export class IntervalList {
  starts = new Float64Array(64);
  ends = new Float64Array(64);
  count = 0;

  push(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const starts = new Float64Array(this.count * 2);
      const ends = new Float64Array(this.count * 2);
      starts.set(this.starts);
      ends.set(this.ends);
      this.starts = starts;
      this.ends = ends;
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }

  clear(): void {
    this.count = 0;
  }
}

/** Sort both arrays by start, in place: insertion sort for short runs, quicksort above. */
function sortByStart(starts: Float64Array, ends: Float64Array, lo: number, hi: number): void {
  while (hi - lo > 16) {
    const pivot = starts[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (starts[i] < pivot) i++;
      while (starts[j] > pivot) j--;
      if (i <= j) {
        const s = starts[i];
        starts[i] = starts[j];
        starts[j] = s;
        const e = ends[i];
        ends[i] = ends[j];
        ends[j] = e;
        i++;
        j--;
      }
    }
    // Recurse into the smaller side, loop on the larger: stack depth stays logarithmic.
    if (j - lo < hi - i) {
      sortByStart(starts, ends, lo, j);
      lo = i;
    } else {
      sortByStart(starts, ends, i, hi);
      hi = j;
    }
  }
  for (let i = lo + 1; i <= hi; i++) {
    const s = starts[i];
    const e = ends[i];
    let p = i;
    while (p > lo && starts[p - 1] > s) {
      starts[p] = starts[p - 1];
      ends[p] = ends[p - 1];
      p--;
    }
    starts[p] = s;
    ends[p] = e;
  }
}

import { cumulativeAt, type PreparedGrid } from './population';

/**
 * Replace the intervals of `list` by their union: sorted, disjoint runs. Touching or overlapping
 * intervals merge.
 */
export function mergeRuns(list: IntervalList): void {
  const n = list.count;
  if (n < 2) return;
  const { starts, ends } = list;
  sortByStart(starts, ends, 0, n - 1);
  let runs = 0;
  for (let i = 1; i < n; i++) {
    if (starts[i] <= ends[runs]) {
      if (ends[i] > ends[runs]) ends[runs] = ends[i];
    } else {
      runs++;
      starts[runs] = starts[i];
      ends[runs] = ends[i];
    }
  }
  list.count = runs + 1;
}

/**
 * Length of the runs of a merged `list` (see mergeRuns) inside `within`, degrees, and the same
 * length weighted by a population grid's row (density · degrees; 0 without a grid).
 *
 * @param within sorted disjoint pairs [s0, e0, s1, e1, …] (a commune's row)
 * @param withinCount number of values in `within` (twice the number of intervals)
 * @param grid population grid, or null
 * @param gridRow the grid row of this row's latitude, or −1 (outside the grid)
 * @param out receives [length, weight]
 */
export function runsLengthWithin(
  list: IntervalList,
  within: Float64Array,
  withinCount: number,
  grid: PreparedGrid | null,
  gridRow: number,
  out: Float64Array,
): void {
  const { starts, ends } = list;
  const weighted = grid !== null && gridRow >= 0;
  let length = 0;
  let weight = 0;
  let cursor = 0;
  for (let i = 0; i < list.count; i++) {
    // Commune intervals that end before this run can never matter again: runs go eastwards.
    while (cursor < withinCount && within[cursor + 1] <= starts[i]) cursor += 2;
    const end = ends[i];
    for (let k = cursor; k < withinCount && within[k] < end; k += 2) {
      const lo = Math.max(starts[i], within[k]);
      const hi = Math.min(end, within[k + 1]);
      if (hi > lo) {
        length += hi - lo;
        if (weighted) weight += cumulativeAt(grid, gridRow, hi) - cumulativeAt(grid, gridRow, lo);
      }
    }
  }
  out[0] = length;
  out[1] = weight;
}

/** Total length of sorted disjoint pairs, degrees. */
export function pairsLength(pairs: Float64Array, count: number): number {
  let total = 0;
  for (let k = 0; k < count; k += 2) total += pairs[k + 1] - pairs[k];
  return total;
}
