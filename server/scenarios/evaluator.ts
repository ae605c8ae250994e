/**
 * The one door scenarios and plans go through to the coverage model: the communes, the radios on
 * air, how a station becomes an engine radio, and the engine itself. Implemented here with the
 * engine, repository and radio model as they are today; re-wiring scenarios and plans to another
 * engine (a population grid, terrain footprints) means changing this file only.
 *
 * `EvaluationModel` is the pure half (no I/O): a plan's worker thread builds its own from the data
 * it is given, since a worker cannot share the embedded database.
 */
import type { Knex } from 'knex';
import { computeCommuneCoverage, gridDensityAt, populationWeight, provinceRollup, type CoverageFigure, type ProvinceFigure, type Technology } from '../coverage/engine/index';
import { loadPopulation, type CoverageInputs } from '../coverage/coverage.inputs';
import { createCoverageRepo, type ActiveRadio, type CommuneForCoverage } from '../coverage/coverage.repo';
import { modelVersion, createRadiusResolver, toEngineRadios, type EngineRadio } from '../coverage/coverage.model';
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

/** People per km² at a point of a commune. */
export type DensityFunction = (communeCode: string, lon: number, lat: number) => number;

export interface EvaluationModel {
  modelVersion: string;
  populationModel(): PopulationModel;
  /** People per km² at a point of a commune: its population over its area today (even spread). */
  densityFor(communes: readonly EvaluatorCommune[]): DensityFunction;
  /** Station rows → engine radios, with the footprint radius of the real stations' model. */
  toEngineRadios(rows: readonly RadioRow[], communes: ReadonlyMap<string, EvaluatorCommune>): EngineRadio[];
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

export interface CoverageEvaluator extends EvaluationModel {
  /** The raster the population grid came from (a plan's worker reads it itself), or null. */
  populationRaster: string | null;
  communes(): Promise<EvaluatorCommune[]>;
  /** A cheap stamp of the commune table. */
  communesStamp(): Promise<string>;
  radiosOn(asOf: string): Promise<RadiosOnAir>;
  radiosVersion(): Promise<string>;
}

/**
 * The pure half, with the population grid of the official figures when one is configured
 * (dasymetric density: a commune's people over its grid weight, times the grid's density there).
 * Terrain does not shape scenario or plan footprints yet: they are the flat ones (README).
 */
export function createEvaluationModel(population: EvaluatorPopulation = null): EvaluationModel {
  const radiusOf = createRadiusResolver();
  const grid = population?.grid ?? null;
  return {
    modelVersion: modelVersion({ populationSha256: population?.model.sha256 ?? null, terrainSha256: null }),
    populationModel: () => (population
      ? { id: population.model.id, description: `${population.model.name}, dasymetric; ${population.model.attribution ?? population.model.source}` }
      : EVEN_SPREAD),
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
    toEngineRadios: (rows, communes) => toEngineRadios(rows, communes as ReadonlyMap<string, CommuneForCoverage>, radiusOf),
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
}

export function createCoverageEvaluator(knex: Knex, population: EvaluatorPopulation = null, populationRaster: string | null = null): CoverageEvaluator {
  const repo = createCoverageRepo(knex);
  // Kept until the data move: on the embedded engine a read of every geometry or radio holds the
  // event loop (PGlite runs in this thread), so each is read once per version.
  const communes = lastKeyCache(() => repo.communes());
  const radios = lastKeyCache(async (key: string): Promise<RadiosOnAir> => {
    const snap = await repo.radiosSnapshot(key.split('|')[0]);
    return { version: snap.version, radios: snap.radios, known: knownOperators(snap.known) };
  });
  return {
    ...createEvaluationModel(population),
    populationRaster: population ? populationRaster : null,
    communes: async () => communes(await repo.communesStamp()),
    communesStamp: () => repo.communesStamp(),
    radiosOn: async (asOf) => radios(`${asOf}|${await repo.radiosVersion()}`),
    radiosVersion: () => repo.radiosVersion(),
  };
}

/** The evaluation model a worker thread builds from the raster's path (it shares no memory). */
export async function evaluationModelFrom(populationRaster: string | null): Promise<EvaluationModel> {
  return createEvaluationModel(populationRaster ? await loadPopulation(populationRaster) : null);
}
