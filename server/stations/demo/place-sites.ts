import { bbox as turfBbox, booleanPointInPolygon, centroid, pointOnFeature } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
import type { PopulationGrid } from '../../coverage/engine/population';
import type { Prng } from './prng';

/** Kilometres per degree of latitude (WGS84 mean, good to 0.5 % at 20–22°N). */
const KM_PER_DEG_LAT = 110.574;
/** Kilometres per degree of longitude at the equator; scaled by cos(latitude). */
const KM_PER_DEG_LON_EQUATOR = 111.32;
/** Gaussian draws tried before falling back to a uniform point: a cluster near a border may miss. */
const CLUSTER_TRIES = 30;
/** Uniform draws tried before falling back to the centre: thin, ragged communes may need many. */
const UNIFORM_TRIES = 2000;
/** Coordinates are stored to 6 decimals (about 0.1 m), so the generator rounds before testing. */
export const COORD_DECIMALS = 6;

export const roundCoord = (x: number) => Math.round(x * 10 ** COORD_DECIMALS) / 10 ** COORD_DECIMALS;

/** How a commune's sites are spread: shares of the three placement modes sum to 1. */
export interface Spread {
  /** Share clustered around the settlement centre. */
  centre: number;
  /** Share clustered around secondary settlements (villages of the merged former communes). */
  villages: number;
  /** Standard deviation of the centre cluster, km. */
  centreSigmaKm: number;
  /** Standard deviation of a village cluster, km. */
  villageSigmaKm: number;
}

/** A commune ready for sampling: its polygon, bounding box and settlement points. */
export interface PreparedArea {
  geometry: Polygon | MultiPolygon;
  bbox: [number, number, number, number];
  centre: Position;
  villages: Position[];
}

/**
 * There is no road or building data here, so the settlement centre is a proxy: the polygon's
 * centroid when it falls inside (compact communes), otherwise turf's pointOnFeature (a point on
 * the surface, for crescent or multi-part shapes). Secondary settlements are uniform points in
 * the commune: a merged xã is made of 2–7 former communes, each with its own village centre.
 */
export function prepareArea(geometry: Polygon | MultiPolygon, villageCount: number, prng: Prng): PreparedArea {
  const [minLon, minLat, maxLon, maxLat] = turfBbox(geometry);
  const area: PreparedArea = { geometry, bbox: [minLon, minLat, maxLon, maxLat], centre: [0, 0], villages: [] };
  const c = centroid(geometry).geometry.coordinates;
  const rounded: Position = [roundCoord(c[0]), roundCoord(c[1])];
  area.centre = inside(area, rounded) ? rounded : onSurface(geometry);
  for (let i = 0; i < villageCount; i++) area.villages.push(uniformPoint(area, prng));
  return area;
}

/** One site position, [lon, lat] rounded to 6 decimals and inside the commune polygon. */
export function placeSite(area: PreparedArea, spread: Spread, prng: Prng): Position {
  const u = prng.next();
  if (u < spread.centre) return clusterPoint(area, area.centre, spread.centreSigmaKm, prng);
  if (u < spread.centre + spread.villages && area.villages.length) {
    const village = area.villages[prng.int(0, area.villages.length - 1)];
    return clusterPoint(area, village, spread.villageSigmaKm, prng);
  }
  return uniformPoint(area, prng);
}

function clusterPoint(area: PreparedArea, at: Position, sigmaKm: number, prng: Prng): Position {
  const kmPerDegLon = KM_PER_DEG_LON_EQUATOR * Math.cos((at[1] * Math.PI) / 180);
  for (let i = 0; i < CLUSTER_TRIES; i++) {
    const p: Position = [
      roundCoord(at[0] + (prng.normal() * sigmaKm) / kmPerDegLon),
      roundCoord(at[1] + (prng.normal() * sigmaKm) / KM_PER_DEG_LAT),
    ];
    if (inside(area, p)) return p;
  }
  return uniformPoint(area, prng);
}

/** Rejection sampling in the bounding box: uniform over the commune's area (in degrees²). */
function uniformPoint(area: PreparedArea, prng: Prng): Position {
  const [minLon, minLat, maxLon, maxLat] = area.bbox;
  for (let i = 0; i < UNIFORM_TRIES; i++) {
    const p: Position = [roundCoord(prng.between(minLon, maxLon)), roundCoord(prng.between(minLat, maxLat))];
    if (inside(area, p)) return p;
  }
  return area.centre;
}

function onSurface(geometry: Polygon | MultiPolygon): Position {
  const p = pointOnFeature(geometry).geometry.coordinates;
  return [roundCoord(p[0]), roundCoord(p[1])];
}

function inside(area: PreparedArea, p: Position): boolean {
  const [minLon, minLat, maxLon, maxLat] = area.bbox;
  if (p[0] < minLon || p[0] > maxLon || p[1] < minLat || p[1] > maxLat) return false;
  // Boundary points count as outside: a point on a shared border belongs to no single commune.
  return booleanPointInPolygon(p, area.geometry, { ignoreBoundary: true });
}

/** Tries to land a grid-drawn point inside the commune before falling back to today's modes. */
const GRID_TRIES = 20;

/**
 * The populated cells of a population grid that meet a commune's bounding box, with a cumulative
 * weight for drawing one: people^exponent.
 */
export interface GridCells {
  /** West and north edges of each cell, degrees. */
  west: Float64Array;
  north: Float64Array;
  cumulative: Float64Array;
  cellDegX: number;
  cellDegY: number;
}

export function gridCellsIn(area: PreparedArea, grid: PopulationGrid, exponent: number): GridCells | null {
  const [minLon, minLat, maxLon, maxLat] = area.bbox;
  const c0 = Math.max(0, Math.floor((minLon - grid.west) / grid.cellDegX));
  const c1 = Math.min(grid.width - 1, Math.floor((maxLon - grid.west) / grid.cellDegX));
  const r0 = Math.max(0, Math.floor((grid.north - maxLat) / grid.cellDegY));
  const r1 = Math.min(grid.height - 1, Math.floor((grid.north - minLat) / grid.cellDegY));
  const west: number[] = [];
  const north: number[] = [];
  const cumulative: number[] = [];
  let sum = 0;
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const v = grid.values[r * grid.width + c];
      if (!(v > 0)) continue; // NaN (no data), 0 and negative: nobody lives there
      sum += v ** exponent;
      west.push(grid.west + c * grid.cellDegX);
      north.push(grid.north - r * grid.cellDegY);
      cumulative.push(sum);
    }
  }
  if (sum === 0) return null;
  return { west: Float64Array.from(west), north: Float64Array.from(north), cumulative: Float64Array.from(cumulative), cellDegX: grid.cellDegX, cellDegY: grid.cellDegY };
}

/**
 * A site where people live: a cell drawn by its weight, a uniform point in it, kept when it falls
 * inside the commune (so a cell half outside is drawn about half as often). Null after
 * GRID_TRIES misses; the caller then places the site as without a grid.
 */
export function placeSiteOnGrid(area: PreparedArea, cells: GridCells, prng: Prng): Position | null {
  const total = cells.cumulative[cells.cumulative.length - 1];
  for (let t = 0; t < GRID_TRIES; t++) {
    const u = prng.next() * total;
    let lo = 0;
    let hi = cells.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cells.cumulative[mid] > u) hi = mid;
      else lo = mid + 1;
    }
    const p: Position = [
      roundCoord(cells.west[lo] + prng.next() * cells.cellDegX),
      roundCoord(cells.north[lo] - prng.next() * cells.cellDegY),
    ];
    if (inside(area, p)) return p;
  }
  return null;
}
