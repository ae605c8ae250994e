/**
 * The radios on air on one date as the engine takes them, and which radios can reach which
 * communes. A commune's figures depend only on the radios whose footprint box meets the commune's
 * box (the engine looks no further: see engine/commune-integral.ts) and on the list of groups, the
 * (technology, operator) pairs known.
 */
import Flatbush from 'flatbush';
import { metresPerDegreeLat, metresPerDegreeLon } from './engine/geodesy';
import { TECHNOLOGIES, type Technology } from './engine/index';
import { EMPTY_SUM, addRadios, inputsDigest, type EngineRadio, type RadiosSum } from './coverage.model';

/** Operators to emit figures for, per technology: every one with a radio row of it. */
export type KnownOperators = Readonly<Record<Technology, readonly string[]>>;

/** The radios on air on one date as the engine takes them, with the data version they reflect. */
export interface RadioState {
  /** The model version the radios' footprints were made under. */
  model: string;
  asOf: string;
  communesStamp: string;
  /** `data_versions.stations` of the snapshot (or of the write folded into it). */
  version: number;
  /** In radio id order, as a fresh read gives them: a run on either gives the same figures. */
  radios: readonly EngineRadio[];
  known: KnownOperators;
  /** Fingerprint of `radios` (see addRadios). */
  sum: RadiosSum;
  /** inputsDigest of this state, computed once. */
  digest(): string;
}

/** A state; its radios' fingerprint is computed unless given. */
export function radioState(fields: Omit<RadioState, 'digest' | 'sum'> & { sum?: RadiosSum }): RadioState {
  const sum = fields.sum ?? addRadios(EMPTY_SUM, fields.radios);
  let digest: string | null = null;
  return { ...fields, sum, digest: () => (digest ??= inputsDigest(fields.model, fields.communesStamp, fields.asOf, sum, fields.known)) };
}

/** The operators of each technology among `pairs` (and `also`), sorted. */
export function knownOperators(pairs: ReadonlyArray<{ technology: Technology; operator: string }>, also?: KnownOperators): KnownOperators {
  const sets = new Map<Technology, Set<string>>(TECHNOLOGIES.map((t) => [t, new Set(also?.[t] ?? [])]));
  for (const p of pairs) sets.get(p.technology)?.add(p.operator);
  return Object.fromEntries(TECHNOLOGIES.map((t) => [t, [...sets.get(t)!].sort()])) as Record<Technology, string[]>;
}

/**
 * The radios whose footprint box meets the box of one of these communes: the only ones the engine
 * looks at for them, so computing them from these alone gives the same figures, sooner (it then
 * prepares a few thousand radios rather than every one).
 */
export function radiosReaching(communes: ReadonlyArray<{ geometry: GeoJSON.MultiPolygon }>, radios: readonly EngineRadio[]): EngineRadio[] {
  if (communes.length === 0) return [];
  const index = new Flatbush(communes.length);
  for (const c of communes) index.add(...bboxOf(c.geometry));
  index.finish();
  return radios.filter((r) => {
    const [minX, minY, maxX, maxY] = footprintBox(r);
    return index.search(minX, minY, maxX, maxY).length > 0;
  });
}

/** Box slack beyond the engine's own, degrees (about 1 mm): rounding must never drop a commune. */
const BOX_SLACK_DEG = 1e-8;

/** The footprint box of radio-rows.ts (1e-3 relative slack in longitude), a little wider. */
export function footprintBox(r: Pick<EngineRadio, 'lon' | 'lat' | 'radiusM'>): [number, number, number, number] {
  const dLat = r.radiusM / metresPerDegreeLat(r.lat);
  const dLon = (1.001 * r.radiusM) / metresPerDegreeLon(Math.min(89, Math.abs(r.lat) + dLat));
  return [r.lon - dLon - BOX_SLACK_DEG, r.lat - dLat - BOX_SLACK_DEG, r.lon + dLon + BOX_SLACK_DEG, r.lat + dLat + BOX_SLACK_DEG];
}

export function bboxOf(g: GeoJSON.MultiPolygon): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of g.coordinates) for (const [x, y] of poly[0]) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}
