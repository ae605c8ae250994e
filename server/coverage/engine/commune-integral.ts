/**
 * The row sweep over one commune: its area and the area each group of radios covers in it, km².
 * Method and accuracy are described in coverage.ts; this file is about doing it fast.
 *
 * Speed comes from three things: a Flatbush query keeps only radios whose box meets the commune;
 * radios enter per-group active lists as the rows reach them (sorted by south edge) and leave
 * lazily; and a group is settled without sorting as soon as one chord spans the whole row. The
 * radio that spanned the previous row is tried first, so a commune lying wholly inside a large
 * footprint costs O(groups) per row whatever the number of radios.
 */
import { metresPerDegreeLat, metresPerDegreeLon } from './geodesy';
import { IntervalList, mergeRuns, pairsLength, runsLengthWithin } from './intervals';
import { buildPolygonRows, maxRowCrossings, rowIntervals, rowLatitude } from './polygon-rows';
import { ChordBuffer, rowChords, type PreparedRadios } from './radio-rows';
import { cumulativeAt, gridRowOf, type PreparedGrid } from './population';
import type { MultiPolygon, Polygon } from 'geojson';

const M2_PER_KM2 = 1e6;
const NONE = -1;

/** Groups of figures: every radio belongs to one operator group, each of which feeds one 'all' group. */
export interface GroupLayout {
  /** Number of groups, operator and 'all' together. */
  count: number;
  /** Indices of the operator groups. */
  operatorGroups: readonly number[];
  /** Indices of the 'all' groups. */
  allGroups: readonly number[];
  /** For each group index, its 'all' group (for an 'all' group, itself). */
  allOf: Int32Array;
}

/** Whether one chord of radio i covers the whole row [rowWest, rowEast] (degrees). */
function spansRow(radios: PreparedRadios, i: number, lat: number, rowWest: number, rowEast: number, buffer: ChordBuffer): boolean {
  if (radios.maxLon[i] < rowEast || radios.minLon[i] > rowWest) return false;
  const m = rowChords(radios, i, lat, buffer);
  const chords = buffer.source;
  for (let j = buffer.from; j < buffer.from + m; j += 2) {
    if (chords[j] >= rowEast) break; // sorted: the rest start further east
    if (chords[j] <= rowWest && chords[j + 1] >= rowEast) return true;
  }
  return false;
}

/** The result of one commune's sweep. */
export interface CommuneIntegral {
  areaKm2: number;
  /** Per group index, the covered area, km². */
  coveredKm2: Float64Array;
  /** ∫ grid density over the commune (people if the grid's totals were right); 0 without a grid. */
  weight: number;
  /** Per group index, ∫ grid density over the covered part. */
  coveredWeight: Float64Array;
}

/**
 * Integrate one commune.
 *
 * @param geometry WGS84 commune polygon
 * @param rowSpacingM distance between rows, metres
 * @param grid population density grid, or null: then the weights stay 0
 * @returns the commune's ellipsoidal area and, per group index, the covered area, km², and the
 *   same for the grid's density weight
 */
