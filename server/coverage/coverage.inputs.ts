/**
 * The data the coverage model reads besides stations and communes: the population grid that spreads
 * each commune's people, and the ground heights that shape footprints. Both are optional
 * (configuration), and both are named in every answer and in the model version.
 */
import type { PreparedGrid } from './engine/index';
import type { Heights } from './footprints';

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
