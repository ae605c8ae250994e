import Flatbush from 'flatbush';
import { NotFoundError, ValidationError } from '../errors';
import {
  ALL_OPERATORS,
  computeCommuneCoverage,
  footprintPolygon,
  provinceRollup,
  radioSector,
  type CoverageFigure,
  type Technology,
} from './engine/index';
import type { CommuneForCoverage, CoverageRepo } from './coverage.repo';
import { MAX_FOOTPRINT_RADIUS_M, MODEL_VERSION, inputsDigest, toEngineRadios } from './coverage.model';

export interface RecomputeProgress {
  phase: 'loading' | 'computing' | 'saving' | 'done';
  percent: number;
}

export interface RecomputeResult {
  runId: number;
  scope: 'full' | 'communes';
  communes: number;
  radios: number;
  durationMs: number;
  inputsDigest: string;
}

const today = () => new Date().toISOString().slice(0, 10);

export interface CoverageHooks {
  /** Runs after a recompute stored its figures (history snapshots); its failure fails the job, not the run. */
  afterRecompute?: (result: RecomputeResult) => Promise<unknown>;
}

/** Coverage figures: stored for today, computed on demand for another date. */
export function createCoverageService(repo: CoverageRepo, hooks: CoverageHooks = {}) {
  // Communes (with their geometries) and today's radios are loaded once per version of the data
  // and shared: concurrent requests wait for the same load rather than each starting one.
  const communesCache = singleFlight(async (stamp: string) => {
    const list = await repo.communes();
    return { stamp, list, byCode: new Map(list.map((c) => [c.code, c])) };
  });
  const communes = async () => communesCache(await repo.communesStamp());

  // The radios on air on one date (normally today) with their radii and an index of their
  // footprints' bboxes, kept until a station or radio changes: point lookups, gaps and layers
  // then read no radio rows at all.
  const radiosCache = singleFlight(async (key: string) => {
    const [asOf] = key.split('|');
    const c = await communes();
    return indexRadios(toEngineRadios(await repo.activeRadios(asOf), c.byCode));
  });
  const radiosOn = async (asOf: string) => radiosCache(`${asOf}|${await repo.communesStamp()}|${await repo.radiosVersion()}`);

  async function compute(asOf: string, codes?: readonly string[]) {
    const c = await communes();
    const radios = toEngineRadios(await repo.activeRadios(asOf), c.byCode);
    const scope = codes ? c.list.filter((x) => codes.includes(x.code)) : c.list;
    const figures = computeCommuneCoverage(scope.map((x) => ({ code: x.code, population: x.population, geometry: x.geometry })), radios);
    return { figures, radios, stamp: c.stamp, communes: scope };
  }

  return {
    /** Recomputes the figures of today for every commune, or only `codes`, and stores them. */
    async recompute(
      options: { codes?: readonly string[]; trigger: string; importId?: number | null },
      onProgress: (p: RecomputeProgress) => void = () => {},
    ): Promise<RecomputeResult> {
      const started = Date.now();
      const asOf = today();
      const scope = options.codes ? 'communes' : 'full';
      const runId = await repo.startRun({ asOf, modelVersion: MODEL_VERSION, scope, trigger: options.trigger, importId: options.importId ?? null });
      let result: RecomputeResult;
      try {
        onProgress({ phase: 'loading', percent: 5 });
        const c = await communes();
        const codes = options.codes ?? c.list.map((x) => x.code);
        onProgress({ phase: 'computing', percent: 20 });
        const { figures, radios, stamp } = await compute(asOf, codes);
        onProgress({ phase: 'saving', percent: 85 });
        const digest = inputsDigest(stamp, asOf, radios);
        const durationMs = Date.now() - started;
        await repo.saveRun(runId, codes, figures, { inputsDigest: digest, radios: radios.length, durationMs });
        result = { runId, scope, communes: codes.length, radios: radios.length, durationMs, inputsDigest: digest };
      } catch (err) {
        await repo.failRun(runId).catch(() => {});
        throw err;
      }
      await hooks.afterRecompute?.(result);
      onProgress({ phase: 'done', percent: 100 });
      return result;
    },

    /** Communes whose figures an import touching these stations can change. */
    affectedCommunes: (stationIds: readonly number[]) => repo.communesNearStations(stationIds, MAX_FOOTPRINT_RADIUS_M),

    /** Figures of every commune (optionally one technology/operator), stored or for `asOf`. */
    async figures(filter: { commune?: string; technology?: Technology; operator?: string; asOf?: string }) {
      if (filter.commune && !(await communes()).byCode.has(filter.commune)) throw new NotFoundError(`no commune with code ${filter.commune}`);
      if (!filter.asOf || filter.asOf === today()) {
        const [last, stored] = await Promise.all([repo.lastRunWithStaleness(), repo.figures(filter)]);
        if (last && stored.length) {
          return { computedAt: last.finishedAt, asOf: last.asOf, modelVersion: last.modelVersion, stale: last.stale, figures: stored as CoverageFigure[] };
        }
      }
      const asOf = filter.asOf ?? today();
      const { figures } = await compute(asOf, filter.commune ? [filter.commune] : undefined);
      const chosen = figures.filter((f) => (!filter.technology || f.technology === filter.technology) && (!filter.operator || f.operator === filter.operator));
      return { computedAt: new Date(), asOf, modelVersion: MODEL_VERSION, stale: false, figures: chosen };
    },

    rollup: (figures: CoverageFigure[]) => provinceRollup(figures),

    communeName: async (code: string) => (await communes()).byCode.get(code)?.name ?? null,

    /** Which technologies and operators cover a point on `asOf`, with the nearest station of each. */
    async point(lon: number, lat: number, asOf = today()) {
      const radios = (await radiosOn(asOf)).near([lon, lat, lon, lat]);
      const best = new Map<string, { technology: Technology; operator: string; stationId: number; siteCode: string; distanceM: number; radiusM: number }>();
      for (const r of radios) {
        const d = distanceM(lon, lat, r.lon, r.lat);
        if (d > r.radiusM || !inSector(r, lon, lat)) continue;
        const key = `${r.technology}|${r.operator}`;
        const prev = best.get(key);
        if (!prev || d < prev.distanceM) best.set(key, { technology: r.technology, operator: r.operator, stationId: r.stationId, siteCode: r.siteCode, distanceM: Math.round(d), radiusM: Math.round(r.radiusM) });
      }
      const covered = [...best.values()].sort((a, b) => a.technology.localeCompare(b.technology) || a.operator.localeCompare(b.operator));
      const technologies = [...new Set(covered.map((x) => x.technology))];
      return { lon, lat, asOf, technologies, covered };
    },

    /** The part of a commune no footprint reaches, for one technology (and operator). */
    async gaps(code: string, technology: Technology, operator: string = ALL_OPERATORS, asOf = today()) {
      const c = await communes();
      const commune = c.byCode.get(code);
      if (!commune) throw new NotFoundError(`no commune with code ${code}`);
      const radios = (await radiosOn(asOf)).near(bboxOf(commune.geometry))
        .filter((r) => r.technology === technology && (operator === ALL_OPERATORS || r.operator === operator) && r.radiusM > 0);
      const result = await repo.uncovered(code, radios.map((r) => footprintPolygon(r)));
      if (!result) throw new NotFoundError(`no commune with code ${code}`);
      return { code, name: commune.name, technology, operator, asOf, uncoveredKm2: result.areaKm2, areaKm2: commune.areaKm2, geometry: result.geometry };
    },

    /** Footprint union of a technology (and operator) within a bbox, for the map. */
    async layer(bbox: [number, number, number, number], technology: Technology, operator: string = ALL_OPERATORS, asOf = today()) {
      const areaDeg2 = (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]);
      if (areaDeg2 > 4) throw new ValidationError('bbox too large for the coverage layer: at most 4 square degrees');
      const radios = (await radiosOn(asOf)).near(bbox)
        .filter((r) => r.technology === technology && (operator === ALL_OPERATORS || r.operator === operator) && r.radiusM > 0);
      return { technology, operator, asOf, radios: radios.length, geometry: await repo.union(radios.map((r) => footprintPolygon(r, { steps: 32 })), bbox) };
    },

    lastRun: () => repo.lastRun(),
    run: (id: number) => repo.run(id),
  };
}

