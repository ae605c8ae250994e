/**
 * A commune polygon cut into horizontal rows (parallels of latitude): on each row, the exact
 * longitude intervals inside the polygon. Edges are bucketed by the rows they cross once, so a row
 * costs only its own crossings even for boundaries with thousands of vertices.
 *
 * Edges are straight in longitude/latitude, as PostGIS treats a geometry(…, 4326); after
 * ST_Transform to UTM the same edges are straight in UTM instead, a difference of millimetres for
 * boundary segments of a few hundred metres.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson';
import { metresPerDegreeLat } from './geodesy';

/** Rows of a polygon: row k lies at latitude minLat + (k + 0.5) · rowHeightDeg. */
export interface PolygonRows {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
  rowCount: number;
  /** Latitude step between rows, degrees; rows split [minLat, maxLat] into equal bands. */
  rowHeightDeg: number;
  /** Edge endpoints, 4 numbers per edge: lon1, lat1, lon2, lat2 (degrees). */
  edges: Float64Array;
  /** Row k's edges are rowEdges[rowStart[k] .. rowStart[k + 1]). */
  rowStart: Int32Array;
  rowEdges: Int32Array;
}

/** Latitude of row k, degrees. */
export function rowLatitude(rows: PolygonRows, k: number): number {
  return rows.minLat + (k + 0.5) * rows.rowHeightDeg;
}

function forEachRing(geometry: Polygon | MultiPolygon, visit: (ring: Position[]) => void): void {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  for (const polygon of polygons) for (const ring of polygon) if (ring.length >= 3) visit(ring);
}

/**
 * Cut a polygon into rows about rowSpacingM apart (the step is shrunk slightly so that whole rows
 * fill the bounding box exactly).
 *
 * @param geometry WGS84 Polygon or MultiPolygon; rings need not repeat their first vertex
 * @param rowSpacingM wanted north–south distance between rows, metres, > 0
 */
export function buildPolygonRows(geometry: Polygon | MultiPolygon, rowSpacingM: number): PolygonRows {
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  let edgeCount = 0;
  forEachRing(geometry, (ring) => {
    edgeCount += ring.length;
    for (const [lon, lat] of ring) {
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
    }
  });
  const edges = new Float64Array(edgeCount * 4);
  let e = 0;
  forEachRing(geometry, (ring) => {
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i];
      const b = ring[(i + 1) % ring.length];
      edges[e++] = a[0];
      edges[e++] = a[1];
      edges[e++] = b[0];
      edges[e++] = b[1];
    }
  });

  const heightDeg = maxLat - minLat;
  const wantedDeg = rowSpacingM / metresPerDegreeLat((minLat + maxLat) / 2);
  const rowCount = heightDeg > 0 ? Math.max(1, Math.ceil(heightDeg / wantedDeg)) : 0;
  const rowHeightDeg = rowCount > 0 ? heightDeg / rowCount : 0;

  // Row k is crossed by an edge when lo ≤ lat_k < hi (half-open, so a vertex shared by two edges
  // is counted once and every row sees an even number of crossings). firstRow() is evaluated on
  // the same vertex value for both edges that share it, which keeps that parity exact.
  const firstRow = (lat: number) => Math.ceil((lat - minLat) / rowHeightDeg - 0.5);
  const fromRow = new Int32Array(edgeCount);
  const toRow = new Int32Array(edgeCount).fill(-1); // empty span: horizontal edge or no rows
  for (let i = 0; i < edgeCount && rowCount > 0; i++) {
    const y1 = edges[i * 4 + 1];
    const y2 = edges[i * 4 + 3];
    if (y1 === y2) continue;
    fromRow[i] = Math.max(0, firstRow(Math.min(y1, y2)));
    toRow[i] = Math.min(rowCount - 1, firstRow(Math.max(y1, y2)) - 1);
  }
  const rowStart = new Int32Array(rowCount + 1);
  for (let i = 0; i < edgeCount; i++) for (let k = fromRow[i]; k <= toRow[i]; k++) rowStart[k + 1]++;
  for (let k = 0; k < rowCount; k++) rowStart[k + 1] += rowStart[k];
  const rowEdges = new Int32Array(rowStart[rowCount]);
  const fill = rowStart.slice(0, rowCount);
  for (let i = 0; i < edgeCount; i++) for (let k = fromRow[i]; k <= toRow[i]; k++) rowEdges[fill[k]++] = i;
  return { minLon, minLat, maxLon, maxLat, rowCount, rowHeightDeg, edges, rowStart, rowEdges };
}

/**
 * Longitude intervals of row k inside the polygon (even-odd rule, so holes and separate parts need
 * no special case), written as sorted pairs [start0, end0, start1, end1, …] into `out`.
 *
 * @returns the number of values written (twice the number of intervals)
 */
export function rowIntervals(rows: PolygonRows, k: number, out: Float64Array): number {
  const lat = rowLatitude(rows, k);
  const { edges, rowEdges } = rows;
  let n = 0;
  for (let j = rows.rowStart[k]; j < rows.rowStart[k + 1]; j++) {
    const i = rowEdges[j] * 4;
    const x1 = edges[i];
    const y1 = edges[i + 1];
    const t = Math.min(1, Math.max(0, (lat - y1) / (edges[i + 3] - y1)));
    const x = x1 + t * (edges[i + 2] - x1);
    // Insertion sort: rows rarely cross more than a dozen edges.
    let p = n++;
    while (p > 0 && out[p - 1] > x) {
      out[p] = out[p - 1];
      p--;
    }
    out[p] = x;
  }
  return n;
}

/** Largest number of edges any row crosses: the size `rowIntervals` needs for `out`. */
export function maxRowCrossings(rows: PolygonRows): number {
  let most = 0;
  for (let k = 0; k < rows.rowCount; k++) most = Math.max(most, rows.rowStart[k + 1] - rows.rowStart[k]);
  return most;
}
