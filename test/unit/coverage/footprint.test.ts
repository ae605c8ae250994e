/** Footprint polygons for display and the naive Turf comparison. */
import { describe, expect, it } from 'vitest';
import { area, bearing, distance } from '@turf/turf';
import type { Position } from 'geojson';
import { footprintPolygon, radioSector } from '../../../server/coverage/engine';

const AT = { lon: 105.2, lat: 21.3 };

/** Shoelace sum in degrees: positive for a counter-clockwise ring. */
function signedArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0; i + 1 < ring.length; i++) sum += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return sum / 2;
}

describe('footprintPolygon', () => {
  it('is a closed counter-clockwise disc with `steps` vertices when there is no sector', () => {
    const polygon = footprintPolygon({ ...AT, radiusM: 2000 }, { steps: 128 });
    const ring = polygon.coordinates[0];
    expect(polygon.type).toBe('Polygon');
    expect(ring).toHaveLength(129);
    expect(ring[0]).toEqual(ring[ring.length - 1]);
    expect(signedArea(ring)).toBeGreaterThan(0);
    for (const p of ring) expect(distance([AT.lon, AT.lat], p, { units: 'meters' })).toBeCloseTo(2000, 0);
    // Inscribed 128-gon: 0.04 % below πr² (Turf measures on a sphere: allow 0.5 %).
    expect(area(polygon) / (Math.PI * 2000 ** 2)).toBeGreaterThan(0.995);
  });

  it('is a wedge from the antenna between azimuth ± beamwidth/2', () => {
    const polygon = footprintPolygon({ ...AT, radiusM: 3000, azimuthDeg: 90, beamwidthDeg: 120 });
    const ring = polygon.coordinates[0];
    expect(ring[0]).toEqual([AT.lon, AT.lat]);
    expect(ring[ring.length - 1]).toEqual([AT.lon, AT.lat]);
    expect(signedArea(ring)).toBeGreaterThan(0);
    const arc = ring.slice(1, -1);
    expect(bearing([AT.lon, AT.lat], arc[0])).toBeCloseTo(150, 3);
    expect(bearing([AT.lon, AT.lat], arc[arc.length - 1])).toBeCloseTo(30, 3);
    expect(area(polygon) / ((Math.PI * 3000 ** 2) / 3)).toBeGreaterThan(0.99);
  });

  it('keeps a reflex (240°) wedge simple and counter-clockwise', () => {
    const polygon = footprintPolygon({ ...AT, radiusM: 1000, azimuthDeg: 0, beamwidthDeg: 240 });
    expect(signedArea(polygon.coordinates[0])).toBeGreaterThan(0);
    expect(area(polygon) / ((2 * Math.PI * 1000 ** 2) / 3)).toBeGreaterThan(0.99);
  });

  it('rejects a zero radius', () => {
    expect(() => footprintPolygon({ ...AT, radiusM: 0 })).toThrow(RangeError);
  });
});

describe('radioSector', () => {
  it('needs a finite azimuth and a beamwidth strictly between 0° and 360°', () => {
    expect(radioSector({ ...AT, radiusM: 1, azimuthDeg: 10, beamwidthDeg: 65 })).toEqual({ azimuthDeg: 10, beamwidthDeg: 65 });
    expect(radioSector({ ...AT, radiusM: 1, azimuthDeg: null, beamwidthDeg: 65 })).toBeNull();
    expect(radioSector({ ...AT, radiusM: 1, azimuthDeg: 10, beamwidthDeg: null })).toBeNull();
    expect(radioSector({ ...AT, radiusM: 1, azimuthDeg: 10, beamwidthDeg: 360 })).toBeNull();
    expect(radioSector({ ...AT, radiusM: 1, azimuthDeg: 10, beamwidthDeg: 0 })).toBeNull();
    expect(radioSector({ ...AT, radiusM: 1 })).toBeNull();
  });
});
