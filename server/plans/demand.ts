/**
 * Demand points for the planner: a lattice of points `spacingM` apart (north–south and east–west,
 * in metres at the province's mid-latitude) over the communes, each point standing for the people
 * of its cell. A point's people come from a density function (people per km² at that point: today
 * the commune's even spread; a population grid when the engine has one), scaled per commune so
 * that the points of a commune add up to its official population. Pure.
 */
import type { MultiPolygon } from 'geojson';
import { metresPerDegreeLat, metresPerDegreeLon } from '../coverage/engine/geodesy';
import { stripsContain, type FootprintStrips } from '../coverage/engine/index';
import type { DensityFunction } from '../scenarios/evaluator';
import { boxOf } from '../scenarios/locate';

/** Distance between demand points, metres: a 5G urban footprint (about 0.5 km) spans about 80 of them. */
export const DEMAND_SPACING_M = 100;

export interface DemandCommune {
  code: string;
  population: number;
  areaKm2: number;
  geometry: MultiPolygon;
}

export interface DemandGrid {
  spacingM: number;
  /** Centre of lattice cell (0, 0), degrees; columns go east, rows north. */
  lon0: number;
  lat0: number;
  dLon: number;
  dLat: number;
  width: number;
  height: number;
  /** Lattice cell → demand point index, −1 outside every commune. */
  pointAt: Int32Array;
  /** Per point: lattice cell, commune index, people, area (km²). */
  cell: Int32Array;
  commune: Int32Array;
  people: Float64Array;
  areaKm2: Float64Array;
  count: number;
}

/** Longitudes where a parallel crosses the rings of a multipolygon, sorted (even-odd pairs are inside). */
function crossings(g: MultiPolygon, lat: number): number[] {
  const xs: number[] = [];
  for (const poly of g.coordinates) for (const ring of poly) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i];
      const [xj, yj] = ring[j];
      if (yi > lat !== yj > lat) xs.push(xi + ((lat - yi) * (xj - xi)) / (yj - yi));
    }
  }
  return xs.sort((a, b) => a - b);
}

export function buildDemandGrid(communes: readonly DemandCommune[], density: DensityFunction, spacingM = DEMAND_SPACING_M): DemandGrid {
  const boxes = communes.map((c) => boxOf(c.geometry));
  const minLon = Math.min(...boxes.map((b) => b[0]));
  const minLat = Math.min(...boxes.map((b) => b[1]));
  const maxLon = Math.max(...boxes.map((b) => b[2]));
  const maxLat = Math.max(...boxes.map((b) => b[3]));
  const midLat = (minLat + maxLat) / 2;
  const dLat = spacingM / metresPerDegreeLat(midLat);
  const dLon = spacingM / metresPerDegreeLon(midLat);
  const width = Math.max(1, Math.ceil((maxLon - minLon) / dLon));
  const height = Math.max(1, Math.ceil((maxLat - minLat) / dLat));
  const lon0 = minLon + dLon / 2;
  const lat0 = minLat + dLat / 2;
  const pointAt = new Int32Array(width * height).fill(-1);
  const cells: number[] = [];
  const owners: number[] = [];
  communes.forEach((c, ci) => {
    const b = boxes[ci];
    const j0 = Math.max(0, Math.ceil((b[1] - lat0) / dLat));
    const j1 = Math.min(height - 1, Math.floor((b[3] - lat0) / dLat));
    for (let j = j0; j <= j1; j++) {
      const xs = crossings(c.geometry, lat0 + j * dLat);
      for (let k = 0; k + 1 < xs.length; k += 2) {
        const i0 = Math.max(0, Math.ceil((xs[k] - lon0) / dLon));
        const i1 = Math.min(width - 1, Math.floor((xs[k + 1] - lon0) / dLon));
        for (let i = i0; i <= i1; i++) {
          const cell = j * width + i;
          if (pointAt[cell] !== -1) continue; // on a shared border: the first commune keeps it
          pointAt[cell] = cells.length;
          cells.push(cell);
          owners.push(ci);
        }
      }
    }
  });
  const count = cells.length;
  const cell = Int32Array.from(cells);
  const commune = Int32Array.from(owners);
  const people = new Float64Array(count);
  const areaKm2 = new Float64Array(count);
  const rawSum = new Float64Array(communes.length);
  const areaSum = new Float64Array(communes.length);
  for (let p = 0; p < count; p++) {
    const lat = lat0 + Math.floor(cell[p] / width) * dLat;
    const lon = lon0 + (cell[p] % width) * dLon;
    const a = (metresPerDegreeLat(lat) * dLat * metresPerDegreeLon(lat) * dLon) / 1e6;
    const c = communes[commune[p]];
    areaKm2[p] = a;
    people[p] = Math.max(0, density(c.code, lon, lat)) * a;
    rawSum[commune[p]] += people[p];
    areaSum[commune[p]] += a;
  }
  // Scale each commune's points to its official population and area (the lattice is only a sample).
  for (let p = 0; p < count; p++) {
    const ci = commune[p];
    const c = communes[ci];
    people[p] = rawSum[ci] > 0 ? (people[p] * c.population) / rawSum[ci] : (areaKm2[p] * c.population) / areaSum[ci];
    areaKm2[p] = (areaKm2[p] * c.areaKm2) / areaSum[ci];
  }
  return { spacingM, lon0, lat0, dLon, dLat, width, height, pointAt, cell, commune, people, areaKm2, count };
}

