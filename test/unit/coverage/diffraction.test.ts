/**
 * Diffraction against closed forms (ITU-R P.526 §4.1 J(v), the Earth's bulge) and the fast radial
 * sweep against the brute-force Bullington loss of each path.
 */
import { describe, expect, it } from 'vitest';
import {
  EFFECTIVE_EARTH_RADIUS_M,
  bullingtonLossDb,
  fresnelV,
  knifeEdgeLossDb,
  knifeEdgeVFor,
  sweepLimits,
  sweepRadial,
  sweepScratch,
} from '../../../server/coverage/engine';
import { seededRandom } from './synthetic';

const LAMBDA_1800 = 299_792_458 / 1.8e9;

/** P.526 §4.1 eq. 31, written out here independently of the engine. */
const J = (v: number) => (v <= -0.78 ? 0 : 6.9 + 20 * Math.log10(Math.sqrt((v - 0.1) ** 2 + 1) + v - 0.1));

describe('knife edge, P.526 §4.1', () => {
  it('J(v) at the recommendation\'s landmarks: 0 below −0.78, 6.03 dB at 0, about 13.9 dB at 1', () => {
    expect(knifeEdgeLossDb(-1)).toBe(0);
    expect(knifeEdgeLossDb(0)).toBeCloseTo(6.03, 2);
    expect(knifeEdgeLossDb(1)).toBeCloseTo(13.93, 1);
    // J is inverted in closed form for the sweep's limits.
    for (const v of [-0.7, -0.2, 0.5, 3, 12]) expect(knifeEdgeVFor(knifeEdgeLossDb(v))).toBeCloseTo(v, 9);
  });

  it('a single knife edge on a path gives J(v) within 0.1 dB for v from −0.7 to 20', () => {
    // 10 km at 50 m steps, both antennas 100 m above flat ground, one thin edge 4 km out.
    const step = 50;
    const n = 200;
    const d = n * step;
    const edge = 80;
    const d1 = edge * step;
    for (let v = -0.7; v <= 20; v += 0.1) {
      // Height above the straight ray (which is bent by the bulge: heights below it are lowered).
      const h = v / Math.sqrt((2 / LAMBDA_1800) * (1 / d1 + 1 / (d - d1)));
      const heights = new Float64Array(n + 1);
      const rayAtEdge = 100 - (d * d) / (2 * EFFECTIVE_EARTH_RADIUS_M) * (d1 / d);
      heights[edge] = rayAtEdge + h + (d1 * d1) / (2 * EFFECTIVE_EARTH_RADIUS_M);
      const loss = bullingtonLossDb(heights, step, 100, 100, LAMBDA_1800);
      expect(Math.abs(loss - J(v)), `v = ${v.toFixed(1)}`).toBeLessThan(0.1);
    }
  });

  it('no obstacle gives no loss', () => {
    const heights = new Float64Array(101).fill(12);
    expect(bullingtonLossDb(heights, 50, 40, 40, LAMBDA_1800)).toBe(0);
  });

  it('the bulge of a smooth Earth: the midpoint of a sea path obstructs as d²/(8·a_e) says', () => {
    // 40 km over sea level with both antennas at height H: the Earth rises d²/(8 a_e) ≈ 23.5 m
    // between them. The largest v is at the midpoint (see the derivation in the file comment).
    const n = 400;
    const step = 100;
    const d = n * step;
    const bulge = (d * d) / (8 * EFFECTIVE_EARTH_RADIUS_M);
    for (const H of [bulge + 8, bulge + 3, bulge]) {
      const loss = bullingtonLossDb(new Float64Array(n + 1), step, H, H, LAMBDA_1800);
      const v = fresnelV(bulge - H, d / 2, d / 2, LAMBDA_1800);
      expect(loss).toBeCloseTo(J(v), 6);
    }
    expect(bullingtonLossDb(new Float64Array(n + 1), step, bulge, bulge, LAMBDA_1800)).toBeCloseTo(6.03, 2);
    // Below the horizon both rays graze the arc: the loss grows well past J(0).
    expect(bullingtonLossDb(new Float64Array(n + 1), step, 5, 5, LAMBDA_1800)).toBeGreaterThan(J(0) + 5);
  });
});

describe('the radial sweep', () => {
  it('covers exactly the points whose brute-force Bullington loss fits the budget, on random terrain', () => {
    const random = seededRandom(7);
    const scratch = sweepScratch(8);
    let decided = 0;
    let shadowed = 0;
    for (let trial = 0; trial < 40; trial++) {
      const n = 60 + Math.floor(random() * 120);
      const step = 90;
      const heights = new Float64Array(n + 1);
      let z = 50 + random() * 200;
      for (let i = 0; i <= n; i++) {
        z += (random() - 0.5) * 40;
        heights[i] = z;
        if (random() < 0.03) heights[i] = Number.NaN; // voids
      }
      heights[0] = 80;
      const weight = 0.5 + random() * 0.5;
      const allowed = Float64Array.from({ length: n + 1 }, (_, j) => Math.max(0, 30 * (1 - j / n)));
      const out = new Uint8Array(n + 1);
      const limits = sweepLimits(allowed, weight);
      sweepRadial(heights, n + 1, step, 30, 1.5, LAMBDA_1800, limits, out, scratch);
      for (let j = 1; j <= n; j++) {
        const expected = Number.isNaN(heights[j]) || weight * bullingtonLossDb(heights.subarray(0, j + 1), step, 30, 1.5, LAMBDA_1800) <= allowed[j];
        const margin = Math.abs(weight * bullingtonLossDb(heights.subarray(0, j + 1), step, 30, 1.5, LAMBDA_1800) - allowed[j]);
        if (margin < 1e-9) continue; // exactly on the limit: either answer is right
        expect(out[j], `trial ${trial}, point ${j}`).toBe(expected ? 1 : 0);
        decided++;
        if (!expected) shadowed++;
      }
    }
    expect(decided).toBeGreaterThan(3000);
    expect(shadowed).toBeGreaterThan(300); // the terrain really shadows: the test is not vacuous
  });

  it('unknown ground at the site leaves every point to the flat footprint', () => {
    const heights = new Float64Array(50).fill(500);
    heights[0] = Number.NaN;
    const out = new Uint8Array(50);
    sweepRadial(heights, 50, 90, 30, 1.5, LAMBDA_1800, sweepLimits(new Float64Array(50), 1), out, sweepScratch());
    expect([...out].every((x) => x === 1)).toBe(true);
  });
});
