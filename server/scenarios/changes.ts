/**
 * Station changes of a scenario, applied to the radios on air: planned sites, a technology added
 * to an existing site (an upgrade), radios taken off air. Pure: rows in, rows out. Plans build
 * their candidates with the same functions, so a plan turned into a scenario has the footprints
 * the planner counted.
 */
import type { IssueLocation } from '../errors';
import { VIETNAM_BANDS_MHZ, type Technology } from '../stations/stations.schema';
import type { RadioRow } from './evaluator';

export type ScenarioChange =
  | {
      kind: 'add'; lon: number; lat: number; operator: string; technology: Technology; bandMhz?: number; heightM?: number;
      azimuthDeg?: number | null; beamwidthDeg?: number | null; siteCode?: string;
    }
  | { kind: 'upgrade'; stationId: number; technology: Technology; bandMhz?: number; heightM?: number }
  | { kind: 'off'; stationId: number; technology?: Technology };

/**
 * Band and height of a candidate radio when none is given, per technology: the band most used in
 * Vietnam for it (5G: n78, 3500 MHz, the generic label of the 2024 auction's 3.5–3.9 GHz blocks),
 * and 30 m, the model's height for a station that gives none. An operator's own radios of the
 * technology override the band (its most used one: Viettel's 5G is 2600 MHz).
 */
export const DEFAULT_CANDIDATE_RADIO: Readonly<Record<Technology, { bandMhz: number; heightM: number }>> = Object.freeze({
  '2G': { bandMhz: 900, heightM: 30 },
  '3G': { bandMhz: 2100, heightM: 30 },
  '4G': { bandMhz: 1800, heightM: 30 },
  '5G': { bandMhz: 3500, heightM: 30 },
});

/** The band of a new radio of `operator` and `technology`: its most used band on air, else the default. */
export function defaultBandFor(rows: readonly RadioRow[], operator: string, technology: Technology): number {
  const counts = new Map<number, number>();
  for (const r of rows) if (r.operator === operator && r.technology === technology) counts.set(r.bandMhz, (counts.get(r.bandMhz) ?? 0) + 1);
  let best = DEFAULT_CANDIDATE_RADIO[technology].bandMhz;
  let n = 0;
  for (const [band, c] of counts) if (c > n || (c === n && band < best)) { best = band; n = c; }
  return best;
}

/** A station on air as the rows give it: position, operator, height, commune, sectors and technologies. */
export interface StationOnAir {
  stationId: number;
  operator: string;
  siteCode: string;
  lon: number;
  lat: number;
  heightM: number | null;
  communeCode: string | null;
  technologies: Set<Technology>;
  /** Distinct sectors of its radios; empty: omnidirectional. */
  sectors: Array<{ azimuthDeg: number; beamwidthDeg: number | null }>;
}

export function stationsOnAir(rows: readonly RadioRow[]): Map<number, StationOnAir> {
  const stations = new Map<number, StationOnAir>();
  for (const r of rows) {
    let s = stations.get(r.stationId);
    if (!s) {
      s = { stationId: r.stationId, operator: r.operator, siteCode: r.siteCode, lon: r.lon, lat: r.lat, heightM: r.heightM, communeCode: r.communeCode, technologies: new Set(), sectors: [] };
      stations.set(r.stationId, s);
    }
    s.technologies.add(r.technology);
    if (r.azimuthDeg !== null && !s.sectors.some((x) => x.azimuthDeg === r.azimuthDeg && x.beamwidthDeg === r.beamwidthDeg)) {
      s.sectors.push({ azimuthDeg: r.azimuthDeg, beamwidthDeg: r.beamwidthDeg });
    }
  }
  return stations;
}

/** The radios an upgrade adds: one per sector of the station (its existing sectors), or one omnidirectional. */
export function upgradeRows(station: StationOnAir, technology: Technology, bandMhz: number, heightM: number | null, nextId: () => number): RadioRow[] {
  const sectors = station.sectors.length ? station.sectors : [{ azimuthDeg: null, beamwidthDeg: null }];
  return sectors.map((s) => ({
    radioId: nextId(), stationId: station.stationId, operator: station.operator, siteCode: station.siteCode, technology, bandMhz,
    heightM: heightM ?? station.heightM ?? DEFAULT_CANDIDATE_RADIO[technology].heightM, azimuthDeg: s.azimuthDeg, beamwidthDeg: s.beamwidthDeg,
    radiusM: null, lon: station.lon, lat: station.lat, communeCode: station.communeCode,
  }));
}

