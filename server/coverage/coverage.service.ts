import { NotFoundError, ValidationError } from '../errors';
import { lastKeyCache } from '../db/versioned-cache';
import {
  ALL_OPERATORS,
  coverageComputation,
  footprintPolygon,
  knownTerrainShare,
  provinceRollup,
  stripsContain,
  type CoverageFigure,
  type Technology,
} from './engine/index';
import type { CoverageRepo } from './coverage.repo';
import { createRadiusResolver, modelVersion, toEngineRadios, type EngineRadio } from './coverage.model';
import { EVEN_SPREAD, FLAT_GROUND, NO_INPUTS, type CoverageInputs } from './coverage.inputs';
import { createCoverageReads, type CoverageReads } from './coverage.reads';
import { createFootprintCache, footprintPolygons, type FootprintCache, type FootprintRequest } from './footprints';
import { bboxOf, knownOperators, radioState, radiosReaching, type RadioState } from './radio-state';
import { distanceM, inSector, indexRadios, type RadioIndex } from './radio-index';

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

/** Radials joined into one drawn piece on the coverage layer (display only: 4° pieces of 2° radials). */
const LAYER_RADIALS_PER_PIECE = 2;
/** Longest stretch a recompute holds the event loop before letting other requests in, ms. */
const SLICE_MS = 20;

/**
 * What made stored figures stale: `everywhere` (a station or radio written since the run, or
 * another model), or communes imported since, by province. A station's change can reach any
 * commune within its range, so it makes every figure stale; a commune import only its province's.
 */
export interface Staleness {
  everywhere: boolean;
  provinces: readonly string[];
}
const NOT_STALE: Staleness = Object.freeze({ everywhere: false, provinces: Object.freeze([]) as readonly string[] });

/** Whether figures are stale for an answer about one province (null: the whole database). The one rule for every scoped answer. */
export function staleFor(figures: { stale: boolean; staleness: Staleness }, scope: string | null): boolean {
  if (scope === null) return figures.stale;
  return figures.staleness.everywhere || figures.staleness.provinces.includes(scope);
}

/** What the coverage service shares with the scenario evaluator (services.ts): one footprint cache, one read of the rows. */
export interface CoverageShared {
  footprints?: FootprintCache | null;
  reads?: CoverageReads;
}

export interface CoverageHooks {
  /** Runs after a recompute stored its figures (history snapshots); its failure fails the job, not the run. */
  afterRecompute?: (result: RecomputeResult) => Promise<unknown>;
}

/** A figure as the service answers it: the engine's, with the commune's share of known terrain. */
export type ServiceFigure = CoverageFigure & { terrainPct: number | null };

/**
 * Coverage figures: stored for today, computed on demand for another date. Every run computes
 * every commune it is asked for from the radios on air; the footprints of modelled radios over
 * terrain are kept between runs (footprints.ts), so a run after a write costs an engine sweep.
 * `sharedFootprints`: a cache over the same heights that others use too (services.ts hands the
 * scenarios' evaluator the same one); by default the service makes its own.
 */
