/**
 * Footprint polygons of radios, for display and for the naive Turf-union comparison. Counting does
 * not use these polygons (see coverage.ts): a 64-step polygon is 0.16 % smaller than its circle.
 */
// Turf's own modules, not all of @turf/turf (why: README, "Dependencies and why").
import { circle } from '@turf/circle';
import { destination } from '@turf/destination';
import type { Polygon, Position } from 'geojson';
import type { CoverageRadio } from './types';

/** Vertices per full turn when the caller gives none (Turf's own default). */
export const DEFAULT_FOOTPRINT_STEPS = 64;

/** Options of footprintPolygon. */
export interface FootprintOptions {
  /** Vertices per full 360° turn; a sector gets a proportional share (at least 2 arc segments). */
  steps?: number;
}

/** A radio's footprint shape without its ownership, as far as geometry is concerned. */
export type FootprintRadio = Pick<CoverageRadio, 'lon' | 'lat' | 'radiusM' | 'azimuthDeg' | 'beamwidthDeg'>;

/**
 * The sector of a radio, or null when it radiates all round: a sector needs a finite azimuth and a
 * beamwidth strictly between 0° and 360°.
 */
export function radioSector(radio: FootprintRadio): { azimuthDeg: number; beamwidthDeg: number } | null {
  const { azimuthDeg, beamwidthDeg } = radio;
  if (azimuthDeg == null || beamwidthDeg == null) return null;
  if (!Number.isFinite(azimuthDeg) || !Number.isFinite(beamwidthDeg)) return null;
  if (beamwidthDeg <= 0 || beamwidthDeg >= 360) return null;
  return { azimuthDeg, beamwidthDeg };
}

/**
 * Footprint of a radio as a GeoJSON Polygon (WGS84, counter-clockwise exterior ring): a geodesic
 * disc of radiusM, or a wedge from the antenna between azimuth ± beamwidth/2 when it has a sector.
 * Vertices are on the true circle, so the polygon lies slightly inside it.
 *
 * @param radio antenna position (degrees) and radius (metres, > 0)
 * @param options.steps vertices per full turn, default 64
 */
export function footprintPolygon(radio: FootprintRadio, options: FootprintOptions = {}): Polygon {
  const steps = Math.max(3, Math.round(options.steps ?? DEFAULT_FOOTPRINT_STEPS));
  if (!(radio.radiusM > 0)) throw new RangeError(`footprint radius must be positive: ${radio.radiusM}`);
  const centre: Position = [radio.lon, radio.lat];
  const radiusKm = radio.radiusM / 1000;
  const sector = radioSector(radio);
  if (!sector) return circle(centre, radiusKm, { steps, units: 'kilometers' }).geometry;

  // Walk the arc from the clockwise-most edge back to the other one, i.e. counter-clockwise.
  const segments = Math.max(2, Math.ceil((steps * sector.beamwidthDeg) / 360));
  const startDeg = sector.azimuthDeg + sector.beamwidthDeg / 2;
  const ring: Position[] = [centre];
  for (let i = 0; i <= segments; i++) {
    const bearingDeg = startDeg - (i * sector.beamwidthDeg) / segments;
    ring.push(destination(centre, radiusKm, bearingDeg, { units: 'kilometers' }).geometry.coordinates);
  }
  ring.push(centre);
  return { type: 'Polygon', coordinates: [ring] };
}