/** The radio of a planned site; `stationId` is a negative number of the scenario's own. */
export function newSiteRow(
  site: { lon: number; lat: number; operator: string; technology: Technology; bandMhz: number; heightM?: number; azimuthDeg?: number | null; beamwidthDeg?: number | null; siteCode?: string },
  communeCode: string,
  stationId: number,
  radioId: number,
): RadioRow {
  return {
    radioId, stationId, operator: site.operator, siteCode: site.siteCode ?? `PLAN${-stationId}`, technology: site.technology, bandMhz: site.bandMhz,
    heightM: site.heightM ?? DEFAULT_CANDIDATE_RADIO[site.technology].heightM, azimuthDeg: site.azimuthDeg ?? null, beamwidthDeg: site.beamwidthDeg ?? null,
    radiusM: null, lon: site.lon, lat: site.lat, communeCode,
  };
}

export interface ChangeContext {
  rows: readonly RadioRow[];
  stations: ReadonlyMap<number, StationOnAir>;
  locate: (lon: number, lat: number) => string | null;
  operators: ReadonlySet<string>;
}

/** Every problem of a list of changes against the stations on air, with the change's index and field. */
export function checkChanges(changes: readonly ScenarioChange[], ctx: ChangeContext): IssueLocation[] {
  const issues: IssueLocation[] = [];
  const fail = (row: number, column: string, message: string) => issues.push({ severity: 'error', row, column, message });
  const bandFits = (i: number, technology: Technology, band: number | undefined) => {
    if (band !== undefined && !VIETNAM_BANDS_MHZ[technology].includes(band)) {
      fail(i, 'bandMhz', `band ${band} MHz does not exist for ${technology} in Vietnam; use ${VIETNAM_BANDS_MHZ[technology].join(', ')}`);
    }
  };
  changes.forEach((c, i) => {
    if (c.kind === 'add') {
      if (!ctx.operators.has(c.operator)) fail(i, 'operator', `unknown operator "${c.operator}"`);
      bandFits(i, c.technology, c.bandMhz);
      if (!ctx.locate(c.lon, c.lat)) fail(i, 'lon', `position ${c.lon}, ${c.lat} is outside every commune`);
      return;
    }
    const station = ctx.stations.get(c.stationId);
    if (!station) return void fail(i, 'stationId', `no station ${c.stationId} on air`);
    if (c.kind === 'upgrade') {
      bandFits(i, c.technology, c.bandMhz);
      if (station.technologies.has(c.technology)) fail(i, 'technology', `station ${c.stationId} already has ${c.technology} on air`);
    } else if (c.technology && !station.technologies.has(c.technology)) {
      fail(i, 'technology', `station ${c.stationId} has no ${c.technology} radio on air`);
    }
  });
  return issues;
}

/**
 * Today's (or `asOf`'s) radios with the changes applied, in order. A change that no longer applies
 * on that date (its station is not on air, an upgrade already done) is skipped and listed.
 */
export function applyChanges(changes: readonly ScenarioChange[], ctx: ChangeContext): { rows: RadioRow[]; skipped: Array<{ index: number; reason: string }> } {
  const skipped: Array<{ index: number; reason: string }> = [];
  let radioId = -1;
  let stationId = -1;
  const off = new Set<string>();
  const added: RadioRow[] = [];
  changes.forEach((c, index) => {
    if (c.kind === 'add') {
      const code = ctx.locate(c.lon, c.lat);
      if (!code) return void skipped.push({ index, reason: 'outside every commune' });
      added.push(newSiteRow({ ...c, bandMhz: c.bandMhz ?? defaultBandFor(ctx.rows, c.operator, c.technology) }, code, stationId--, radioId--));
      return;
    }
    const station = ctx.stations.get(c.stationId);
    if (!station) return void skipped.push({ index, reason: `no station ${c.stationId} on air` });
    if (c.kind === 'off') {
      off.add(`${c.stationId}|${c.technology ?? '*'}`);
      return;
    }
    if (station.technologies.has(c.technology)) return void skipped.push({ index, reason: `station ${c.stationId} already has ${c.technology}` });
    added.push(...upgradeRows(station, c.technology, c.bandMhz ?? defaultBandFor(ctx.rows, station.operator, c.technology), c.heightM ?? null, () => radioId--));
  });
  const isOff = (r: RadioRow) => off.has(`${r.stationId}|*`) || off.has(`${r.stationId}|${r.technology}`);
  return { rows: [...ctx.rows.filter((r) => !isOff(r)), ...added.filter((r) => !isOff(r))], skipped };
}
