import { NotFoundError, ValidationError } from '../errors';
import { lastKeyCache } from '../db/versioned-cache';
import {
  ALL_OPERATORS,
  computeCommuneCoverage,
  footprintPolygon,
  provinceRollup,
  type CoverageFigure,
  type Technology,
} from './engine/index';
import type { CoverageRepo } from './coverage.repo';
import { MODEL_VERSION, createRadiusResolver, toEngineRadios, type EngineRadio } from './coverage.model';
import { bboxOf, changedRadios, communeIndex, knownOperators, radioState, radiosReaching, replaceStations, sameKnown, type RadioState } from './radio-state';
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

export interface CoverageHooks {
  /** Runs after a recompute stored its figures (history snapshots); its failure fails the job, not the run. */
  afterRecompute?: (result: RecomputeResult) => Promise<unknown>;
}

/** Coverage figures: stored for today, computed on demand for another date. */
export function createCoverageService(repo: CoverageRepo, hooks: CoverageHooks = {}) {
  // Communes (with their geometries and an index of their boxes) are loaded once per version of
  // the table and shared: concurrent requests wait for the same load rather than each starting one.
  const communesCache = lastKeyCache(async (stamp: string) => {
    const list = await repo.communes();
    return { stamp, list, byCode: new Map(list.map((c) => [c.code, c])), index: communeIndex(list) };
  });
  const communes = async () => communesCache(await repo.communesStamp());
  type Communes = Awaited<ReturnType<typeof communes>>;
  // Today's stored figures with their run, kept until any dataset changes (one small query per
  // read instead of four): the coverage endpoints are the API's busiest.
  const storedCache = lastKeyCache(async () => {
    const [last, figures, c] = await Promise.all([repo.lastRunWithStaleness(), repo.figures({}), communes()]);
    const byCommune = new Map<string, CoverageFigure[]>();
    for (const f of figures as CoverageFigure[]) {
      const list = byCommune.get(f.communeCode);
      if (list) list.push(f);
      else byCommune.set(f.communeCode, [f]);
    }
    return { last, figures: figures as CoverageFigure[], byCommune, communes: c };
  });

  const radiusOf = createRadiusResolver();

  async function readState(asOf: string, c: Communes): Promise<RadioState> {
    const snap = await repo.radiosSnapshot(asOf);
    return radioState({ asOf, communesStamp: c.stamp, version: snap.version, radios: toEngineRadios(snap.radios, c.byCode, radiusOf), known: knownOperators(snap.known) });
  }
  // The radios of one (date, communes, data version) as last read, shared by concurrent callers.
  const reads = lastKeyCache(async (key: string) => readState(key.split('|')[0], await communes()));

  // The radios today's stored figures were computed from (or will be, by the runs already asked
  // for): kept between runs, moved on by each write (affectedCommunes) and by full runs. Null when
  // not known: at start until a consistent run is seen, and after a failed run. Changed one caller
  // at a time.
  let baseline: RadioState | null = null;
  const exclusive = serialised();
  const isFor = (s: RadioState | null, asOf: string, stamp: string): s is RadioState => !!s && s.asOf === asOf && s.communesStamp === stamp;

  /** The radios on air on `asOf` now: the baseline when it is up to date, else read (and kept). */
  async function stateOn(asOf: string): Promise<RadioState> {
    const [c, version] = await Promise.all([communes(), repo.radiosVersion()]);
    if (isFor(baseline, asOf, c.stamp) && String(baseline.version) === version) return baseline;
    const state = await reads(`${asOf}|${c.stamp}|${version}`);
    if (asOf === today() && !isFor(baseline, asOf, c.stamp)) await exclusive(() => adoptIfStored(state));
    return state;
  }

  /** Takes a state as the baseline when the stored figures are known to be computed from it. */
  async function adoptIfStored(state: RadioState) {
    if (isFor(baseline, state.asOf, state.communesStamp)) return;
    const run = await repo.lastRunIfConsistent();
    if (run && run.asOf === state.asOf && run.modelVersion === MODEL_VERSION && run.inputsDigest === state.digest()) baseline = state;
  }

  function computeFor(state: RadioState, c: Communes, options: { codes?: readonly string[]; technology?: Technology } = {}) {
    const wanted = options.codes ? new Set(options.codes) : null;
    const scope = wanted ? c.list.filter((x) => wanted.has(x.code)) : c.list;
    // The groups come from `known`, not from the radios: leaving far radios out changes no row.
    return computeCommuneCoverage(
      scope.map((x) => ({ code: x.code, population: x.population, geometry: x.geometry })),
      wanted ? radiosReaching(scope, state.radios) : state.radios,
      { operators: state.known, ...(options.technology ? { technologies: [options.technology] } : {}) },
    );
  }

  const indexes = new WeakMap<RadioState, RadioIndex>();
  async function radiosOn(asOf: string): Promise<RadioIndex> {
    const state = await stateOn(asOf);
    let index = indexes.get(state);
    if (!index) indexes.set(state, (index = indexRadios(state.radios)));
    return index;
  }

  return {
    /** Recomputes the figures of today for every commune, or only `codes`, and stores them. */
    async recompute(
      options: { codes?: readonly string[]; trigger: string; importId?: number | null },
      onProgress: (p: RecomputeProgress) => void = () => {},
    ): Promise<RecomputeResult> {
      const started = Date.now();
      const asOf = today();
      const c = await communes();
      const codes = options.codes ? [...new Set(options.codes)] : c.list.map((x) => x.code);
      const asked = new Set(codes);
      // A run asked for communes that are every commune is labelled so, but is as good as a full one.
      const everyCommune = codes.length === c.list.length && c.list.every((x) => asked.has(x.code));
      const scope = options.codes ? 'communes' : 'full';
      const runId = await repo.startRun({ asOf, modelVersion: MODEL_VERSION, scope, trigger: options.trigger, importId: options.importId ?? null });
      let result: RecomputeResult;
      try {
        onProgress({ phase: 'loading', percent: 5 });
        const state = await stateOn(asOf);
        onProgress({ phase: 'computing', percent: 20 });
        const figures = computeFor(state, c, { codes: everyCommune ? undefined : codes });
        onProgress({ phase: 'saving', percent: 85 });
        const durationMs = Date.now() - started;
        await repo.saveRun(runId, codes, figures, { inputsDigest: state.digest(), radios: state.radios.length, durationMs });
        result = { runId, scope, communes: codes.length, radios: state.radios.length, durationMs, inputsDigest: state.digest() };
        // Every figure now comes from this state: unless the baseline has moved past it, it is one.
        if (everyCommune && state.communesStamp === c.stamp) {
          await exclusive(async () => {
            if (!isFor(baseline, asOf, c.stamp) || baseline.version <= state.version) baseline = state;
          });
        }
      } catch (err) {
        // Some figures the baseline counts on may not be stored: trust it no more.
        await exclusive(async () => { baseline = null; });
        await repo.failRun(runId).catch(() => {});
        throw err;
      }
      await hooks.afterRecompute?.(result);
      onProgress({ phase: 'done', percent: 100 });
      return result;
    },

    /**
     * Communes whose figures of today a write touching these stations can change: those whose box
     * meets the footprint box of one of these stations' radios before or after the write. Every
     * commune when the radios before the write are not known (the first write after a start, unless
     * `warm` or a read found the stored figures consistent; a new day; new communes), or when an
     * operator got its first radio of a technology (a new group in every commune). Call it once
     * per write, after it commits; the communes it returns must then be recomputed.
     */
    affectedCommunes: (stationIds: readonly number[]) => exclusive(async (): Promise<string[]> => {
      if (stationIds.length === 0) return [];
      const asOf = today();
      const c = await communes();
      const every = c.list.map((x) => x.code);
      const base = baseline;
      if (!isFor(base, asOf, c.stamp)) return every;
      const fresh = await repo.radiosSnapshot(asOf, stationIds);
      const ids = new Set(stationIds);
      const freshRadios = toEngineRadios(fresh.radios, c.byCode, radiusOf);
      const own = changedRadios(base.radios.filter((r) => ids.has(r.stationId)), freshRadios);
      let next: RadioState;
      let changed: EngineRadio[];
      // A baseline of version v holds every write up to v. One write more, and these stations
      // differ from the baseline: that write is this one, and the only one it lacks.
      if (fresh.version === base.version || (fresh.version === base.version + 1 && own.length > 0)) {
        changed = own;
        next = replaceStations(base, ids, freshRadios, { version: fresh.version, known: knownOperators(fresh.known, base.known) });
      } else if (fresh.version > base.version) {
        // Other writes too (another process, or ones whose call is still to come), or this one
        // changed no footprint: compare every radio.
        next = await readState(asOf, c);
        changed = changedRadios(base.radios, next.radios);
      } else {
        baseline = null; // the data went back (a restored database)
        return every;
      }
      baseline = next;
      return sameKnown(base.known, next.known) ? c.index.reachedBy(changed) : every;
    }),

    /**
     * Reads today's radios ahead of a write and keeps them when the stored figures were computed
     * from them, so that the write's affectedCommunes can be incremental.
     */
    warm: async () => { await stateOn(today()); },

    /** Figures of every commune (optionally one technology/operator), stored or for `asOf`. */
    async figures(filter: { commune?: string; technology?: Technology; operator?: string; asOf?: string }) {
      if (!filter.asOf || filter.asOf === today()) {
        const s = await storedCache(`${today()}|${await repo.dataVersions()}`);
        if (filter.commune && !s.communes.byCode.has(filter.commune)) throw new NotFoundError(`no commune with code ${filter.commune}`);
        // Unfiltered, the cached array itself: the same object until the data change (routes key answers by it).
        const all = filter.commune ? (s.byCommune.get(filter.commune) ?? []) : s.figures;
        const stored = filter.technology || filter.operator
          ? all.filter((f) => (!filter.technology || f.technology === filter.technology) && (!filter.operator || f.operator === filter.operator))
          : all;
        if (s.last && stored.length) {
          return { computedAt: s.last.finishedAt, asOf: s.last.asOf, modelVersion: s.last.modelVersion, stale: s.last.stale, figures: stored };
        }
      } else if (filter.commune && !(await communes()).byCode.has(filter.commune)) {
        throw new NotFoundError(`no commune with code ${filter.commune}`);
      }
      const asOf = filter.asOf ?? today();
      // Every operator known for a technology gets its rows, 0 % on a date it had no radio on air.
      const figures = computeFor(await stateOn(asOf), await communes(), { codes: filter.commune ? [filter.commune] : undefined, technology: filter.technology });
      const chosen = figures.filter((f) => !filter.operator || f.operator === filter.operator);
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
    /** True when figures are stored and no station, radio or commune changed since their run began. */
    async storedIsCurrent() {
      const last = await repo.lastRun();
      return last !== null && !(await repo.isStale(last.startedAt));
    },
    run: (id: number) => repo.run(id),
  };
}

export type CoverageService = ReturnType<typeof createCoverageService>;

/** Runs the functions given to it one after another, in call order. */
function serialised() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const run = tail.then(fn);
    tail = run.catch(() => {});
    return run;
  };
}
