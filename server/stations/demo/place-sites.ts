import { bbox as turfBbox, booleanPointInPolygon, centroid, pointOnFeature } from '@turf/turf';
import type { MultiPolygon, Polygon, Position } from 'geojson';
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
