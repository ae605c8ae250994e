/**
 * Radios prepared for row integration: struct-of-arrays, a Flatbush index of their bounding boxes,
 * and the exact longitude interval(s) each footprint cuts from a parallel of latitude.
 *
 * Around each antenna the ground is treated as a local plane with x = Δlon · N(φm) cos φm and
 * y = Δlat · M(φc) (mid-latitude formula on the WGS84 ellipsoid: its distance error is below 1e-5
 * within 35 km). A disc is x² + y² ≤ r²; a sector is that disc intersected with the wedge between
 * azimuth ± beamwidth/2 (bearings are preserved by this conformal local plane).
 */
import Flatbush from 'flatbush';
import { DEG_TO_RAD, metresPerDegreeLat, metresPerDegreeLon, primeVerticalRadiusM } from './geodesy';
import { radioSector } from './footprint';
import type { CoverageRadio, FootprintStrips } from './types';

/** Footprint shape codes. */
const DISC = 0;
/** Wedge of at most 180°: intersection of two half-planes through the antenna. */
const CONVEX_SECTOR = 1;
/** Wedge over 180°: the disc minus a convex wedge, so up to two intervals per row. */
const REFLEX_SECTOR = 2;
/** A footprint shaped by terrain: its strips give the intervals of each row. */
const STRIPS = 3;
/** Below this a half-plane's x coefficient is zero: the boundary runs along the row. */
const PARALLEL_EPSILON = 1e-12;

/** Radios ready for rows; index i refers to the i-th radio kept (radius > 0). */
export interface PreparedRadios {
  count: number;
  lon: Float64Array;
  lat: Float64Array;
  radiusM: Float64Array;
  /** Metres per degree of latitude at the antenna. */
  mPerDegLat: Float64Array;
  /** Prime-vertical radius N at the antenna, metres, times DEG_TO_RAD. */
  nPerDeg: Float64Array;
  shape: Uint8Array;
  /** Unit vectors (x east, y north) of the wedge's start edge s and end edge t, going clockwise. */
  sx: Float64Array;
  sy: Float64Array;
  tx: Float64Array;
  ty: Float64Array;
  minLon: Float64Array;
  maxLon: Float64Array;
  minLat: Float64Array;
  maxLat: Float64Array;
  /** Group (technology × operator) and group (technology × 'all') each radio adds to. */
  group: Int32Array;
  allGroup: Int32Array;
  /** Terrain-shaped footprints, by radio index (null: a disc or wedge). */
  strips: Array<FootprintStrips | null>;
  /** Bounding boxes; null when no radio has a footprint. */
  index: Flatbush | null;
}

/**
 * Row chords (longitude pairs) as rowChords leaves them: source[from …) — a terrain footprint's
 * band read in place, else `values`, the growable buffer the disc and wedge chords are written to.
 */
export class ChordBuffer {
  values = new Float64Array(8);
  source: Float64Array = this.values;
  from = 0;
  ensure(size: number): Float64Array {
    if (this.values.length < size) this.values = new Float64Array(Math.max(size, this.values.length * 2));
    return this.values;
  }
}

/**
 * Prepare radios with a positive radius. `groupsOf` returns the operator group and the 'all' group
 * of a radio, or null to leave it out (a technology not asked for).
 */
export function prepareRadios(
  radios: readonly CoverageRadio[],
  groupsOf: (radio: CoverageRadio) => [number, number] | null,
): PreparedRadios {
  const kept: Array<{ radio: CoverageRadio; groups: [number, number] }> = [];
  for (const radio of radios) {
    const groups = groupsOf(radio);
    if (groups && radio.radiusM > 0) kept.push({ radio, groups });
  }
  const n = kept.length;
  const f64 = () => new Float64Array(n);
  const p: PreparedRadios = {
    count: n, lon: f64(), lat: f64(), radiusM: f64(), mPerDegLat: f64(), nPerDeg: f64(),
    shape: new Uint8Array(n), sx: f64(), sy: f64(), tx: f64(), ty: f64(),
    minLon: f64(), maxLon: f64(), minLat: f64(), maxLat: f64(),
    group: new Int32Array(n), allGroup: new Int32Array(n), strips: new Array<FootprintStrips | null>(n).fill(null),
    index: n > 0 ? new Flatbush(n) : null,
  };
  kept.forEach(({ radio, groups }, i) => {
    p.lon[i] = radio.lon;
    p.lat[i] = radio.lat;
    p.radiusM[i] = radio.radiusM;
    p.mPerDegLat[i] = metresPerDegreeLat(radio.lat);
    p.nPerDeg[i] = primeVerticalRadiusM(radio.lat) * DEG_TO_RAD;
    [p.group[i], p.allGroup[i]] = groups;
    const sector = radioSector(radio);
    if (sector) {
      const half = sector.beamwidthDeg / 2;
      // Convex: the wedge itself runs from s = az − half clockwise to t = az + half. Reflex: store
      // the complementary convex wedge (t → s) that is cut out of the disc.
      const reflex = sector.beamwidthDeg > 180;
      const startDeg = reflex ? sector.azimuthDeg + half : sector.azimuthDeg - half;
      const endDeg = reflex ? sector.azimuthDeg - half : sector.azimuthDeg + half;
      p.shape[i] = reflex ? REFLEX_SECTOR : CONVEX_SECTOR;
      p.sx[i] = Math.sin(startDeg * DEG_TO_RAD);
      p.sy[i] = Math.cos(startDeg * DEG_TO_RAD);
      p.tx[i] = Math.sin(endDeg * DEG_TO_RAD);
      p.ty[i] = Math.cos(endDeg * DEG_TO_RAD);
    }
    const dLat = radio.radiusM / p.mPerDegLat[i];
    // Widest longitude span is on the parallel farthest from the equator; 1e-3 relative slack.
    const dLon = (1.001 * radio.radiusM) / metresPerDegreeLon(Math.min(89, Math.abs(radio.lat) + dLat));
    p.minLon[i] = radio.lon - dLon;
    p.maxLon[i] = radio.lon + dLon;
    p.minLat[i] = radio.lat - dLat;
    p.maxLat[i] = radio.lat + dLat;
    const strips = radio.strips;
    if (strips) {
      p.shape[i] = STRIPS;
      p.strips[i] = strips;
      p.minLon[i] = strips.minLon;
      p.maxLon[i] = strips.maxLon;
      p.minLat[i] = strips.minLat;
      p.maxLat[i] = strips.maxLat;
    }
    p.index!.add(p.minLon[i], p.minLat[i], p.maxLon[i], p.maxLat[i]);
  });
  p.index?.finish();
  return p;
}

