import crypto from 'node:crypto';
import {
  DEFAULT_LINK_BUDGET,
  DEFAULT_ROW_SPACING_M,
  environmentFor,
  resolveRadiusM,
  type CoverageRadio,
} from './engine/index';
import type { ActiveRadio, CommuneForCoverage } from './coverage.repo';

/**
 * The model's version: a digest of every default that changes a figure (link budget and row
 * spacing), so results computed under other defaults are recognisable.
 */
export const MODEL_VERSION = `hata-38901-rows${DEFAULT_ROW_SPACING_M}m-${crypto
  .createHash('sha256')
  .update(JSON.stringify(DEFAULT_LINK_BUDGET))
  .digest('hex')
  .slice(0, 10)}`;

const MIN_MODEL_HEIGHT_M = 2;

/** Upper bound of any footprint radius, m: which communes an import can touch. */
export const MAX_FOOTPRINT_RADIUS_M = 35_000;

/**
 * Turns the database's radios into engine radios: an explicit radius when the station gives one,
 * else the link-budget radius for the environment of the commune the station stands in.
 */
export function toEngineRadios(radios: readonly ActiveRadio[], communes: ReadonlyMap<string, CommuneForCoverage>): Array<CoverageRadio & { radioId: number; stationId: number; siteCode: string }> {
  return radios.map((r) => {
    const commune = r.communeCode ? communes.get(r.communeCode) : undefined;
    const environment = commune ? environmentFor(commune.kind === 'phuong' ? 'phuong' : 'xa', commune.population / commune.areaKm2) : 'rural';
    // The propagation formulas need the antenna above the 1.5 m handset: a lower stored height
    // (a mast on a roof counted from the roof, a typo) is taken as 2 m rather than failing a run.
    const heightM = r.heightM === null ? null : Math.max(r.heightM, MIN_MODEL_HEIGHT_M);
    const radiusM = resolveRadiusM(r.radiusM, { technology: r.technology, bandMhz: r.bandMhz, heightM, environment });
    return {
      radioId: r.radioId, stationId: r.stationId, siteCode: r.siteCode, operator: r.operator, technology: r.technology,
      lon: r.lon, lat: r.lat, radiusM: Math.min(radiusM, MAX_FOOTPRINT_RADIUS_M), azimuthDeg: r.azimuthDeg, beamwidthDeg: r.beamwidthDeg,
    };
  });
}

/** Digest of what a run read: the communes' stamp and every radio that counted, in id order. */
export function inputsDigest(communesStamp: string, asOf: string, radios: ReadonlyArray<CoverageRadio & { radioId: number }>): string {
  const h = crypto.createHash('sha256').update(`${MODEL_VERSION}|${communesStamp}|${asOf}|`);
  for (const r of radios) h.update(`${r.radioId},${r.operator},${r.technology},${r.lon},${r.lat},${r.radiusM},${r.azimuthDeg ?? ''},${r.beamwidthDeg ?? ''};`);
  return h.digest('hex');
}
