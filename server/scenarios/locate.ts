/** Which commune a point lies in, in plain arithmetic (even-odd rule, holes and parts allowed). Pure. */
import type { MultiPolygon } from 'geojson';
import { bboxOf } from '../coverage/radio-state';

export interface Locatable {
  code: string;
  geometry: MultiPolygon;
}

export type Box = [number, number, number, number];

/** A commune's bounding box, as the coverage engine computes it. */
export const boxOf: (g: MultiPolygon) => Box = bboxOf;

/** Even-odd test over every ring of every part: a point in a hole is outside. */
export function pointInMultiPolygon(g: MultiPolygon, lon: number, lat: number): boolean {
  let inside = false;
  for (const poly of g.coordinates) {
    for (const ring of poly) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i];
        const [xj, yj] = ring[j];
        if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
  }
  return inside;
}

/** A locator over a list of communes: the code of the commune containing a point, or null. */
export function communeLocator(communes: readonly Locatable[]) {
  const boxes = communes.map((c) => boxOf(c.geometry));
  return (lon: number, lat: number): string | null => {
    for (let i = 0; i < communes.length; i++) {
      const b = boxes[i];
      if (lon < b[0] || lon > b[2] || lat < b[1] || lat > b[3]) continue;
      if (pointInMultiPolygon(communes[i].geometry, lon, lat)) return communes[i].code;
    }
    return null;
  };
}
