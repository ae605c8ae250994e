/**
 * The one door scenarios and plans go through to the coverage model: the communes, the radios on
 * air, how a station becomes an engine radio (with its terrain footprint when heights are
 * configured), and the engine itself. Implemented here with the engine, repository and radio model
 * of the official figures; re-wiring scenarios and plans to another engine means changing this
 * file only.
 *
 * `EvaluationModel` is the pure half (no I/O): a plan's worker thread builds its own from the data
 * it is given, since a worker cannot share the embedded database.
 */
import type { Knex } from 'knex';
import { computeCommuneCoverage, gridDensityAt, populationWeight, provinceRollup, type CoverageFigure, type FootprintStrips, type ProvinceFigure, type Technology } from '../coverage/engine/index';
import { FLAT_GROUND, loadPopulation, loadTerrain, type CoverageInputs, type TerrainModel } from '../coverage/coverage.inputs';
import { createCoverageReads, type CoverageReads } from '../coverage/coverage.reads';
import { createCoverageRepo, type ActiveRadio, type CommuneForCoverage } from '../coverage/coverage.repo';
import { modelVersion, createRadiusResolver, toEngineRadios, type EngineRadio, type FootprintOf } from '../coverage/coverage.model';
import { createFootprintCache, type FootprintCache, type FootprintRequest } from '../coverage/footprints';
import { knownOperators, radiosReaching, type KnownOperators } from '../coverage/radio-state';
import { lastKeyCache } from '../db/versioned-cache';

export type EvaluatorCommune = CommuneForCoverage;
/** A radio row as the stations tables give it (position, height, band, sector, commune). */
export type RadioRow = ActiveRadio;
export type { EngineRadio, KnownOperators };

/** Which population spread the figures assume; every scenario and plan answer names it. */
export interface PopulationModel {
  id: 'even-spread' | string;
  description: string;
}

export const EVEN_SPREAD: PopulationModel = Object.freeze({
  id: 'even-spread',
  description: "each commune's population spread evenly over its area (no finer population layer is used)",
});

/** The population grid the evaluator spreads people by, as coverage.inputs.ts loads it; null: even spread. */
export type EvaluatorPopulation = CoverageInputs['population'];
/** The heights that shape footprints, as coverage.inputs.ts loads them; null: flat ground. */
export type EvaluatorTerrain = CoverageInputs['terrain'];

/** People per km² at a point of a commune. */
export type DensityFunction = (communeCode: string, lon: number, lat: number) => number;

export interface EngineRadioOptions {
  /** Terrain footprints already known, by radio id (a plan's worker is given those of the radios on air): used as they are. */
  strips?: ReadonlyMap<number, FootprintStrips | null>;
  /** The flat disc or wedge only, no terrain footprint (a probe of the radius). */
  flat?: boolean;
}

export interface EvaluationModel {
  modelVersion: string;
  populationModel(): PopulationModel;
  /** The heights footprints are shaped by, as the official answers name them (flat ground: none). */
  terrainModel(): TerrainModel;
  /** People per km² at a point of a commune: its population over its area today (even spread). */
  densityFor(communes: readonly EvaluatorCommune[]): DensityFunction;
  /**
   * Station rows → engine radios, with the footprint of the real stations' model: the radius, and
   * over terrain the footprint's strips (computed on this thread when not cached).
   */
  toEngineRadios(rows: readonly RadioRow[], communes: ReadonlyMap<string, EvaluatorCommune>, options?: EngineRadioOptions): EngineRadio[];
  /**
   * The engine's figures of these communes. Only the radios that can reach them are looked at,
   * and `operators` fixes the rows emitted, so a subset of communes gives the same rows as a full run.
   */
  compute(communes: readonly EvaluatorCommune[], radios: readonly EngineRadio[], options?: { operators?: KnownOperators; technologies?: Technology[] }): CoverageFigure[];
  rollup(figures: readonly CoverageFigure[]): ProvinceFigure[];
}

export interface RadiosOnAir {
  /** `data_versions.stations` of the read: keys caches of baseline figures. */
  version: number;
  radios: RadioRow[];
  known: KnownOperators;
}

/** Where a plan's worker thread finds the model's data itself (it shares no memory). */
export interface ModelSources {
  populationRaster: string | null;
  /** The SRTM folder and the digest of its tiles as this process read them; null: flat ground. */
  terrain: { dir: string; sha256: string } | null;
}

export interface CoverageEvaluator extends EvaluationModel {
  /** The raster the population grid came from (a plan's worker reads it itself), or null. */
  populationRaster: string | null;
  sources: ModelSources;
  /** `toEngineRadios`, the missing terrain footprints of a large batch computed in worker threads first. */
  engineRadios(rows: readonly RadioRow[], communes: ReadonlyMap<string, EvaluatorCommune>): Promise<EngineRadio[]>;
  communes(): Promise<EvaluatorCommune[]>;
  /** A cheap stamp of the commune table. */
  communesStamp(): Promise<string>;
  radiosOn(asOf: string): Promise<RadiosOnAir>;
  radiosVersion(): Promise<string>;
}

export interface EvaluatorInputs {
  population?: EvaluatorPopulation;
  terrain?: EvaluatorTerrain;
  /**
   * The footprint cache over these heights that the official figures use (services.ts shares the
   * coverage service's, so no footprint is computed twice in a process); else one of its own.
   */
  footprints?: FootprintCache | null;
}

/**
 * The model of the official figures: the population grid when one is configured (dasymetric
 * density: a commune's people over its grid weight, times the grid's density there) and the
 * terrain footprints when heights are, with the same model version as the coverage service.
 */
