/**
 * Types shared by the coverage engine. Pure data: GeoJSON in, numbers out. Coordinates are WGS84
 * `[lon, lat]` in degrees; lengths in metres; areas in km²; percentages in points (0–100).
 */
import type { MultiPolygon, Polygon } from 'geojson';

/** Radio access technology generations the atlas counts. */
export type Technology = '2G' | '3G' | '4G' | '5G';

/** Every technology, in the order figures are emitted. */
export const TECHNOLOGIES: readonly Technology[] = Object.freeze(['2G', '3G', '4G', '5G']);

/** Operator code used for "all operators combined". */
export const ALL_OPERATORS = 'all';

/** One commune (xã or phường) to count coverage in. */
export interface CoverageCommune {
  /** Official 5-digit commune code (ma_xa). */
  code: string;
  /** Residents; spread evenly over the polygon (no finer population layer exists yet). */
  population: number;
  /** WGS84 boundary; holes and several parts allowed (even-odd rule). */
  geometry: Polygon | MultiPolygon;
}

/** One radio (cell) with its footprint already resolved to a radius. */
export interface CoverageRadio {
  /** Operator code, e.g. 'viettel'. Must not be 'all'. */
  operator: string;
  technology: Technology;
  /** WGS84 longitude of the antenna, degrees. */
  lon: number;
  /** WGS84 latitude of the antenna, degrees. */
  lat: number;
  /** Ground radius of the footprint, metres (explicit, or from `propagation.ts`); 0 covers nothing. */
  radiusM: number;
  /** Main-lobe bearing, degrees clockwise from true north. Null or absent: omnidirectional. */
  azimuthDeg?: number | null;
  /** Full horizontal beamwidth, degrees, in (0, 360). Null, absent or ≥ 360: omnidirectional. */
  beamwidthDeg?: number | null;
}

/** Coverage of one commune by one technology and one operator (or 'all'). */
export interface CoverageFigure {
  communeCode: string;
  technology: Technology;
  /** Operator code, or 'all' for the union of every operator's footprints. */
  operator: string;
  /** Ellipsoidal (WGS84) area of the commune polygon, km². */
  areaKm2: number;
  /** Area of the commune inside the union of footprints, km². */
  coveredKm2: number;
  /** 100 · coveredKm2 / areaKm2, percentage points. */
  areaPct: number;
  population: number;
  /** population · coveredKm2 / areaKm2: population is assumed spread evenly over the commune. */
  coveredPopulation: number;
  /** Equal to areaPct under the even-spread assumption, percentage points. */
  populationPct: number;
}

/** Province-wide figure for one technology and operator: sums over communes. */
export interface ProvinceFigure {
  technology: Technology;
  operator: string;
  areaKm2: number;
  coveredKm2: number;
  /** Area-weighted: 100 · Σ coveredKm2 / Σ areaKm2. */
  areaPct: number;
  population: number;
  coveredPopulation: number;
  /** Population-weighted: 100 · Σ coveredPopulation / Σ population. */
  populationPct: number;
}

/** Options of `computeCommuneCoverage`; every field optional, defaults applied inside. */
export interface CoverageOptions {
  /** North–south distance between integration rows, metres. Default 25. */
  rowSpacingM?: number;
  /** Technologies to emit figures for. Default all four. */
  technologies?: Technology[];
  /**
   * Operators to emit figures for per technology even without a radio of it in `radios` (their
   * figures are then 0 %), so that every date and place gives the same rows. Default none.
   */
  operators?: Readonly<Partial<Record<Technology, readonly string[]>>>;
}
