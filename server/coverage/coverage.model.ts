import crypto from 'node:crypto';
import {
  DEFAULT_LINK_BUDGET,
  DEFAULT_ROW_SPACING_M,
  environmentFor,
  resolveRadiusM,
  type CoverageRadio,
  type Environment,
  type FootprintStrips,
  type RadioSite,
} from './engine/index';
import type { ActiveRadio, CommuneForCoverage } from './coverage.repo';
import { DIFFRACTION_WEIGHT, TERRAIN_FOOTPRINT_VERSION } from './footprints';

/**
 * The model's version: a digest of every default that changes a figure (link budget, row spacing,
 * the terrain footprint's constants), and the digests of the population grid and of the heights,
 * so that figures computed under other defaults or from other data are recognisable (stale).
 */
export function modelVersion(data: { populationSha256: string | null; terrainSha256: string | null }): string {
  const budget = crypto.createHash('sha256')
    .update(JSON.stringify({ budget: DEFAULT_LINK_BUDGET, diffractionWeight: DIFFRACTION_WEIGHT, terrain: TERRAIN_FOOTPRINT_VERSION }))
    .digest('hex').slice(0, 10);
  const pop = data.populationSha256 ? `pop${data.populationSha256.slice(0, 8)}` : 'even';
  const dem = data.terrainSha256 ? `dem${data.terrainSha256.slice(0, 8)}` : 'flat';
  return `hata-38901-rows${DEFAULT_ROW_SPACING_M}m-${budget}-${pop}-${dem}`;
}

const MIN_MODEL_HEIGHT_M = 2;

/** Cap on any footprint radius, m: a larger explicit or estimated radius counts as this. */
export const MAX_FOOTPRINT_RADIUS_M = 35_000;

/** A radio as the engine and the service use it: engine fields plus the row's identity. */
export type EngineRadio = CoverageRadio & { radioId: number; stationId: number; siteCode: string };

/**
 * The terrain footprint of a modelled radio (no explicit radius), or null to keep its flat disc:
 * coverage.service passes the cache of footprints.ts.
 */
export type FootprintOf = (radio: EngineRadio, site: RadioSite) => FootprintStrips | null;

/** `resolveRadiusM` with the default link budget: the footprint radius of a radio, metres. */
export type RadiusResolver = (explicitRadiusM: number | null, site: RadioSite) => number;

/**
 * `resolveRadiusM` with its link-budget estimates memoised on what decides them (technology, band,
 * height, environment): the 22k radios of the demo have a few hundred distinct combinations, and
 * one estimate of a 5G radio is a 60-step bisection. The defaults never change in a process, so one
 * resolver can serve it for ever.
 */
export function createRadiusResolver(): RadiusResolver {
  const memo = new Map<string, number>();
  return (explicitRadiusM, site) => {
    if (explicitRadiusM !== null && explicitRadiusM > 0) return resolveRadiusM(explicitRadiusM, site);
    const key = `${site.technology}|${site.bandMhz ?? ''}|${site.heightM ?? ''}|${site.environment}`;
    let radiusM = memo.get(key);
    if (radiusM === undefined) {
      radiusM = resolveRadiusM(null, site);
      memo.set(key, radiusM);
    }
    return radiusM;
  };
}

/**
 * Turns the database's radios into engine radios: an explicit radius when the station gives one,
 * else the link-budget radius for the environment of the commune the station stands in.
 */
