/** Looking radios up by place: which footprints may reach a bbox, and whether one reaches a point. */
import Flatbush from 'flatbush';
import { radioSector } from './engine/index';
import type { EngineRadio } from './coverage.model';

const EARTH_RADIUS_M = 6_371_008.8;
const M_PER_DEG_LAT = 111_320;

export interface RadioIndex {
  all: readonly EngineRadio[];
  /** Radios whose footprint bbox meets the given bbox [minLon, minLat, maxLon, maxLat]. */
  near(bbox: [number, number, number, number]): EngineRadio[];
}

/** A Flatbush index of the radios' footprint bboxes (degrees, a little generous in longitude). */
export function indexRadios(radios: readonly EngineRadio[]): RadioIndex {
  const index = new Flatbush(Math.max(1, radios.length));
  for (const r of radios) {
    const dLat = r.radiusM / M_PER_DEG_LAT;
    const dLon = r.radiusM / (M_PER_DEG_LAT * Math.cos((Math.min(Math.abs(r.lat) + dLat, 89) * Math.PI) / 180));
    index.add(r.lon - dLon, r.lat - dLat, r.lon + dLon, r.lat + dLat);
  }
  if (radios.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  return {
    all: radios,
    near: ([minX, minY, maxX, maxY]) => (radios.length ? index.search(minX, minY, maxX, maxY).map((i) => radios[i]) : []),
  };
}

/** Great-circle distance, metres. */
export function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(a));
}

/** Whether the bearing from the antenna to the point lies in the radio's sector (always, omnidirectional). */
export function inSector(r: { lon: number; lat: number; azimuthDeg?: number | null; beamwidthDeg?: number | null }, lon: number, lat: number): boolean {
  const sector = radioSector({ ...r, radiusM: 1 });
  if (!sector) return true;
  const toRad = Math.PI / 180;
  const y = Math.sin((lon - r.lon) * toRad) * Math.cos(lat * toRad);
  const x = Math.cos(r.lat * toRad) * Math.sin(lat * toRad) - Math.sin(r.lat * toRad) * Math.cos(lat * toRad) * Math.cos((lon - r.lon) * toRad);
  const bearing = (Math.atan2(y, x) / toRad + 360) % 360;
  const diff = Math.abs(((bearing - sector.azimuthDeg + 540) % 360) - 180);
  return diff <= sector.beamwidthDeg / 2;
}
