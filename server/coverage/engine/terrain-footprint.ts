/**
 * A radio's footprint over terrain: the points where the empirical median path loss plus the
 * weighted diffraction loss over the terrain profile stays within the link budget.
 *
 * Representation (and its resolution):
 *  - polar cells: radials 2° apart (fewer for small footprints: about one per stepM of arc at the
 *    edge, 72 to 180 per turn; a sector gets radials that end exactly on its edges), sampled every
 *    stepM along each radial: radius / 20 (at least 30 m) below 1.8 km, then 90 m (the SRTM 3″
 *    post spacing) up to 11.5 km, then radius / 128 (180 m at 23 km). Each sample decides a cell
 *    of ±stepM/2 around it. The cost is about radials × samples profile points per radio: this
 *    caps it near 23,000, so that a cold run of a whole province's radios stays short (what one
 *    took: test/bench/README.md).
 *  - strips, for the row engine: the polar cells cut into horizontal bands stepM high; inside a
 *    band the longitude intervals are exact for the band's centre line. A commune row reads the
 *    band it falls in, so figures, gaps, the layer and the point lookup all use these cells.
 * Finer would not be truer: the heights themselves are 90 m posts, and Hata's median carries the
 * clutter that a finer profile would need.
 *
 * The engine stays pure: heights come in as a sampling function.
 */
import { DEG_TO_RAD, metresPerDegreeLat, primeVerticalRadiusM } from './geodesy';
import { sweepLimits, sweepRadial, sweepScratch, type SweepScratch } from './diffraction';
import { IntervalList, mergeRuns } from './intervals';
import type { FootprintStrips } from './types';

/**
 * Ground height at a point, metres above the geoid; NaN where unknown (void, no tile). It may
 * carry `along`: the heights at lon0 + j·dLon, lat0 + j·dLat for j = 1 … n into out[j], exactly
 * as the function itself gives them, only faster (a radial's profile at once).
 */
export type HeightSampler = ((lonDeg: number, latDeg: number) => number) & {
  along?: (lon0: number, lat0: number, dLon: number, dLat: number, n: number, out: Float64Array) => void;
};

/** What a terrain footprint needs to know about one radio. */
export interface TerrainRadio {
  lon: number;
  lat: number;
  /** The flat footprint's radius, metres: terrain only ever takes away from it. */
  radiusM: number;
  azimuthDeg?: number | null;
  beamwidthDeg?: number | null;
  /** Antenna height above the ground at the site, metres. */
  antennaAboveGroundM: number;
  /** Handset height above the ground at the point, metres. */
  receiverAboveGroundM: number;
  wavelengthM: number;
  /**
   * Diffraction loss the link can still afford at a distance, dB: the allowed path loss minus the
   * flat model's loss there (never below 0 inside the flat radius).
   */
  allowedDiffractionDb: (distanceM: number) => number;
  /** Weight of the diffraction term (a model constant, see coverage.model.ts). */
  diffractionWeight: number;
}

/** A footprint that terrain changed: its polar cells and the strips the row engine reads. */
export interface TerrainFootprint {
  /** Left (anticlockwise) edge of radial 0, degrees clockwise from north. */
  startDeg: number;
  /** Angular width of each radial, degrees. */
  radialDeg: number;
  radials: number;
  stepM: number;
  /** Radial r's covered distance ranges: runs[runOffsets[r] … runOffsets[r + 1]) as [from, to] pairs, metres. */
  runOffsets: Int32Array;
  runs: Float64Array;
  strips: FootprintStrips;
}

/** Options of terrainFootprint. */
export interface TerrainFootprintOptions {
  /** Most samples along a radial before the step grows past 90 m. Default 128. */
  samplesPerRadial?: number;
  /** Most radials per full turn. Default 180 (2°). */
  maxRadials?: number;
}

const MIN_STEP_M = 30;
/** SRTM 3″ post spacing, metres: no finer step for footprints over 1.8 km. */
const TERRAIN_STEP_M = 90;
const MIN_RADIALS = 72;
const DEFAULT_RADIALS = 180;
const DEFAULT_SAMPLES = 128;

/** Radial step: radius / 20 (at least 30 m) for small footprints, 90 m up to 128 samples, then longer. */
function stepFor(radiusM: number, samples: number): number {
  if (radiusM / 20 <= TERRAIN_STEP_M) return Math.max(MIN_STEP_M, radiusM / 20);
  return Math.max(TERRAIN_STEP_M, radiusM / samples);
}

/**
 * The footprint of a radio over terrain, or null when terrain takes nothing from the flat one (the
 * site's ground is unknown, or every cell is reached): the caller keeps the exact disc or wedge.
 */