export function toEngineRadios(
  radios: readonly ActiveRadio[],
  communes: ReadonlyMap<string, CommuneForCoverage>,
  radiusOf: RadiusResolver = createRadiusResolver(),
  footprintOf: FootprintOf | null = null,
): EngineRadio[] {
  const environments = new Map<string | null, Environment>();
  const environmentOf = (code: string | null): Environment => {
    let environment = environments.get(code);
    if (environment === undefined) {
      const commune = code ? communes.get(code) : undefined;
      environment = commune ? environmentFor(commune.kind === 'phuong' ? 'phuong' : 'xa', commune.population / commune.areaKm2) : 'rural';
      environments.set(code, environment);
    }
    return environment;
  };
  return radios.map((r) => {
    // The propagation formulas need the antenna above the 1.5 m handset: a lower stored height
    // (a mast on a roof counted from the roof, a typo) is taken as 2 m rather than failing a run.
    const heightM = r.heightM === null ? null : Math.max(r.heightM, MIN_MODEL_HEIGHT_M);
    const site: RadioSite = { technology: r.technology, bandMhz: r.bandMhz, heightM, environment: environmentOf(r.communeCode) };
    const radiusM = radiusOf(r.radiusM, site);
    const radio: EngineRadio = {
      radioId: r.radioId, stationId: r.stationId, siteCode: r.siteCode, operator: r.operator, technology: r.technology,
      lon: r.lon, lat: r.lat, radiusM: Math.min(radiusM, MAX_FOOTPRINT_RADIUS_M), azimuthDeg: r.azimuthDeg, beamwidthDeg: r.beamwidthDeg,
    };
    // An explicit radius is the operator's own prediction: it keeps its disc.
    const modelled = !(r.radiusM !== null && r.radiusM > 0);
    if (modelled && footprintOf && radio.radiusM > 0) radio.strips = footprintOf(radio, site);
    return radio;
  });
}

/**
 * An order-free fingerprint of a list of radios: the lane-wise sum (mod 2^32) of a 128-bit hash of
 * each radio, so that swapping a few radios updates it without hashing the others again. The hash
 * mixes the fields' bits and is not cryptographic (far cheaper than a SHA-256 per radio; the
 * figures are in test/bench/README.md): it only tells states apart.
 */
export type RadiosSum = readonly number[];

const LANES = 4;
export const EMPTY_SUM: RadiosSum = Object.freeze(new Array<number>(LANES).fill(0));

/** `sum` plus (or, with `sign` -1, minus) the fingerprint of each of `radios`. */
export function addRadios(sum: RadiosSum, radios: ReadonlyArray<CoverageRadio & { radioId: number }>, sign: 1 | -1 = 1): RadiosSum {
  const lanes = [...sum];
  const f64 = new Float64Array(5);
  const words = new Uint32Array(f64.buffer);
  const names = new Map<string, number>();
  const nameHash = (name: string) => {
    let h = names.get(name);
    if (h === undefined) {
      h = 0x811c9dc5;
      for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
      names.set(name, h);
    }
    return h;
  };
  for (const r of radios) {
    // NaN marks an absent angle: no stored angle is NaN.
    f64[0] = r.lon; f64[1] = r.lat; f64[2] = r.radiusM; f64[3] = r.azimuthDeg ?? Number.NaN; f64[4] = r.beamwidthDeg ?? Number.NaN;
    const head = [r.radioId >>> 0, Math.floor(r.radioId / 2 ** 32), nameHash(r.operator), nameHash(r.technology)];
    for (let lane = 0; lane < LANES; lane++) {
      let h = Math.imul(0x9e3779b9, lane + 1);
      for (const w of head) h = mix(h, w);
      for (let i = 0; i < words.length; i++) h = mix(h, words[i]);
      h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      lanes[lane] = (lanes[lane] + sign * ((h ^ (h >>> 16)) >>> 0)) >>> 0;
    }
  }
  return lanes;
}

/** One MurmurHash3 round: word `w` into hash `h`. */
function mix(h: number, w: number): number {
  let k = Math.imul(w, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/**
 * Digest of what a run read: the model, the communes' stamp, the date, the operators figures are
 * emitted for, and the radios that counted (their `addRadios` fingerprint).
 */
export function inputsDigest(
  model: string,
  communesStamp: string,
  asOf: string,
  radios: RadiosSum,
  operators: Readonly<Partial<Record<string, readonly string[]>>> = {},
): string {
  return crypto.createHash('sha256')
    .update(`${model}|${communesStamp}|${asOf}|${JSON.stringify(operators)}|${radios.join(',')}`)
    .digest('hex');
}
