/**
 * Diffraction over a terrain profile, ITU-R P.526 (recommendation P.526-16):
 *  - §4.1 single knife edge: J(v) = 6.9 + 20 log10(√((v − 0.1)² + 1) + v − 0.1) dB for v > −0.78;
 *  - §4.5.1 Bullington: the steepest ray from the transmitter over the profile and the steepest ray
 *    from the receiver meet at one equivalent knife edge, whose J(v_b) is the loss; in line of sight
 *    the loss is J of the largest v over the profile's points.
 * The Earth's bulge enters the profile at k = 4/3 (effective radius ≈ 8,495 km, P.526 §4.1 median
 * atmosphere): every height is lowered by d²/(2 a_e), d its distance from the transmitter, which
 * is the same (parabolic) geometry as adding d1·d2/(2 a_e) under a straight ray (P.526 §4.5's
 * 500·C_e·d_i·(d − d_i) height term, distances in km).
 *
 * Not applied: the spherical-Earth "delta" of the full delta-Bullington method (§4.5, the smooth-
 * Earth term used by P.1812 and P.452) and P.1812's empirical multi-edge correction
 * (1 − e^(−L/6))(10 + 0.02 d). Paths here stay inside the radio horizon of a macro mast (at most
 * 35 km), where the bulge itself is in the profile; the correction would make a lone knife edge
 * lose more than J(v), and the empirical median model already carries average obstruction.
 *
 * Heights are metres, distances metres, wavelength metres.
 */

/** Effective Earth radius at k = 4/3, metres (mean Earth radius 6,371.0088 km × 4/3). */
export const EFFECTIVE_EARTH_RADIUS_M = (6_371_008.8 * 4) / 3;

/** Below this v the knife edge costs nothing (P.526 §4.1: J is defined for v > −0.78). */
export const KNIFE_EDGE_MIN_V = -0.78;

/** P.526 §4.1 knife-edge loss J(v), dB; 0 for v ≤ −0.78. */
export function knifeEdgeLossDb(v: number): number {
  if (!(v > KNIFE_EDGE_MIN_V)) return 0;
  const a = v - 0.1;
  return 6.9 + 20 * Math.log10(Math.sqrt(a * a + 1) + a);
}

/** The v at which J(v) reaches `lossDb` (J's inverse, closed form); −0.78 for losses ≤ J(−0.78). */
export function knifeEdgeVFor(lossDb: number): number {
  const l = 10 ** ((lossDb - 6.9) / 20);
  return Math.max(KNIFE_EDGE_MIN_V, 0.1 + (l * l - 1) / (2 * l));
}

/** Largest loss a single knife edge can give in line of sight (v ≤ 0): J(0) ≈ 6.03 dB. */
export const MAX_LOS_LOSS_DB = knifeEdgeLossDb(0);

/** v of a point at height h above the ray, d1 and d2 from the ends (P.526 eq. 26). */
export function fresnelV(h: number, d1: number, d2: number, wavelengthM: number): number {
  return h * Math.sqrt((2 / wavelengthM) * (1 / d1 + 1 / d2));
}

/**
 * Bullington diffraction loss of one path, dB, by brute force over every point (the reference the
 * fast radial sweep is tested against).
 *
 * @param heights ground heights at equal steps from the transmitter (index 0) to the receiver
 *   (last index), metres; NaN points are skipped (unknown ground is no obstacle)
 * @param stepM distance between heights, metres
 * @param txAboveGroundM antenna height above the ground at index 0
 * @param rxAboveGroundM receiver height above the ground at the last index
 */
export function bullingtonLossDb(
  heights: ArrayLike<number>,
  stepM: number,
  txAboveGroundM: number,
  rxAboveGroundM: number,
  wavelengthM: number,
  effectiveRadiusM = EFFECTIVE_EARTH_RADIUS_M,
): number {
  const n = heights.length - 1;
  if (n < 2) return 0;
  const d = n * stepM;
  const hts = heights[0] + txAboveGroundM;
  const hrs = heights[n] - (d * d) / (2 * effectiveRadiusM) + rxAboveGroundM;
  const str = (hrs - hts) / d;
  let stim = -Infinity;
  let srim = -Infinity;
  let vmax = -Infinity;
  for (let i = 1; i < n; i++) {
    const z = heights[i];
    if (Number.isNaN(z)) continue;
    const di = i * stepM;
    const zi = z - (di * di) / (2 * effectiveRadiusM);
    stim = Math.max(stim, (zi - hts) / di);
    srim = Math.max(srim, (zi - hrs) / (d - di));
    vmax = Math.max(vmax, fresnelV(zi - (hts * (d - di) + hrs * di) / d, di, d - di, wavelengthM));
  }
  if (stim === -Infinity) return 0;
  if (stim < str) return knifeEdgeLossDb(vmax);
  // A ray grazing the profile (stim = str) meets the other at no single point: the LOS form holds.
  const vb = equivalentEdgeV(hts, hrs, d, stim, srim, wavelengthM);
  return knifeEdgeLossDb(Number.isNaN(vb) ? vmax : vb);
}

/**
 * v of Bullington's equivalent edge where the two steepest rays meet (P.526 eqs. 45–47); NaN when
 * the rays are (numerically) parallel to the direct ray, so that they meet nowhere inside the path.
 */
function equivalentEdgeV(hts: number, hrs: number, d: number, stim: number, srim: number, wavelengthM: number): number {
  const db = (hrs - hts + srim * d) / (stim + srim);
  if (!(db > 1e-6 * d && db < d * (1 - 1e-6))) return Number.NaN;
  return fresnelV(hts + stim * db - (hts * (d - db) + hrs * db) / d, db, d - db, wavelengthM);
}