export type CoverageService = ReturnType<typeof createCoverageService>;

/** Caches the value of the last key; callers asking for that key while it loads share the load. */
function singleFlight<T>(load: (key: string) => Promise<T>): (key: string) => Promise<T> {
  let last: { key: string; value: Promise<T> } | null = null;
  return (key) => {
    if (!last || last.key !== key) {
      const value = load(key);
      last = { key, value };
      value.catch(() => { if (last?.value === value) last = null; });
    }
    return last.value;
  };
}

const EARTH_RADIUS_M = 6_371_008.8;
const M_PER_DEG_LAT = 111_320;

type EngineRadio = ReturnType<typeof toEngineRadios>[number];

/** A Flatbush index of the radios' footprint bboxes (degrees, a little generous in longitude). */
function indexRadios(radios: EngineRadio[]) {
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
    /** Radios whose footprint bbox meets the given bbox [minLon, minLat, maxLon, maxLat]. */
    near: ([minX, minY, maxX, maxY]: [number, number, number, number]) => (radios.length ? index.search(minX, minY, maxX, maxY).map((i) => radios[i]) : []),
  };
}

function distanceM(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const toRad = Math.PI / 180;
  const dLat = (lat2 - lat1) * toRad;
  const dLon = (lon2 - lon1) * toRad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.sqrt(a));
}

function inSector(r: { lon: number; lat: number; azimuthDeg?: number | null; beamwidthDeg?: number | null }, lon: number, lat: number): boolean {
  const sector = radioSector({ ...r, radiusM: 1 });
  if (!sector) return true;
  const toRad = Math.PI / 180;
  const y = Math.sin((lon - r.lon) * toRad) * Math.cos(lat * toRad);
  const x = Math.cos(r.lat * toRad) * Math.sin(lat * toRad) - Math.sin(r.lat * toRad) * Math.cos(lat * toRad) * Math.cos((lon - r.lon) * toRad);
  const bearing = (Math.atan2(y, x) / toRad + 360) % 360;
  const diff = Math.abs(((bearing - sector.azimuthDeg + 540) % 360) - 180);
  return diff <= sector.beamwidthDeg / 2;
}

function bboxOf(g: GeoJSON.MultiPolygon): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of g.coordinates) for (const [x, y] of poly[0]) {
    if (x < minX) minX = x;
    if (y < minY) minY = y;
    if (x > maxX) maxX = x;
    if (y > maxY) maxY = y;
  }
  return [minX, minY, maxX, maxY];
}