export function terrainFootprint(radio: TerrainRadio, heightAt: HeightSampler, options: TerrainFootprintOptions = {}, scratch: SweepScratch = sweepScratch()): TerrainFootprint | null {
  const r = radio.radiusM;
  if (!(r > 0)) return null;
  const siteZ = heightAt(radio.lon, radio.lat);
  if (Number.isNaN(siteZ)) return null;
  const stepM = stepFor(r, options.samplesPerRadial ?? DEFAULT_SAMPLES);
  const n = Math.max(1, Math.round(r / stepM));
  const perTurn = Math.min(options.maxRadials ?? DEFAULT_RADIALS, Math.max(MIN_RADIALS, Math.ceil((2 * Math.PI * r) / stepM)));
  const sector = sectorOf(radio);
  const spanDeg = sector ? sector.beamwidthDeg : 360;
  const radials = Math.max(2, Math.ceil((spanDeg * perTurn) / 360));
  const radialDeg = spanDeg / radials;
  const startDeg = sector ? sector.azimuthDeg - spanDeg / 2 : -radialDeg / 2;

  const allowed = new Float64Array(n + 1);
  for (let j = 1; j <= n; j++) allowed[j] = Math.max(0, radio.allowedDiffractionDb(j * stepM));
  const vLimit = sweepLimits(allowed, radio.diffractionWeight);
  const along = heightAt.along;
  const mPerDegLat = metresPerDegreeLat(radio.lat);
  const nPerDeg = primeVerticalRadiusM(radio.lat) * DEG_TO_RAD;
  const heights = new Float64Array(n + 1);
  const covered = new Uint8Array(n + 1);
  const runOffsets = new Int32Array(radials + 1);
  const runs: number[] = [];
  let reachedAll = true;
  // Local plane at the site (as radio-rows.ts; within 35 km the cosine moves by under 0.3 %).
  const kx = nPerDeg * Math.cos(radio.lat * DEG_TO_RAD);
  for (let k = 0; k < radials; k++) {
    const bearing = (startDeg + (k + 0.5) * radialDeg) * DEG_TO_RAD;
    const dLat = (stepM * Math.cos(bearing)) / mPerDegLat;
    const dLon = (stepM * Math.sin(bearing)) / kx;
    heights[0] = siteZ;
    if (along) along(radio.lon, radio.lat, dLon, dLat, n, heights);
    else for (let j = 1; j <= n; j++) heights[j] = heightAt(radio.lon + j * dLon, radio.lat + j * dLat);
    sweepRadial(heights, n + 1, stepM, radio.antennaAboveGroundM, radio.receiverAboveGroundM, radio.wavelengthM, vLimit, covered, scratch);
    // Sample j decides [(j − ½)·step, (j + ½)·step] ∩ [0, r]; the last one reaches r.
    let open = -1;
    for (let j = 0; j <= n + 1; j++) {
      const on = j <= n && covered[j] === 1;
      if (j <= n && !on) reachedAll = false;
      if (on && open < 0) open = j;
      if (!on && open >= 0) {
        runs.push(Math.max(0, (open - 0.5) * stepM), j - 1 === n ? r : Math.min(r, (j - 0.5) * stepM));
        open = -1;
      }
    }
    runOffsets[k + 1] = runs.length / 2;
  }
  if (reachedAll) return null;
  const runArray = Float64Array.from(runs);
  return {
    startDeg, radialDeg, radials, stepM, runOffsets, runs: runArray,
    strips: stripsOf(radio, { startDeg, radialDeg, radials, stepM, runOffsets, runs: runArray }),
  };
}

function sectorOf(radio: Pick<TerrainRadio, 'azimuthDeg' | 'beamwidthDeg'>): { azimuthDeg: number; beamwidthDeg: number } | null {
  const { azimuthDeg, beamwidthDeg } = radio;
  if (azimuthDeg == null || beamwidthDeg == null || !Number.isFinite(azimuthDeg) || !Number.isFinite(beamwidthDeg)) return null;
  return beamwidthDeg > 0 && beamwidthDeg < 360 ? { azimuthDeg, beamwidthDeg } : null;
}

type Polar = Pick<TerrainFootprint, 'startDeg' | 'radialDeg' | 'radials' | 'stepM' | 'runOffsets' | 'runs'>;

/** Lower and upper x of a·x ≤ b. */
const lowOf = (a: number, b: number) => (Math.abs(a) < 1e-12 ? (b < 0 ? Infinity : -Infinity) : a > 0 ? -Infinity : b / a);
const highOf = (a: number, b: number) => (Math.abs(a) < 1e-12 ? (b < 0 ? -Infinity : Infinity) : a > 0 ? b / a : Infinity);

