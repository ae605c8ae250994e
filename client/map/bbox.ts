import type { FeatureCollection, Geometry, Position } from 'geojson';

/** [west, south, east, north] in degrees. */
export type Bbox = [number, number, number, number];

/** Bounding box of every coordinate in the collection, or null when it has none. */
export function bboxOf(fc: FeatureCollection<Geometry | null>): Bbox | null {
  const box: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (coords: unknown): void => {
    if (typeof (coords as Position)[0] === 'number') {
      const [lon, lat] = coords as Position;
      if (lon < box[0]) box[0] = lon;
      if (lat < box[1]) box[1] = lat;
      if (lon > box[2]) box[2] = lon;
      if (lat > box[3]) box[3] = lat;
      return;
    }
    for (const c of coords as unknown[]) visit(c);
  };
  const visitGeometry = (g: Geometry | null): void => {
    if (!g) return;
    if (g.type === 'GeometryCollection') g.geometries.forEach(visitGeometry);
    else visit(g.coordinates);
  };
  for (const f of fc.features) visitGeometry(f.geometry);
  return Number.isFinite(box[0]) ? box : null;
}