/** Lower bound of x on the half-line a·x ≤ b (+∞ when empty, −∞ when unbounded). */
function halfLineLo(a: number, b: number): number {
  if (Math.abs(a) < PARALLEL_EPSILON) return b < 0 ? Infinity : -Infinity;
  return a > 0 ? -Infinity : b / a;
}

/** Upper bound of x on the half-line a·x ≤ b (−∞ when empty, +∞ when unbounded). */
function halfLineHi(a: number, b: number): number {
  if (Math.abs(a) < PARALLEL_EPSILON) return b < 0 ? -Infinity : Infinity;
  return a > 0 ? b / a : Infinity;
}

/**
 * The longitude interval(s), degrees, that radio i's footprint cuts from the parallel at latDeg,
 * as sorted pairs [start, end, start, end, …] at buffer.source[buffer.from …): a terrain strip's
 * band in place (no copy), a disc's or wedge's chords written to buffer.values.
 *
 * @returns the number of values: 0 when the parallel misses it, 2, 4 (reflex sector), or as many
 *   as the terrain strip holds
 */
export function rowChords(p: PreparedRadios, i: number, latDeg: number, buffer: ChordBuffer): number {
  if (p.shape[i] === STRIPS) {
    const strips = p.strips[i]!;
    const s = Math.floor((latDeg - strips.south) / strips.stepDeg);
    if (s < 0 || s >= strips.count) return 0;
    buffer.source = strips.lons;
    buffer.from = 2 * strips.offsets[s];
    return 2 * strips.offsets[s + 1] - buffer.from;
  }
  const out = buffer.ensure(4);
  buffer.source = out;
  buffer.from = 0;
  const y = (latDeg - p.lat[i]) * p.mPerDegLat[i];
  const r = p.radiusM[i];
  if (y >= r || y <= -r) return 0;
  const w = Math.sqrt(r * r - y * y);
  const lon = p.lon[i];
  const kx = p.nPerDeg[i] * Math.cos(((latDeg + p.lat[i]) / 2) * DEG_TO_RAD);
  const shape = p.shape[i];
  let lo = Infinity;
  let hi = -Infinity;
  if (shape !== DISC) {
    // Row y inside the convex wedge from edge s clockwise to edge t: cross(s, p) ≤ 0 and
    // cross(t, p) ≥ 0, i.e. the half-lines −s_y·x ≤ −s_x·y and t_y·x ≤ t_x·y.
    const a1 = -p.sy[i];
    const b1 = -p.sx[i] * y;
    const a2 = p.ty[i];
    const b2 = p.tx[i] * y;
    lo = Math.max(halfLineLo(a1, b1), halfLineLo(a2, b2));
    hi = Math.min(halfLineHi(a1, b1), halfLineHi(a2, b2));
  }
  if (shape === CONVEX_SECTOR) {
    const a = Math.max(-w, lo);
    const b = Math.min(w, hi);
    if (!(b > a)) return 0;
    out[0] = lon + a / kx;
    out[1] = lon + b / kx;
    return 2;
  }
  // A disc, or a reflex sector: the chord minus the cut-out wedge's (lo, hi).
  const west = lon - w / kx;
  const east = lon + w / kx;
  if (shape === DISC || !(hi > lo)) {
    out[0] = west;
    out[1] = east;
    return 2;
  }
  if (lo <= -w && hi >= w) return 0;
  let n = 0;
  if (lo > -w) {
    out[n++] = west;
    out[n++] = lon + Math.min(w, lo) / kx;
  }
  if (hi < w) {
    out[n++] = lon + Math.max(-w, hi) / kx;
    out[n++] = east;
  }
  return n;
}