export function integrateCommune(
  geometry: Polygon | MultiPolygon,
  radios: PreparedRadios,
  layout: GroupLayout,
  rowSpacingM: number,
  grid: PreparedGrid | null = null,
): CommuneIntegral {
  const coveredKm2 = new Float64Array(layout.count);
  const coveredWeight = new Float64Array(layout.count);
  let weight = 0;
  const rows = buildPolygonRows(geometry, rowSpacingM);
  if (rows.rowCount === 0) return { areaKm2: 0, coveredKm2, weight, coveredWeight };

  const candidates = radios.index ? radios.index.search(rows.minLon, rows.minLat, rows.maxLon, rows.maxLat) : [];
  candidates.sort((a, b) => radios.minLat[a] - radios.minLat[b]);
  let nextCandidate = 0;
  const active: number[][] = Array.from({ length: layout.count }, () => []);
  const spanner = new Int32Array(layout.count).fill(NONE);
  const lists = Array.from({ length: layout.count }, () => new IntervalList());
  const saturated = new Uint8Array(layout.count);
  const within = new Float64Array(Math.max(2, maxRowCrossings(rows)));
  const buffer = new ChordBuffer();
  const measured = new Float64Array(2);
  let areaKm2 = 0;

  for (let k = 0; k < rows.rowCount; k++) {
    const lat = rowLatitude(rows, k);
    while (nextCandidate < candidates.length && radios.minLat[candidates[nextCandidate]] <= lat) {
      const i = candidates[nextCandidate++];
      active[radios.group[i]].push(i);
    }
    const n = rowIntervals(rows, k, within);
    if (n === 0) continue;
    const km2PerDeg = (metresPerDegreeLon(lat) * rows.rowHeightDeg * metresPerDegreeLat(lat)) / M2_PER_KM2;
    const rowLengthDeg = pairsLength(within, n);
    areaKm2 += rowLengthDeg * km2PerDeg;
    const rowWest = within[0];
    const rowEast = within[n - 1];
    const gridRow = grid ? gridRowOf(grid, lat) : -1;
    let rowWeight = 0;
    if (gridRow >= 0) {
      for (let j = 0; j < n; j += 2) rowWeight += cumulativeAt(grid!, gridRow, within[j + 1]) - cumulativeAt(grid!, gridRow, within[j]);
      weight += rowWeight * km2PerDeg;
    }

    saturated.fill(0);
    for (const g of layout.operatorGroups) {
      const all = layout.allOf[g];
      if (spanner[g] !== NONE && spansRow(radios, spanner[g], lat, rowWest, rowEast, buffer)) {
        saturated[g] = saturated[all] = 1;
        continue;
      }
      spanner[g] = NONE;
      const list = active[g];
      let kept = 0;
      let index = 0;
      for (; index < list.length; index++) {
        const i = list[index];
        if (radios.maxLat[i] < lat) continue; // passed: drop it
        list[kept++] = i;
        if (radios.maxLon[i] < rowWest || radios.minLon[i] > rowEast) continue;
        const m = rowChords(radios, i, lat, buffer);
        const chords = buffer.source;
        let spanned = false;
        for (let j = buffer.from; j < buffer.from + m; j += 2) {
          const a = chords[j];
          const b = chords[j + 1];
          // Only the part over the commune's row matters: a chord beside it is not pushed, one
          // across its edge is cut there (far fewer and shorter intervals to sort and merge).
          // Chords are sorted: past the row's east end none can matter.
          if (a >= rowEast) break;
          if (b <= rowWest) continue;
          if (a <= rowWest && b >= rowEast) {
            spanned = true;
            break;
          }
          lists[g].push(a < rowWest ? rowWest : a, b > rowEast ? rowEast : b);
        }
        if (spanned) {
          saturated[g] = saturated[all] = 1;
          spanner[g] = i;
          index++;
          break;
        }
      }
      // Keep the radios not visited because the group was settled early.
      while (index < list.length) list[kept++] = list[index++];
      if (kept !== list.length) list.length = kept;
    }

    // Operator unions first; their merged runs (far fewer than chords where footprints overlap)
    // then make up the 'all' union.
    for (const g of layout.operatorGroups) {
      const list = lists[g];
      if (saturated[g]) {
        coveredKm2[g] += rowLengthDeg * km2PerDeg;
        coveredWeight[g] += rowWeight * km2PerDeg;
      } else if (list.count > 0) {
        mergeRuns(list);
        runsLengthWithin(list, within, n, grid, gridRow, measured);
        coveredKm2[g] += measured[0] * km2PerDeg;
        coveredWeight[g] += measured[1] * km2PerDeg;
        const all = lists[layout.allOf[g]];
        if (!saturated[layout.allOf[g]]) for (let j = 0; j < list.count; j++) all.push(list.starts[j], list.ends[j]);
      }
      list.clear();
    }
    for (const a of layout.allGroups) {
      const list = lists[a];
      if (saturated[a]) {
        coveredKm2[a] += rowLengthDeg * km2PerDeg;
        coveredWeight[a] += rowWeight * km2PerDeg;
      } else if (list.count > 0) {
        mergeRuns(list);
        runsLengthWithin(list, within, n, grid, gridRow, measured);
        coveredKm2[a] += measured[0] * km2PerDeg;
        coveredWeight[a] += measured[1] * km2PerDeg;
      }
      list.clear();
    }
  }
  return { areaKm2, coveredKm2, weight, coveredWeight };
}