/** Reusable buffers of the radial sweep (one per caller, grown as needed). */
export interface SweepScratch {
  zp: Float64Array;
  hullX: Float64Array;
  hullY: Float64Array;
}

export function sweepScratch(size = 512): SweepScratch {
  return { zp: new Float64Array(size), hullX: new Float64Array(size), hullY: new Float64Array(size) };
}

/**
 * Along one radial, which receiver points the radio reaches: point j (at j·stepM) is covered when
 * weight · L_Bullington(path 0 → j) ≤ allowedDb[j], i.e. when the path's v ≤ vLimit[j] (see
 * sweepLimits: the same for every radial of a radio). Unknown ground at j (NaN) or a transmitter on
 * unknown ground: covered (the flat footprint holds there). Each point costs O(log n): the steepest
 * ray from the transmitter is a running maximum, the one from the receiver a tangent to the upper
 * convex hull of the profile behind it; the O(n) line-of-sight scan runs only where even J(0)
 * could uncover the point.
 *
 * @param heights n + 1 ground heights from the antenna outwards, metres (NaN unknown)
 * @param vLimit per point, the largest v it can afford (sweepLimits), same length
 * @param out covered flags, same length (out[0] = 1: the antenna's own spot)
 */
export function sweepRadial(
  heights: Float64Array,
  count: number,
  stepM: number,
  txAboveGroundM: number,
  rxAboveGroundM: number,
  wavelengthM: number,
  vLimit: Float64Array,
  out: Uint8Array,
  scratch: SweepScratch,
  effectiveRadiusM = EFFECTIVE_EARTH_RADIUS_M,
): void {
  if (scratch.zp.length < count) Object.assign(scratch, sweepScratch(count * 2));
  const { zp, hullX, hullY } = scratch;
  out.fill(1, 0, count);
  if (Number.isNaN(heights[0])) return;
  const hts = heights[0] + txAboveGroundM;
  for (let i = 0; i < count; i++) {
    const di = i * stepM;
    zp[i] = heights[i] - (di * di) / (2 * effectiveRadiusM);
  }
  let hull = 0;
  let stim = -Infinity;
  let intermediate = 0;
  for (let j = 1; j < count; j++) {
    // Point j − 1 joins the profile behind receiver j.
    const i = j - 1;
    if (i >= 1 && !Number.isNaN(zp[i])) {
      const x = i * stepM;
      const y = zp[i];
      stim = Math.max(stim, (y - hts) / x);
      while (hull >= 2 && (hullX[hull - 1] - hullX[hull - 2]) * (y - hullY[hull - 2]) - (hullY[hull - 1] - hullY[hull - 2]) * (x - hullX[hull - 2]) >= 0) hull--;
      hullX[hull] = x;
      hullY[hull] = y;
      hull++;
      intermediate++;
    }
    if (Number.isNaN(zp[j]) || intermediate === 0) continue;
    const limit = vLimit[j];
    const d = j * stepM;
    const hrs = zp[j] + rxAboveGroundM;
    const str = (hrs - hts) / d;
    if (stim >= str) {
      // Tangent from the receiver to the upper hull: the slope seen from it is unimodal along the hull.
      let lo = 0;
      let hi = hull - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((hullY[mid] - hrs) / (d - hullX[mid]) < (hullY[mid + 1] - hrs) / (d - hullX[mid + 1])) lo = mid + 1;
        else hi = mid;
      }
      const srim = (hullY[lo] - hrs) / (d - hullX[lo]);
      const vb = equivalentEdgeV(hts, hrs, d, stim, srim, wavelengthM);
      if (!Number.isNaN(vb)) {
        if (vb > limit) out[j] = 0;
        continue;
      }
      // The rays graze the profile along the direct ray: the line-of-sight form below holds.
    }
    if (limit >= 0) continue; // line of sight never costs more than J(0)
    // Every point is at or below the ray (v ≤ 0). The one nearest the ray lies on the upper hull,
    // and every v ≤ −(its gap) · √(k2 · 4/d) (the Fresnel factor is smallest mid-path): when even
    // that is within the limit, the point is covered without looking at every point.
    const k2 = 2 / wavelengthM;
    let gap = Infinity;
    for (let q = 0; q < hull; q++) gap = Math.min(gap, hts + ((hrs - hts) * hullX[q]) / d - hullY[q]);
    if (gap * Math.sqrt((4 * k2) / d) >= -limit) continue;
    // Else look for a point above the limit, from the receiver back.
    const limitSq = limit * limit;
    for (let k = j - 1; k >= 1; k--) {
      const z = zp[k];
      if (Number.isNaN(z)) continue;
      const dk = k * stepM;
      const h = z - (hts * (d - dk) + hrs * dk) / d;
      // v = h·√(k2·(1/dk + 1/(d − dk))) > limit, with limit < 0: h ≥ 0, or h²·(…) < limit².
      if (h >= 0 || h * h * k2 * (1 / dk + 1 / (d - dk)) < limitSq) {
        out[j] = 0;
        break;
      }
    }
  }
}

/**
 * The largest v each point can afford: covered while weight · J(v) ≤ allowedDb, i.e. v ≤
 * J⁻¹(allowedDb / weight) (J increases with v). A weight of 0 affords everything.
 */
export function sweepLimits(allowedDb: Float64Array, weight: number): Float64Array {
  return allowedDb.map((a) => (weight > 0 ? knifeEdgeVFor(Math.max(0, a) / weight) : Infinity));
}
