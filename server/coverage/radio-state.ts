/**
 * What the coverage service keeps of the radios between runs, and which communes a change to them
 * can move.
 *
 * A commune's figures depend only on the radios whose footprint box meets the commune's box (the
 * engine looks no further: see engine/commune-integral.ts) and on the list of groups, which is
 * the (technology, operator) pairs known. So when the radios go from one state to another, the
 * communes to recompute are those whose box meets the box of a changed radio, before or after the
 * change (a station moved away leaves the communes it covered), or every commune when the pairs
 * changed.
 */
import Flatbush from 'flatbush';
import { metresPerDegreeLat, metresPerDegreeLon } from './engine/geodesy';
import { TECHNOLOGIES, type Technology } from './engine/index';
import { EMPTY_SUM, addRadios, inputsDigest, type EngineRadio, type RadiosSum } from './coverage.model';

/** Operators to emit figures for, per technology: every one with a radio row of it. */
export type KnownOperators = Readonly<Record<Technology, readonly string[]>>;

/** The radios on air on one date as the engine takes them, with the data version they reflect. */
export interface RadioState {
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
  return { ...fields, sum, digest: () => (digest ??= inputsDigest(fields.communesStamp, fields.asOf, sum, fields.known)) };
}

/** The operators of each technology among `pairs` (and `also`), sorted. */
export function knownOperators(pairs: ReadonlyArray<{ technology: Technology; operator: string }>, also?: KnownOperators): KnownOperators {
  const sets = new Map<Technology, Set<string>>(TECHNOLOGIES.map((t) => [t, new Set(also?.[t] ?? [])]));
  for (const p of pairs) sets.get(p.technology)?.add(p.operator);
  return Object.fromEntries(TECHNOLOGIES.map((t) => [t, [...sets.get(t)!].sort()])) as Record<Technology, string[]>;
}

/** Whether two lists give the same groups, hence the same rows in every commune. */
export function sameKnown(a: KnownOperators, b: KnownOperators): boolean {
  return TECHNOLOGIES.every((t) => a[t].length === b[t].length && a[t].every((op, i) => op === b[t][i]));
}

/** `state` with every radio of `stationIds` replaced by `fresh` (those stations' radios now). */
export function replaceStations(
  state: RadioState,
  stationIds: ReadonlySet<number>,
  fresh: readonly EngineRadio[],
  changes: { version: number; known: KnownOperators },
): RadioState {
  const kept: EngineRadio[] = [];
  const gone: EngineRadio[] = [];
  for (const r of state.radios) (stationIds.has(r.stationId) ? gone : kept).push(r);
  return radioState({
    asOf: state.asOf, communesStamp: state.communesStamp, ...changes,
    radios: [...kept, ...fresh].sort((a, b) => a.radioId - b.radioId),
    sum: addRadios(addRadios(state.sum, gone, -1), fresh),
  });
}

const sameFootprint = (a: EngineRadio, b: EngineRadio) =>
  a.stationId === b.stationId && a.operator === b.operator && a.technology === b.technology && a.lon === b.lon && a.lat === b.lat &&
  a.radiusM === b.radiusM && (a.azimuthDeg ?? null) === (b.azimuthDeg ?? null) && (a.beamwidthDeg ?? null) === (b.beamwidthDeg ?? null);

/** Radios added, removed or changed between two lists: both versions of a changed one. */
export function changedRadios(before: readonly EngineRadio[], after: readonly EngineRadio[]): EngineRadio[] {
  const old = new Map(before.map((r) => [r.radioId, r]));
  const changed: EngineRadio[] = [];
  for (const r of after) {
    const o = old.get(r.radioId);
    old.delete(r.radioId);
    if (!o) changed.push(r);
    else if (!sameFootprint(o, r)) changed.push(o, r);
  }
  changed.push(...old.values());
  return changed;
}

/**
 * An index of the communes' boxes. `reachedBy` lists the communes whose box meets the footprint box
 * of one of the radios, as the engine computes that box (engine/radio-rows.ts).
 */
export function communeIndex(communes: ReadonlyArray<{ code: string; geometry: GeoJSON.MultiPolygon }>) {
  const index = new Flatbush(Math.max(1, communes.length));
  for (const c of communes) index.add(...bboxOf(c.geometry));
  if (communes.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  return {
    reachedBy(radios: readonly EngineRadio[]): string[] {
      const codes = new Set<string>();
      for (const r of radios) {
        if (!(r.radiusM > 0) || communes.length === 0) continue;
        const [minX, minY, maxX, maxY] = footprintBox(r);
        for (const i of index.search(minX, minY, maxX, maxY)) codes.add(communes[i].code);
      }
      return [...codes].sort();
    },
  };
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