export function createCoverageService(repo: CoverageRepo, hooks: CoverageHooks = {}, inputs: CoverageInputs = NO_INPUTS, shared: CoverageShared = {}) {
  const model = modelVersion({ populationSha256: inputs.population?.model.sha256 ?? null, terrainSha256: inputs.terrain?.heights.sha256 ?? null });
  const populationModel = inputs.population?.model ?? EVEN_SPREAD;
  const terrainModel = inputs.terrain?.model ?? FLAT_GROUND;
  const grid = inputs.population?.grid ?? null;
  const footprints = inputs.terrain ? (shared.footprints ?? createFootprintCache(inputs.terrain.heights)) : null;
  const modelReads = shared.reads ?? createCoverageReads(repo);
  const heightAt = inputs.terrain?.heights.heightAt ?? null;

  // Communes (with their geometries, and the share of each with known heights) are loaded once per
  // version of the table and shared: concurrent requests wait for the same load.
  const communesCache = lastKeyCache(async (stamp: string) => {
    const list = await modelReads.communes(stamp);
    const terrainPct = new Map(list.map((c) => [c.code, heightAt ? 100 * knownTerrainShare(c.geometry, heightAt) : null]));
    return { stamp, list, byCode: new Map(list.map((c) => [c.code, c])), terrainPct };
  });
  const communes = async () => communesCache(await repo.communesStamp());
  type Communes = Awaited<ReturnType<typeof communes>>;

  // Today's stored figures with their run, kept until any dataset changes.
  const storedCache = lastKeyCache(async () => {
    const [last, figures, c] = await Promise.all([repo.lastRunWithStaleness(), repo.figures({}), communes()]);
    const byCommune = new Map<string, ServiceFigure[]>();
    for (const f of figures) {
      const list = byCommune.get(f.communeCode);
      if (list) list.push(f);
      else byCommune.set(f.communeCode, [f]);
    }
    // Figures of another model (other defaults, another grid, other heights) are stale too.
    const lastRun = last ? {
      ...last, stale: last.stale || last.modelVersion !== model,
      staleness: { everywhere: (last.stationsChanged ?? last.stale) || last.modelVersion !== model, provinces: last.staleProvinces ?? [] },
    } : null;
    // Kept and shared by every reader until the data change: frozen, so a mutation fails loudly.
    for (const f of figures) Object.freeze(f);
    for (const list of byCommune.values()) Object.freeze(list);
    return { last: lastRun, figures: Object.freeze(figures) as unknown as ServiceFigure[], byCommune, communes: c };
  });

  const radiusOf = createRadiusResolver();

  async function readState(asOf: string, version: string, c: Communes): Promise<RadioState> {
    const snap = await modelReads.radiosSnapshot(asOf, version);
    // The radios first, their terrain footprints then: the missing ones in worker threads when
    // there are many (a cold start), every one looked up in the cache after that.
    const wanted: FootprintRequest[] = [];
    const radios = toEngineRadios(snap.radios, c.byCode, radiusOf, footprints ? (radio, site) => { wanted.push({ radio, site }); return null; } : null);
    if (footprints) {
      await footprints.prepare(wanted);
      for (const { radio, site } of wanted) radio.strips = footprints.footprintOf(radio, site);
    }
    // Today's full read decides which footprints stay cached.
    if (asOf === today()) footprints?.sweep();
    return radioState({ model, asOf, communesStamp: c.stamp, version: snap.version, radios, known: knownOperators(snap.known) });
  }
  // The radios of one (date, communes, data version) as last read, shared by concurrent callers.
  const reads = lastKeyCache(async (key: string) => {
    const [asOf, , version] = key.split('|');
    return readState(asOf, version, await communes());
  });
  async function stateOn(asOf: string): Promise<RadioState> {
    const [c, version] = await Promise.all([communes(), repo.radiosVersion()]);
    return reads(`${asOf}|${c.stamp}|${version}`);
  }

  /**
   * The engine's figures of these communes, commune by commune, giving the event loop back every
   * SLICE_MS: a whole-province sweep would otherwise hold every other request for its duration.
   */
  async function computeFor(state: RadioState, c: Communes, options: { codes?: readonly string[]; technology?: Technology } = {}): Promise<ServiceFigure[]> {
    const wanted = options.codes ? new Set(options.codes) : null;
    const scope = wanted ? c.list.filter((x) => wanted.has(x.code)) : c.list;
    // The groups come from `known`, not from the radios: leaving far radios out changes no row.
    const one = coverageComputation(wanted ? radiosReaching(scope, state.radios) : state.radios, {
      operators: state.known, population: grid, ...(options.technology ? { technologies: [options.technology] } : {}),
    });
    const figures: ServiceFigure[] = [];
    let sliceStart = performance.now();
    for (const x of scope) {
      const terrainPct = c.terrainPct.get(x.code) ?? null;
      for (const f of one({ code: x.code, population: x.population, geometry: x.geometry })) figures.push({ ...f, terrainPct });
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
    return figures;
  }

  const indexes = new WeakMap<RadioState, RadioIndex>();
  async function radiosOn(asOf: string): Promise<RadioIndex> {
    const state = await stateOn(asOf);
    let index = indexes.get(state);
    if (!index) indexes.set(state, (index = indexRadios(state.radios)));
    return index;
  }

  /** The polygons that draw a radio's footprint: its disc or wedge, or its terrain cells. */
  function polygonsOf(r: EngineRadio, radialsPerPiece: number, discSteps?: number): GeoJSON.Polygon[] {
    const detail = r.strips ? footprints?.detailOf(r.strips) : undefined;
    return detail ? footprintPolygons(r, detail, radialsPerPiece) : [footprintPolygon(r, discSteps ? { steps: discSteps } : {})];
  }

  return {
    /** The model version of the figures this service computes (stored runs of another are stale). */
    modelVersion: model,
    populationModel,
    terrainModel,

    /** Recomputes the figures of today for every commune, or only `codes`, and stores them. */
    async recompute(
      options: { codes?: readonly string[]; trigger: string; importId?: number | null },
      onProgress: (p: RecomputeProgress) => void = () => {},
    ): Promise<RecomputeResult> {
      const started = Date.now();
      const asOf = today();
      const c = await communes();
      const codes = options.codes ? [...new Set(options.codes)] : c.list.map((x) => x.code);
      const scope = options.codes ? 'communes' : 'full';
      const runId = await repo.startRun({ asOf, modelVersion: model, scope, trigger: options.trigger, importId: options.importId ?? null });
      let result: RecomputeResult;
      try {
        onProgress({ phase: 'loading', percent: 5 });
        const state = await stateOn(asOf);
        onProgress({ phase: 'computing', percent: 20 });
        const figures = await computeFor(state, c, { codes: options.codes ? codes : undefined });
        onProgress({ phase: 'saving', percent: 85 });
        const durationMs = Date.now() - started;
        await repo.saveRun(runId, codes, figures, { inputsDigest: state.digest(), radios: state.radios.length, durationMs });
        result = { runId, scope, communes: codes.length, radios: state.radios.length, durationMs, inputsDigest: state.digest() };
      } catch (err) {
        await repo.failRun(runId).catch(() => {});
        throw err;
      }
      await hooks.afterRecompute?.(result);
      onProgress({ phase: 'done', percent: 100 });
      return result;
    },

    /** Figures of every commune (optionally one technology/operator), stored or for `asOf`. */
    async figures(filter: { commune?: string; technology?: Technology; operator?: string; asOf?: string }) {
      const meta = { populationModel, terrainModel };
      if (!filter.asOf || filter.asOf === today()) {
        const s = await storedCache(`${today()}|${await repo.dataVersions()}`);
        if (filter.commune && !s.communes.byCode.has(filter.commune)) throw new NotFoundError(`no commune with code ${filter.commune}`);
        // Unfiltered, the cached array itself: the same object until the data change (routes key answers by it).
        const all = filter.commune ? (s.byCommune.get(filter.commune) ?? []) : s.figures;
        const stored = filter.technology || filter.operator
          ? all.filter((f) => (!filter.technology || f.technology === filter.technology) && (!filter.operator || f.operator === filter.operator))
          : all;
        if (s.last && stored.length) {
          return { computedAt: s.last.finishedAt, asOf: s.last.asOf, modelVersion: s.last.modelVersion, stale: s.last.stale, staleness: s.last.staleness, ...meta, figures: stored };
        }
      } else if (filter.commune && !(await communes()).byCode.has(filter.commune)) {
        throw new NotFoundError(`no commune with code ${filter.commune}`);
      }
      const asOf = filter.asOf ?? today();
      // Every operator known for a technology gets its rows, 0 % on a date it had no radio on air.
      const figures = await computeFor(await stateOn(asOf), await communes(), { codes: filter.commune ? [filter.commune] : undefined, technology: filter.technology });
      const chosen = figures.filter((f) => !filter.operator || f.operator === filter.operator);
      return { computedAt: new Date(), asOf, modelVersion: model, stale: false, staleness: NOT_STALE, ...meta, figures: chosen };
    },

    rollup: (figures: CoverageFigure[]) => provinceRollup(figures),

    communeName: async (code: string) => (await communes()).byCode.get(code)?.name ?? null,

    /** Which technologies and operators cover a point on `asOf`, with the nearest station of each. */
    async point(lon: number, lat: number, asOf = today()) {
      const radios = (await radiosOn(asOf)).near([lon, lat, lon, lat]);
      const best = new Map<string, { technology: Technology; operator: string; stationId: number; siteCode: string; distanceM: number; radiusM: number }>();
      for (const r of radios) {
        const d = distanceM(lon, lat, r.lon, r.lat);
        // The same footprints as the figures: a terrain one by its strips, else the disc or wedge.
        const inside = r.strips ? stripsContain(r.strips, lon, lat) : d <= r.radiusM && inSector(r, lon, lat);
        if (!inside) continue;
        const key = `${r.technology}|${r.operator}`;
        const prev = best.get(key);
        if (!prev || d < prev.distanceM) best.set(key, { technology: r.technology, operator: r.operator, stationId: r.stationId, siteCode: r.siteCode, distanceM: Math.round(d), radiusM: Math.round(r.radiusM) });
      }
      const covered = [...best.values()].sort((a, b) => a.technology.localeCompare(b.technology) || a.operator.localeCompare(b.operator));
      const technologies = [...new Set(covered.map((x) => x.technology))];
      return { lon, lat, asOf, technologies, covered, terrainModel };
    },

    /** The part of a commune no footprint reaches, for one technology (and operator). */
    async gaps(code: string, technology: Technology, operator: string = ALL_OPERATORS, asOf = today()) {
      const c = await communes();
      const commune = c.byCode.get(code);
      if (!commune) throw new NotFoundError(`no commune with code ${code}`);
      const radios = (await radiosOn(asOf)).near(bboxOf(commune.geometry))
        .filter((r) => r.technology === technology && (operator === ALL_OPERATORS || r.operator === operator) && r.radiusM > 0);
      const result = await repo.uncovered(code, radios.flatMap((r) => polygonsOf(r, 1)));
      if (!result) throw new NotFoundError(`no commune with code ${code}`);
      return { code, name: commune.name, technology, operator, asOf, uncoveredKm2: result.areaKm2, areaKm2: commune.areaKm2, geometry: result.geometry, terrainModel };
    },

    /** Footprint union of a technology (and operator) within a bbox, for the map. */
    async layer(bbox: [number, number, number, number], technology: Technology, operator: string = ALL_OPERATORS, asOf = today()) {
      const areaDeg2 = (bbox[2] - bbox[0]) * (bbox[3] - bbox[1]);
      if (areaDeg2 > 4) throw new ValidationError('bbox too large for the coverage layer: at most 4 square degrees');
      const radios = (await radiosOn(asOf)).near(bbox)
        .filter((r) => r.technology === technology && (operator === ALL_OPERATORS || r.operator === operator) && r.radiusM > 0);
      const polygons = radios.flatMap((r) => polygonsOf(r, LAYER_RADIALS_PER_PIECE, 32));
      return { technology, operator, asOf, radios: radios.length, geometry: await repo.union(polygons, bbox), terrainModel };
    },

    /** Footprints kept for terrain, and the time spent computing them (for the benchmarks). */
    footprintStats: () => ({ cached: footprints?.size() ?? 0, ...(footprints?.stats() ?? { computed: 0, computeMs: 0 }) }),
    /** Ends the footprint worker threads (they also end by themselves when idle). */
    close: async () => { await footprints?.close(); },

    lastRun: () => repo.lastRun(),
    /** True when figures are stored, of this model, and no station, radio or commune changed since their run began. */
    async storedIsCurrent() {
      const last = await repo.lastRun();
      return last !== null && last.modelVersion === model && !(await repo.isStale(last.startedAt));
    },
    run: (id: number) => repo.run(id),
  };
}

export type CoverageService = ReturnType<typeof createCoverageService>;