/** The polar cells cut into bands stepM high, each band's longitude intervals merged. */
function stripsOf(radio: Pick<TerrainRadio, 'lon' | 'lat' | 'radiusM'>, polar: Polar): FootprintStrips {
  const r = radio.radiusM;
  const { stepM, radials, runOffsets, runs } = polar;
  const count = Math.max(1, Math.ceil((2 * r) / stepM));
  const mPerDegLat = metresPerDegreeLat(radio.lat);
  const nPerDeg = primeVerticalRadiusM(radio.lat) * DEG_TO_RAD;
  const south = radio.lat - r / mPerDegLat;
  const stepDeg = stepM / mPerDegLat;
  // Edge unit vectors (x east, y north) of each radial's wedge, and its farthest covered point.
  const sx = new Float64Array(radials + 1);
  const sy = new Float64Array(radials + 1);
  for (let k = 0; k <= radials; k++) {
    const b = (polar.startDeg + k * polar.radialDeg) * DEG_TO_RAD;
    sx[k] = Math.sin(b);
    sy[k] = Math.cos(b);
  }
  const reach = new Float64Array(radials);
  for (let k = 0; k < radials; k++) for (let q = runOffsets[k]; q < runOffsets[k + 1]; q++) reach[k] = Math.max(reach[k], runs[2 * q + 1]);

  const offsets = new Int32Array(count + 1);
  const lons: number[] = [];
  const list = new IntervalList();
  const maxReach = reach.reduce((a, b) => Math.max(a, b), 0);
  const omni = polar.radialDeg * radials >= 360 - 1e-9;
  let minLon = Infinity;
  let maxLon = -Infinity;
  const visit = (k: number, y: number) => {
    if (reach[k] <= Math.abs(y)) return;
    // Inside the wedge from edge k clockwise to edge k + 1 (as in radio-rows.ts).
    const lo = Math.max(lowOf(-sy[k], -sx[k] * y), lowOf(sy[k + 1], sx[k + 1] * y));
    const hi = Math.min(highOf(-sy[k], -sx[k] * y), highOf(sy[k + 1], sx[k + 1] * y));
    if (!(hi > lo)) return;
    for (let q = runOffsets[k]; q < runOffsets[k + 1]; q++) {
      const a = runs[2 * q];
      const b = runs[2 * q + 1];
      if (b <= Math.abs(y)) continue;
      const outer = Math.sqrt(b * b - y * y);
      const inner = a > Math.abs(y) ? Math.sqrt(a * a - y * y) : 0;
      if (inner > 0) {
        if (Math.min(hi, -inner) > Math.max(lo, -outer)) list.push(Math.max(lo, -outer), Math.min(hi, -inner));
        if (Math.min(hi, outer) > Math.max(lo, inner)) list.push(Math.max(lo, inner), Math.min(hi, outer));
      } else if (Math.min(hi, outer) > Math.max(lo, -outer)) list.push(Math.max(lo, -outer), Math.min(hi, outer));
    }
  };
  for (let s = 0; s < count; s++) {
    const y = -r + (s + 0.5) * stepM;
    const lat = radio.lat + y / mPerDegLat;
    const kx = nPerDeg * Math.cos(((lat + radio.lat) / 2) * DEG_TO_RAD);
    list.clear();
    if (Math.abs(y) < maxReach) {
      if (omni) {
        // Only the radials whose bearings can meet this row within the farthest reach.
        const halfDeg = Math.acos(Math.min(1, Math.abs(y) / maxReach)) / DEG_TO_RAD + polar.radialDeg;
        const centre = y >= 0 ? 0 : 180;
        const kFrom = Math.floor((centre - halfDeg - polar.startDeg) / polar.radialDeg);
        const kTo = Math.min(kFrom + radials - 1, Math.floor((centre + halfDeg - polar.startDeg) / polar.radialDeg));
        for (let k = kFrom; k <= kTo; k++) visit(((k % radials) + radials) % radials, y);
      } else for (let k = 0; k < radials; k++) visit(k, y);
    }
    mergeRuns(list);
    // A gap narrower than half a cell is below the cells' resolution: closed, so that the row
    // engine merges fewer intervals.
    let q = 0;
    while (q < list.count) {
      const from = list.starts[q];
      let to = list.ends[q];
      while (q + 1 < list.count && list.starts[q + 1] - to < stepM / 2) to = Math.max(to, list.ends[++q]);
      lons.push(radio.lon + from / kx, radio.lon + to / kx);
      q++;
    }
    offsets[s + 1] = lons.length / 2;
  }
  for (let i = 0; i < lons.length; i++) {
    minLon = Math.min(minLon, lons[i]);
    maxLon = Math.max(maxLon, lons[i]);
  }
  return {
    south, stepDeg, count, offsets, lons: Float64Array.from(lons),
    minLon: lons.length ? minLon : radio.lon, maxLon: lons.length ? maxLon : radio.lon,
    minLat: south, maxLat: south + count * stepDeg,
  };
}

/** Whether a point lies in a strips footprint (the band it falls in, then its intervals). */
export function stripsContain(strips: FootprintStrips, lon: number, lat: number): boolean {
  const s = Math.floor((lat - strips.south) / strips.stepDeg);
  if (s < 0 || s >= strips.count) return false;
  for (let q = strips.offsets[s]; q < strips.offsets[s + 1]; q++) {
    if (lon >= strips.lons[2 * q] && lon <= strips.lons[2 * q + 1]) return true;
  }
  return false;
}