function buildModel(inputs: EvaluatorInputs) {
  const population = inputs.population ?? null;
  const terrain = inputs.terrain ?? null;
  const radiusOf = createRadiusResolver();
  const grid = population?.grid ?? null;
  const footprints = terrain ? (inputs.footprints ?? createFootprintCache(terrain.heights)) : null;
  const footprintOf = (given?: ReadonlyMap<number, FootprintStrips | null>): FootprintOf | null => {
    if (!footprints) return given ? (radio) => given.get(radio.radioId) ?? null : null;
    return given ? (radio, site) => (given.has(radio.radioId) ? given.get(radio.radioId)! : footprints.footprintOf(radio, site)) : footprints.footprintOf;
  };
  const model: EvaluationModel = {
    modelVersion: modelVersion({ populationSha256: population?.model.sha256 ?? null, terrainSha256: terrain?.heights.sha256 ?? null }),
    populationModel: () => (population
      ? { id: population.model.id, description: `${population.model.name}, dasymetric; ${population.model.attribution ?? population.model.source}` }
      : EVEN_SPREAD),
    terrainModel: () => terrain?.model ?? FLAT_GROUND,
    densityFor(communes) {
      const even = new Map(communes.map((c) => [c.code, c.areaKm2 > 0 ? c.population / c.areaKm2 : 0]));
      if (!grid) return (code) => even.get(code) ?? 0;
      const scale = new Map(communes.map((c) => {
        const w = populationWeight(c.geometry, grid);
        return [c.code, w > 0 ? c.population / w : null] as const;
      }));
      return (code, lon, lat) => {
        const k = scale.get(code);
        return k == null ? (even.get(code) ?? 0) : k * gridDensityAt(grid, lon, lat);
      };
    },
    toEngineRadios: (rows, communes, options = {}) =>
      toEngineRadios(rows, communes as ReadonlyMap<string, CommuneForCoverage>, radiusOf, options.flat ? null : footprintOf(options.strips)),
    compute(communes, radios, options = {}) {
      const reaching = radiosReaching(communes, radios);
      return computeCommuneCoverage(
        communes.map((c) => ({ code: c.code, population: c.population, geometry: c.geometry })),
        reaching,
        { population: grid, ...(options.operators ? { operators: options.operators } : {}), ...(options.technologies ? { technologies: options.technologies } : {}) },
      );
    },
    rollup: (figures) => provinceRollup(figures as CoverageFigure[]),
  };
  async function engineRadios(rows: readonly RadioRow[], communes: ReadonlyMap<string, EvaluatorCommune>): Promise<EngineRadio[]> {
    if (!footprints) return model.toEngineRadios(rows, communes);
    // As the coverage service reads radios: the missing footprints of a cold batch in worker threads.
    const wanted: FootprintRequest[] = [];
    const radios = toEngineRadios(rows, communes as ReadonlyMap<string, CommuneForCoverage>, radiusOf, (radio, site) => { wanted.push({ radio, site }); return null; });
    await footprints.prepare(wanted);
    for (const { radio, site } of wanted) radio.strips = footprints.footprintOf(radio, site);
    return radios;
  }
  return { model, engineRadios };
}

/** The pure half (see buildModel). */
export function createEvaluationModel(inputs: EvaluatorInputs = {}): EvaluationModel {
  return buildModel(inputs).model;
}

export function createCoverageEvaluator(knex: Knex, inputs: EvaluatorInputs & { populationRaster?: string | null; reads?: CoverageReads } = {}): CoverageEvaluator {
  const repo = createCoverageRepo(knex);
  const { model, engineRadios } = buildModel(inputs);
  // Read once per version, and by services.ts shared with the official figures (coverage.reads.ts):
  // on the embedded engine a read of every geometry or radio holds the event loop (PGlite runs in
  // this thread), and on either a plan's start would otherwise read them all again.
  const reads = inputs.reads ?? createCoverageReads(repo);
  const radios = lastKeyCache(async (key: string): Promise<RadiosOnAir> => {
    const [asOf, version] = key.split('|');
    const snap = await reads.radiosSnapshot(asOf, version);
    return { version: snap.version, radios: snap.radios, known: knownOperators(snap.known) };
  });
  const populationRaster = inputs.population ? (inputs.populationRaster ?? null) : null;
  const heights = inputs.terrain?.heights;
  return {
    ...model,
    populationRaster,
    sources: { populationRaster, terrain: heights?.dir ? { dir: heights.dir, sha256: heights.sha256 } : null },
    engineRadios,
    communes: async () => reads.communes(await repo.communesStamp()),
    communesStamp: () => repo.communesStamp(),
    radiosOn: async (asOf) => radios(`${asOf}|${await repo.radiosVersion()}`),
    radiosVersion: () => repo.radiosVersion(),
  };
}

/**
 * The evaluation model a worker thread builds from the files' paths: the population raster, and
 * the SRTM folder (checked against the digest the main thread read, so both use the same heights).
 */
export async function evaluationModelFrom(sources: ModelSources): Promise<EvaluationModel> {
  const [population, terrain] = await Promise.all([
    sources.populationRaster ? loadPopulation(sources.populationRaster) : null,
    sources.terrain ? loadTerrain(sources.terrain.dir) : null,
  ]);
  if (sources.terrain && terrain?.heights.sha256 !== sources.terrain.sha256) {
    throw new Error(`terrain folder ${sources.terrain.dir} changed since the service read it`);
  }
  return createEvaluationModel({ population, terrain });
}
