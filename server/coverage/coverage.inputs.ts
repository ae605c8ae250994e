/**
 * The data the coverage model reads besides stations and communes: the population grid that spreads
 * each commune's people, and the ground heights that shape footprints. Both are optional
 * (configuration), and both are named in every answer and in the model version.
 */
import { prepareGrid, type PreparedGrid } from './engine/index';
import type { Heights } from './footprints';
import { describePopulationRaster, readPopulationGrid } from '../population/population-raster';
import { heightSampler, openSrtmFolder } from '../terrain/srtm';

/** Which population model produced a figure: a grid (named, dated, credited) or the even spread. */
export interface PopulationModel {
  id: string;
  name: string;
  year: number | null;
  source: string;
  licence: string | null;
  /** Credit to show wherever figures derived from it are shown or exported. */
  attribution: string | null;
  /** SHA-256 of the grid's file; null for the even spread. */
  sha256: string | null;
}

/** Each commune's official population spread evenly over its area (no grid). */
export const EVEN_SPREAD: PopulationModel = Object.freeze({
  id: 'even-spread',
  name: "Each commune's official population spread evenly over its area",
  year: null,
  source: 'Official commune population published with the 2025 merger',
  licence: null,
  attribution: null,
  sha256: null,
});

/** Terrain as the answers describe it. */
export interface TerrainModel {
  id: 'flat' | 'srtm';
  /** The tiles used (standard SRTM names), empty for flat ground. */
  tiles: string[];
  sha256: string | null;
  source: string | null;
}

export const FLAT_GROUND: TerrainModel = Object.freeze({ id: 'flat', tiles: [], sha256: null, source: null });

export interface CoverageInputs {
  population: { grid: PreparedGrid; model: PopulationModel } | null;
  terrain: { heights: Heights; model: TerrainModel } | null;
}

export const NO_INPUTS: CoverageInputs = Object.freeze({ population: null, terrain: null });

/**
 * The inputs named by the configuration: the whole population raster (a window of it is what the
 * engine reads; Vietnam's 30″ grid is 1.6 million cells) and every SRTM tile of the terrain folder.
 * A path that is set but cannot be read stops the start with the reader's message.
 */
export async function loadCoverageInputs(config: { populationRaster: string | null; terrainDir: string | null }): Promise<CoverageInputs & { populationRaster: string | null }> {
  const [population, terrain] = await Promise.all([
    config.populationRaster ? loadPopulation(config.populationRaster) : null,
    config.terrainDir ? loadTerrain(config.terrainDir) : null,
  ]);
  return { population, terrain, populationRaster: population ? config.populationRaster : null };
}

/** The whole population raster as the engine's grid, with its description; null if it holds no cell. */
export async function loadPopulation(file: string): Promise<CoverageInputs['population']> {
  const [info, grid] = await Promise.all([describePopulationRaster(file), readPopulationGrid(file, [-180, -90, 180, 90])]);
  if (!grid) return null;
  return {
    grid: prepareGrid(grid),
    model: { id: info.id, name: info.name, year: info.year, source: info.source, licence: info.licence, attribution: info.attribution, sha256: info.sha256 },
  };
}

/** Every SRTM tile of a folder as the heights footprints are shaped by; null if it holds no tile. */
export async function loadTerrain(dir: string): Promise<CoverageInputs['terrain']> {
  const terrain = await openSrtmFolder(dir);
  if (terrain.tiles.length === 0) return null;
  return {
    heights: { heightAt: heightSampler(terrain), sha256: terrain.sha256, dir },
    model: {
      id: 'srtm', tiles: terrain.tiles.map((t) => t.name), sha256: terrain.sha256,
      source: `NASA/USGS SRTM ${terrain.tiles.some((t) => t.arcSec === 1) ? '1″/3″' : '3″'} heights (public domain)`,
    },
  };
}
