/**
 * What share of a commune has known ground heights: the commune's rows (as in the coverage sweep)
 * sampled along longitude at the heights' own spacing, each sample standing for its stretch.
 */
import type { MultiPolygon, Polygon } from 'geojson';
import { buildPolygonRows, maxRowCrossings, rowIntervals, rowLatitude } from './polygon-rows';
import type { HeightSampler } from './terrain-footprint';

/** SRTM 3″ post spacing, degrees. */
const DEFAULT_STEP_DEG = 1 / 1200;

/**
 * Share of the commune's area (0–1) where heightAt knows the ground; 0 for an empty polygon.
 *
 * @param rowSpacingM north–south distance between sample rows, metres (default 90)
 * @param stepDeg east–west sample spacing, degrees (default 3″)
 */
export function knownTerrainShare(geometry: Polygon | MultiPolygon, heightAt: HeightSampler, rowSpacingM = 90, stepDeg = DEFAULT_STEP_DEG): number {
  const rows = buildPolygonRows(geometry, rowSpacingM);
  const within = new Float64Array(Math.max(2, maxRowCrossings(rows)));
  let total = 0;
  let known = 0;
  for (let k = 0; k < rows.rowCount; k++) {
    const lat = rowLatitude(rows, k);
    const weight = Math.cos((lat * Math.PI) / 180);
    const n = rowIntervals(rows, k, within);
    for (let j = 0; j < n; j += 2) {
      const [west, east] = [within[j], within[j + 1]];
      for (let x = west; x < east; x += stepDeg) {
        const length = Math.min(stepDeg, east - x) * weight;
        total += length;
        if (!Number.isNaN(heightAt(x + Math.min(stepDeg, east - x) / 2, lat))) known += length;
      }
    }
  }
  return total > 0 ? known / total : 0;
}
