/**
 * Closed-form helpers for the coverage tests: exact WGS84 areas of latitude/longitude rectangles,
 * local offsets in metres, and the textbook areas of discs, lenses, segments and sectors.
 */
import type { Polygon, Position } from 'geojson';
import { metresPerDegreeLat, metresPerDegreeLon, WGS84_A_M, WGS84_E2 } from '../../../server/coverage/engine/geodesy';

const DEG = Math.PI / 180;

/** Σ-free authalic primitive: area between the equator and φ per radian of longitude is b²/2 · q(φ). */
function authalicQ(latDeg: number): number {
  const s = Math.sin(latDeg * DEG);
  const e = Math.sqrt(WGS84_E2);
  return s / (1 - WGS84_E2 * s * s) + Math.log((1 + e * s) / (1 - e * s)) / (2 * e);
}

/** Exact ellipsoidal area of the rectangle [west, east] × [south, north] (degrees), km². */
export function rectangleAreaKm2(west: number, south: number, east: number, north: number): number {
  const b2 = WGS84_A_M * WGS84_A_M * (1 - WGS84_E2);
  return ((b2 / 2) * (east - west) * DEG * (authalicQ(north) - authalicQ(south))) / 1e6;
}

/** The point dxM east and dyM north of [lon, lat] (local plane; fine for a few km). */
export function offset([lon, lat]: Position, dxM: number, dyM: number): Position {
  const latOut = lat + dyM / metresPerDegreeLat(lat + dyM / 2 / metresPerDegreeLat(lat));
  return [lon + dxM / metresPerDegreeLon((lat + latOut) / 2), latOut];
}

/** Closed ring of a lon/lat rectangle, counter-clockwise. */
export function rectangleRing(west: number, south: number, east: number, north: number): Position[] {
  return [[west, south], [east, south], [east, north], [west, north], [west, south]];
}

/** Square commune (a lon/lat rectangle about halfSideM either way) around a centre. */
export function squareAround(centre: Position, halfSideM: number): { polygon: Polygon; bounds: [number, number, number, number] } {
  const [west, south] = offset(centre, -halfSideM, -halfSideM);
  const [east, north] = offset(centre, halfSideM, halfSideM);
  return { polygon: { type: 'Polygon', coordinates: [rectangleRing(west, south, east, north)] }, bounds: [west, south, east, north] };
}

export const discAreaKm2 = (radiusM: number) => (Math.PI * radiusM * radiusM) / 1e6;

/** Area of the intersection of two discs with centres dM apart, km² (lens formula). */
export function lensAreaKm2(r1: number, r2: number, d: number): number {
  if (d >= r1 + r2) return 0;
  if (d <= Math.abs(r1 - r2)) return discAreaKm2(Math.min(r1, r2));
  const a1 = r1 * r1 * Math.acos((d * d + r1 * r1 - r2 * r2) / (2 * d * r1));
  const a2 = r2 * r2 * Math.acos((d * d + r2 * r2 - r1 * r1) / (2 * d * r2));
  const k = 0.5 * Math.sqrt((-d + r1 + r2) * (d + r1 - r2) * (d - r1 + r2) * (d + r1 + r2));
  return (a1 + a2 - k) / 1e6;
}

/** Area of the part of a disc beyond a straight line cM from its centre, km² (circular segment). */
export function segmentAreaKm2(r: number, c: number): number {
  return (r * r * Math.acos(c / r) - c * Math.sqrt(r * r - c * c)) / 1e6;
}

/** Area of a sector of beamwidth θ (degrees), km²: r²θ/2. */
export const sectorAreaKm2 = (r: number, beamwidthDeg: number) => (r * r * beamwidthDeg * DEG) / 2 / 1e6;
