/**
 * Population grids for the dasymetric spread: each commune's official population is spread over
 * the commune in proportion to a grid's density (people per cell over the cell's area), weighted by
 * the part of each cell inside the commune. Inside one cell the density is constant, so the people
 * on a stretch of an integration row are its length times that cell's density: exact on the rows.
 *
 * A grid is plain data (the engine reads no file): server/population/ reads GeoTIFFs into it.
 */
import { metresPerDegreeLat, metresPerDegreeLon } from './geodesy';

/** People per cell on a regular lon/lat grid (EPSG:4326), row 0 at the north edge. */
export interface PopulationGrid {
  /** West edge of column 0, degrees. */
  west: number;
  /** North edge of row 0, degrees. */
  north: number;
  /** Cell width (longitude) and height (latitude), degrees, > 0. */
  cellDegX: number;
  cellDegY: number;
  width: number;
  height: number;
  /** People per cell, row-major from the north-west corner; no data, NaN or negative: 0 people. */
  values: Float32Array;
}

/** A grid prepared for rows: per grid row, the cumulative density weight along longitude. */
export interface PreparedGrid {
  grid: PopulationGrid;
  /**
   * cumulative[row · (width + 1) + c]: Σ over columns < c of that row's people / cell area (km²),
   * i.e. the density weight per degree of longitude integrated from the west edge.
   */
  cumulative: Float64Array;
}

/** Area of one cell of grid row `row`, km² (ellipsoidal, at the row's central latitude). */
export function cellAreaKm2(grid: PopulationGrid, row: number): number {
  const lat = grid.north - (row + 0.5) * grid.cellDegY;
  return (metresPerDegreeLon(lat) * grid.cellDegX * metresPerDegreeLat(lat) * grid.cellDegY) / 1e6;
}

/** Cumulative density weights per grid row; computed once per grid and shared by every commune. */
export function prepareGrid(grid: PopulationGrid): PreparedGrid {
  const { width, height, values } = grid;
  if (!(grid.cellDegX > 0 && grid.cellDegY > 0) || values.length !== width * height) throw new RangeError('population grid: bad shape');
  const cumulative = new Float64Array(height * (width + 1));
  for (let row = 0; row < height; row++) {
    const perKm2 = 1 / cellAreaKm2(grid, row);
    let sum = 0;
    const base = row * (width + 1);
    for (let c = 0; c < width; c++) {
      const v = values[row * width + c];
      if (v > 0) sum += v * perKm2; // NaN and no-data (negative) add nothing
      cumulative[base + c + 1] = sum;
    }
  }
  return { grid, cumulative };
}

/** Grid row of a latitude, or −1 outside the grid. */
export function gridRowOf(p: PreparedGrid, latDeg: number): number {
  const row = Math.floor((p.grid.north - latDeg) / p.grid.cellDegY);
  return row >= 0 && row < p.grid.height ? row : -1;
}

/**
 * ∫ density weight dlon from the grid's west edge to `lonDeg` along grid row `row`, in
 * (people / km²) · degrees; constant before the west edge, and after the east edge.
 */
export function cumulativeAt(p: PreparedGrid, row: number, lonDeg: number): number {
  const { width, west, cellDegX } = p.grid;
  const u = (lonDeg - west) / cellDegX;
  const base = row * (width + 1);
  if (u <= 0) return 0;
  if (u >= width) return p.cumulative[base + width];
  const c = Math.floor(u);
  const lo = p.cumulative[base + c];
  return lo + (u - c) * (p.cumulative[base + c + 1] - lo);
}

/** People per km² of the grid itself at a point (its people over its cell's area); 0 outside. */
export function gridDensityAt(p: PreparedGrid, lonDeg: number, latDeg: number): number {
  const row = gridRowOf(p, latDeg);
  if (row < 0) return 0;
  const c = Math.floor((lonDeg - p.grid.west) / p.grid.cellDegX);
  if (c < 0 || c >= p.grid.width) return 0;
  const base = row * (p.grid.width + 1);
  return p.cumulative[base + c + 1] - p.cumulative[base + c];
}
