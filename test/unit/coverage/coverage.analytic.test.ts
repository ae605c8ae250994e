/**
 * The counting method against closed-form areas: discs, lenses, segments, sectors, holes, parts.
 * Requirement: within 0.2 percentage points of the commune; the assertions are tighter where the
 * method allows, so a regression shows long before it matters.
 */
import { describe, expect, it } from 'vitest';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { computeCommuneCoverage, type CoverageRadio, type Technology } from '../../../server/coverage/engine';
import { metresPerDegreeLat, metresPerDegreeLon } from '../../../server/coverage/engine/geodesy';
import {
  discAreaKm2,
  lensAreaKm2,
  offset,
  rectangleAreaKm2,
  rectangleRing,
  sectorAreaKm2,
  segmentAreaKm2,
  squareAround,
} from './analytic';

const CENTRE: Position = [105.2, 21.3];
const HALF_SIDE_M = 5000;
const REQUIRED_POINTS = 0.2;

function radio(at: Position, radiusM: number, extra: Partial<CoverageRadio> = {}): CoverageRadio {
  return { operator: 'viettel', technology: '4G', lon: at[0], lat: at[1], radiusM, ...extra };
}

/** Coverage of one commune by `radios`, 'all' operators, one technology. */
function cover(geometry: Polygon | MultiPolygon, radios: CoverageRadio[], technology: Technology = '4G', rowSpacingM?: number) {
  const figures = computeCommuneCoverage([{ code: 'c', population: 1000, geometry }], radios, { technologies: [technology], rowSpacingM });
  return figures.find((f) => f.operator === 'all')!;
}

/** Asserts covered km² against the closed form, in points of the commune and relatively. */
function expectCovered(figure: { coveredKm2: number; areaKm2: number }, expectedKm2: number, relTolerance: number) {
  const points = (100 * Math.abs(figure.coveredKm2 - expectedKm2)) / figure.areaKm2;
  expect(points).toBeLessThan(REQUIRED_POINTS);
  expect(Math.abs(figure.coveredKm2 / expectedKm2 - 1)).toBeLessThan(relTolerance);
}

describe('ellipsoid', () => {
  it('degree lengths match the WGS84 table (Wikipedia "Latitude")', () => {
    expect(metresPerDegreeLat(15)).toBeCloseTo(110_649, -1);
    expect(metresPerDegreeLat(30)).toBeCloseTo(110_852, -1);
    expect(metresPerDegreeLon(15)).toBeCloseTo(107_551, -1);
    expect(metresPerDegreeLon(30)).toBeCloseTo(96_486, -1);
  });

  it('commune area equals the exact ellipsoidal rectangle area', () => {
    const square = squareAround(CENTRE, HALF_SIDE_M);
    const figure = cover(square.polygon, []);
    expect(Math.abs(figure.areaKm2 / rectangleAreaKm2(...square.bounds) - 1)).toBeLessThan(1e-9);
    expect(figure.coveredKm2).toBe(0);
  });
});

