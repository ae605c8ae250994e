/**
 * The two new inputs of the engine: terrain footprints against a point-by-point reference, and the
 * population grid against closed forms.
 */
import { describe, expect, it } from 'vitest';
import type { Polygon, Position } from 'geojson';
import {
  computeCommuneCoverage,
  maxPathLossDb,
  pathLossDb,
  prepareGrid,
  radiusFromLinkBudget,
  stripsContain,
  bullingtonLossDb,
  type PopulationGrid,
  type RadioSite,
} from '../../../server/coverage/engine';
import { DIFFRACTION_WEIGHT, computeFootprint } from '../../../server/coverage/footprints';
import type { EngineRadio } from '../../../server/coverage/coverage.model';
import { distanceM } from '../../../server/coverage/radio-index';
import { offset, rectangleAreaKm2, rectangleRing, squareAround } from './analytic';

const CENTRE: Position = [105.3, 21.3];
const LAMBDA = 299_792_458 / 1.8e9;

describe('terrain footprints: a ridge across a commune', () => {
  // A 4G suburban radio 2 km west of the centre; a 90 m wall 1.2 km long, 1 km east of it, running
  // north–south: behind it a shadow, lit again past its ends.
  const site: RadioSite = { technology: '4G', bandMhz: 1800, heightM: 30, environment: 'suburban' };
  const radiusM = radiusFromLinkBudget(site).radiusM;
  const [lon, lat] = offset(CENTRE, -2000, 0);
  const radio: EngineRadio = { radioId: 1, stationId: 1, siteCode: 'R', operator: 'viettel', technology: '4G', lon, lat, radiusM };
  const wallLon = offset(CENTRE, -1000, 0)[0];
  const wallHalfDeg = 60 / (111_320 * Math.cos((CENTRE[1] * Math.PI) / 180));
  const wallHalfLat = 600 / 110_700;
  const heightAt = (x: number, y: number) => (Math.abs(x - wallLon) < wallHalfDeg && Math.abs(y - CENTRE[1]) < wallHalfLat ? 110 : 20);
  const footprint = computeFootprint(radio, site, heightAt)!;

  // In front of the wall (west of it) and behind it (east), both inside the flat disc's reach.
  const [w0, s0] = offset(CENTRE, -2600, -1200);
  const [e0, n0] = offset(CENTRE, -1100, 1200);
  const front: Polygon = { type: 'Polygon', coordinates: [rectangleRing(w0, s0, e0, n0)] };
  const [w1] = offset(CENTRE, -900, 0);
  const [e1] = offset(CENTRE, 600, 0);
  const behind: Polygon = { type: 'Polygon', coordinates: [rectangleRing(w1, s0, e1, n0)] };

  /** The reference: every point of a 40 m grid tested on its own straight profile. */
  function bruteForcePct(polygon: Polygon): number {
    const [[west, south], , [east, north]] = polygon.coordinates[0];
    const allowed = maxPathLossDb('4G');
    let inside = 0;
    let covered = 0;
    const stepLat = 40 / 110_700;
    const stepLon = 40 / (111_320 * Math.cos((lat * Math.PI) / 180));
    for (let y = south + stepLat / 2; y < north; y += stepLat) {
      for (let x = west + stepLon / 2; x < east; x += stepLon) {
        inside++;
        const d = distanceM(lon, lat, x, y);
        if (d > radiusM) continue;
        const n = Math.max(2, Math.round(d / footprint.stepM));
        const profile = Float64Array.from({ length: n + 1 }, (_, i) => heightAt(lon + ((x - lon) * i) / n, lat + ((y - lat) * i) / n));
        const loss = pathLossDb(site, Math.max(d, 1)) + DIFFRACTION_WEIGHT * bullingtonLossDb(profile, d / n, 30, 1.5, LAMBDA);
        if (loss <= allowed) covered++;
      }
    }
    return (100 * covered) / inside;
  }

  it('the area behind the wall loses coverage, the area in front keeps it, as points tested one by one say', () => {
    const communes = [{ code: 'front', population: 1000, geometry: front }, { code: 'behind', population: 1000, geometry: behind }];
    const flat = computeCommuneCoverage(communes, [radio]).filter((f) => f.operator === 'all' && f.technology === '4G');
    const hilly = computeCommuneCoverage(communes, [{ ...radio, strips: footprint.strips }]).filter((f) => f.operator === 'all' && f.technology === '4G');
    expect(flat[0].areaPct).toBeGreaterThan(95);
    expect(flat[1].areaPct).toBeGreaterThan(95);
    expect(hilly[0].areaPct).toBeGreaterThan(flat[0].areaPct - 1);
    expect(hilly[1].areaPct).toBeLessThan(flat[1].areaPct - 20);
    expect(hilly[1].areaPct).toBeGreaterThan(5);
    // Polar cells of 1° and 90 m against 40 m points: within 1.5 points on both sides of the wall.
    expect(Math.abs(hilly[0].areaPct - bruteForcePct(front))).toBeLessThan(1.5);
    expect(Math.abs(hilly[1].areaPct - bruteForcePct(behind))).toBeLessThan(1.5);
  });

  it('the point lookup reads the same strips: in front covered, in the shadow not', () => {
    expect(stripsContain(footprint.strips, ...(offset(CENTRE, -1500, 0) as [number, number]))).toBe(true);
    expect(stripsContain(footprint.strips, ...(offset(CENTRE, -700, 0) as [number, number]))).toBe(false);
  });

  it('unknown ground at the site takes nothing: no terrain footprint, the exact disc stays', () => {
    expect(computeFootprint(radio, { ...site, environment: 'urban' }, () => Number.NaN)).toBeNull();
  });
});

