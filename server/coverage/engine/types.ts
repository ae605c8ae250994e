/**
 * Types shared by the coverage engine. Pure data: GeoJSON in, numbers out. Coordinates are WGS84
 * `[lon, lat]` in degrees; lengths in metres; areas in km²; percentages in points (0–100).
 */
import type { MultiPolygon, Polygon } from 'geojson';
import type { PreparedGrid } from './population';

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
  /**
   * Residents: spread over the polygon in proportion to `options.population`'s density where that
   * grid has people inside the commune, evenly otherwise.
   */
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
  /**
   * The footprint as terrain shaped it (terrain-footprint.ts), inside the disc of radiusM and the
   * sector; null or absent: the exact disc or wedge.
   */
  strips?: FootprintStrips | null;
}

/**
 * A footprint as horizontal bands of equal height: band s spans latitudes
 * [south + s·stepDeg, south + (s + 1)·stepDeg) and covers the longitude pairs
 * lons[2q], lons[2q + 1] for q in offsets[s] … offsets[s + 1] (sorted, disjoint).
 */
export interface FootprintStrips {
  south: number;
  stepDeg: number;
  count: number;
  offsets: Int32Array;
  lons: Float64Array;
  minLon: number;
  maxLon: number;
  minLat: number;
  maxLat: number;
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
  /** People inside the covered part: the integral of the commune's population density over it. */
  coveredPopulation: number;
  /** 100 · coveredPopulation / population, percentage points (equal to areaPct under the even spread). */
  populationPct: number;
  /** How the commune's people were spread: by the grid's density, or evenly (no grid, or no people in it there). */
  populationSpread: PopulationSpread;
}

export type PopulationSpread = 'grid' | 'even';

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
  /** Population density grid for the dasymetric spread (population.ts); absent: the even spread. */
  population?: PreparedGrid | null;
}