describe('analytic fixtures (closed form within 0.2 points)', () => {
  const square = squareAround(CENTRE, HALF_SIDE_M);

  it('a disc fully inside a square commune covers πr²', () => {
    const figure = cover(square.polygon, [radio(CENTRE, 2000)]);
    expectCovered(figure, discAreaKm2(2000), 5e-4);
    expect(figure.areaPct).toBeCloseTo((100 * discAreaKm2(2000)) / figure.areaKm2, 1);
  });

  it('a 300 m 5G disc is still within tolerance at the default 25 m rows', () => {
    expectCovered(cover(square.polygon, [radio(offset(CENTRE, 123, -77), 300, { technology: '5G' })], '5G'), discAreaKm2(300), 0.01);
  });

  it('two overlapping discs cover πr1² + πr2² − lens', () => {
    const radios = [radio(offset(CENTRE, -1250, 0), 2000), radio(offset(CENTRE, 1250, 0), 1500, { operator: 'vinaphone' })];
    const expected = discAreaKm2(2000) + discAreaKm2(1500) - lensAreaKm2(2000, 1500, 2500);
    expectCovered(cover(square.polygon, radios), expected, 5e-4);
  });

  it('a disc crossing the east border (a meridian) loses its circular segment', () => {
    const [east] = [square.bounds[2]];
    const insideByM = 800;
    const at: Position = [east - insideByM / metresPerDegreeLon(CENTRE[1]), CENTRE[1]];
    expectCovered(cover(square.polygon, [radio(at, 2000)]), discAreaKm2(2000) - segmentAreaKm2(2000, insideByM), 5e-4);
  });

  it('a disc crossing the north border (a parallel) loses its circular segment', () => {
    const north = square.bounds[3];
    const insideByM = 1200;
    const at: Position = [CENTRE[0], north - insideByM / metresPerDegreeLat(north)];
    expectCovered(cover(square.polygon, [radio(at, 2000)]), discAreaKm2(2000) - segmentAreaKm2(2000, insideByM), 1e-3);
  });

  it('a 120° sector covers r²θ/2', () => {
    const figure = cover(square.polygon, [radio(CENTRE, 3000, { azimuthDeg: 30, beamwidthDeg: 120 })]);
    expectCovered(figure, sectorAreaKm2(3000, 120), 5e-4);
  });

  it('a sector across north (350° ± 30°) and one facing south', () => {
    expectCovered(cover(square.polygon, [radio(CENTRE, 3000, { azimuthDeg: 350, beamwidthDeg: 60 })]), sectorAreaKm2(3000, 60), 1e-3);
    expectCovered(cover(square.polygon, [radio(CENTRE, 3000, { azimuthDeg: 180, beamwidthDeg: 65 })]), sectorAreaKm2(3000, 65), 1e-3);
  });

  it('a 240° sector (wider than a half-plane) covers two thirds of its disc', () => {
    expectCovered(cover(square.polygon, [radio(CENTRE, 3000, { azimuthDeg: 200, beamwidthDeg: 240 })]), sectorAreaKm2(3000, 240), 5e-4);
  });

  it('three 120° sectors of one site cover exactly their disc', () => {
    const radios = [0, 120, 240].map((az) => radio(CENTRE, 2500, { azimuthDeg: az, beamwidthDeg: 120 }));
    expectCovered(cover(square.polygon, radios), discAreaKm2(2500), 5e-4);
  });

  it('a commune with a hole: the hole counts neither as area nor as covered', () => {
    const hole = squareAround(CENTRE, 1000);
    const holed: Polygon = { type: 'Polygon', coordinates: [square.polygon.coordinates[0], [...hole.polygon.coordinates[0]].reverse()] };
    const figure = cover(holed, [radio(CENTRE, 2000)]);
    const holeKm2 = rectangleAreaKm2(...hole.bounds);
    expect(Math.abs(figure.areaKm2 / (rectangleAreaKm2(...square.bounds) - holeKm2) - 1)).toBeLessThan(1e-9);
    expectCovered(figure, discAreaKm2(2000) - holeKm2, 5e-4);
  });

  it('a multipolygon commune: a disc between two parts covers a segment of each', () => {
    const gapM = 1000;
    const [w, s] = offset(CENTRE, -4000 - gapM / 2, -3000);
    const [gapWest, n] = offset(CENTRE, -gapM / 2, 3000);
    const [gapEast] = offset(CENTRE, gapM / 2, 0);
    const [e] = offset(CENTRE, 4000 + gapM / 2, 0);
    const parts: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [[rectangleRing(w, s, gapWest, n)], [rectangleRing(gapEast, s, e, n)]],
    };
    const figure = cover(parts, [radio(CENTRE, 2000)]);
    expect(Math.abs(figure.areaKm2 / (rectangleAreaKm2(w, s, gapWest, n) + rectangleAreaKm2(gapEast, s, e, n)) - 1)).toBeLessThan(1e-9);
    expectCovered(figure, 2 * segmentAreaKm2(2000, gapM / 2), 1e-3);
  });

  it('neighbouring communes share a disc: their covered areas add up to πr²', () => {
    const [w, s, e, n] = square.bounds;
    const west: Polygon = { type: 'Polygon', coordinates: [rectangleRing(w, s, CENTRE[0], n)] };
    const east: Polygon = { type: 'Polygon', coordinates: [rectangleRing(CENTRE[0], s, e, n)] };
    const figures = computeCommuneCoverage(
      [{ code: 'w', population: 1, geometry: west }, { code: 'e', population: 1, geometry: east }],
      [radio(offset(CENTRE, 700, 300), 1800)],
      { technologies: ['4G'] },
    ).filter((f) => f.operator === 'all');
    expect(Math.abs(figures[0].coveredKm2 + figures[1].coveredKm2 - discAreaKm2(1800)) / discAreaKm2(1800)).toBeLessThan(5e-4);
  });

  it('a commune lying wholly inside a large footprint is 100 % covered', () => {
    const figure = cover(square.polygon, [radio(offset(CENTRE, 3000, -2000), 20_000), radio(CENTRE, 500)]);
    expect(figure.areaPct).toBeCloseTo(100, 10);
  });

  it('finer rows converge: 10 m and 50 m agree within 0.05 points on a mixed scene', () => {
    const radios = [
      radio(offset(CENTRE, -1800, 900), 1700),
      radio(offset(CENTRE, 2100, -1500), 2300, { azimuthDeg: 75, beamwidthDeg: 90 }),
      radio(offset(CENTRE, 400, 3600), 2900, { azimuthDeg: 250, beamwidthDeg: 270 }),
    ];
    const fine = cover(square.polygon, radios, '4G', 10);
    const coarse = cover(square.polygon, radios, '4G', 50);
    expect(Math.abs(fine.areaPct - coarse.areaPct)).toBeLessThan(0.05);
  });
});