describe('population grid: people in one half of a square commune', () => {
  // A 6 km square commune; a grid of two columns split exactly at its middle meridian.
  const { polygon, bounds: [west, south, east, north] } = squareAround(CENTRE, 3000);
  const middle = (west + east) / 2;
  const grid: PopulationGrid = {
    west: west - (middle - west), north: north + 0.01, cellDegX: middle - west, cellDegY: north - south + 0.02,
    width: 3, height: 1, values: Float32Array.from([0, 5000, 0]), // people only in the west half
  };
  const prepared = prepareGrid(grid);
  const westKm2 = rectangleAreaKm2(west, south, middle, north);
  const population = 12_000;
  const commune = { code: 'sq', population, geometry: polygon };
  const disc = (dx: number, radius: number) => {
    const [lon, lat] = offset(CENTRE, dx, 0);
    return { operator: 'viettel', technology: '5G' as const, lon, lat, radiusM: radius };
  };
  const all = (radios: ReturnType<typeof disc>[]) =>
    computeCommuneCoverage([commune], radios, { population: prepared, technologies: ['5G'] }).find((f) => f.operator === 'all')!;

  it('a footprint inside the peopled half covers P · its area / the half\'s area', () => {
    const f = all([disc(-1500, 1000)]);
    expect(f.populationSpread).toBe('grid');
    expect(f.coveredPopulation).toBeCloseTo((population * f.coveredKm2) / westKm2, 6);
    expect(f.populationPct).toBeGreaterThan(f.areaPct * 1.9); // twice the area share, as people sit in half
  });

  it('a footprint in the empty half covers area but no one', () => {
    const f = all([disc(1500, 1000)]);
    expect(f.areaPct).toBeGreaterThan(5);
    expect(f.coveredPopulation).toBeCloseTo(0, 9);
  });

  it('covering everything counts exactly the official population', () => {
    const f = all([disc(0, 10_000)]);
    expect(f.coveredPopulation).toBeCloseTo(population, 6);
  });

  it('a commune the grid does not reach falls back to the even spread and says so', () => {
    const far = { code: 'far', population, geometry: squareAround([106.3, 22.3], 3000).polygon };
    const [f] = computeCommuneCoverage([far], [{ ...disc(0, 1000), lon: 106.3, lat: 22.3 }], { population: prepared, technologies: ['5G'] });
    expect(f.populationSpread).toBe('even');
    expect(f.populationPct).toBeCloseTo(f.areaPct, 9);
  });
});