export const pointLon = (g: DemandGrid, p: number) => g.lon0 + (g.cell[p] % g.width) * g.dLon;
export const pointLat = (g: DemandGrid, p: number) => g.lat0 + Math.floor(g.cell[p] / g.width) * g.dLat;

/**
 * A footprint as the planner samples it: a disc, or a sector wedge (azimuth and beamwidth,
 * degrees), or the terrain footprint of its strips, which lies within that disc or wedge.
 */
export interface SampledFootprint {
  lon: number;
  lat: number;
  radiusM: number;
  azimuthDeg?: number | null;
  beamwidthDeg?: number | null;
  strips?: FootprintStrips | null;
}

/**
 * Calls `visit` with each demand point inside a footprint. Distances in a local plane at the
 * antenna (metres per degree there): at the footprints' few kilometres the error is far below the
 * lattice spacing. With strips, a point of the disc or wedge counts only if the strips hold it (the
 * engine's own test of a terrain footprint).
 */
export function forEachPointIn(g: DemandGrid, f: SampledFootprint, visit: (p: number) => void): void {
  if (!(f.radiusM > 0)) return;
  const mLat = metresPerDegreeLat(f.lat);
  const mLon = metresPerDegreeLon(f.lat);
  const sector = f.azimuthDeg !== null && f.azimuthDeg !== undefined && f.beamwidthDeg !== null && f.beamwidthDeg !== undefined && f.beamwidthDeg < 360;
  const half = sector ? f.beamwidthDeg! / 2 : 180;
  const r2 = f.radiusM * f.radiusM;
  const j0 = Math.max(0, Math.ceil((f.lat - f.radiusM / mLat - g.lat0) / g.dLat));
  const j1 = Math.min(g.height - 1, Math.floor((f.lat + f.radiusM / mLat - g.lat0) / g.dLat));
  for (let j = j0; j <= j1; j++) {
    const dy = (g.lat0 + j * g.dLat - f.lat) * mLat;
    const dxMax = Math.sqrt(Math.max(0, r2 - dy * dy));
    const i0 = Math.max(0, Math.ceil((f.lon - dxMax / mLon - g.lon0) / g.dLon));
    const i1 = Math.min(g.width - 1, Math.floor((f.lon + dxMax / mLon - g.lon0) / g.dLon));
    for (let i = i0; i <= i1; i++) {
      const p = g.pointAt[j * g.width + i];
      if (p < 0) continue;
      if (f.strips) {
        if (!stripsContain(f.strips, g.lon0 + i * g.dLon, g.lat0 + j * g.dLat)) continue;
      } else if (sector) {
        const dx = (g.lon0 + i * g.dLon - f.lon) * mLon;
        const bearing = (Math.atan2(dx, dy) * 180) / Math.PI;
        const off = Math.abs((((bearing - f.azimuthDeg!) % 360) + 540) % 360 - 180);
        if (off > half) continue;
      }
      visit(p);
    }
  }
}
