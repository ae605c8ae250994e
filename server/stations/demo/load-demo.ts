import type { Knex } from 'knex';
import type { MultiPolygon } from 'geojson';
import { createStationsRepo, type WriteResult } from '../stations.repo';
import { DEFAULT_OPERATORS } from '../stations.schema';
import { bbox as turfBbox, featureCollection, feature } from '@turf/turf';
import { readPopulationGrid } from '../../population/population-raster';
import { generateDemoStations, summarizeStations, type DemoCommune, type DemoSummary } from './generate-demo';

export interface DemoLoadResult {
  seed: number;
  communes: number;
  /** 'population-grid': sites drawn mostly where the grid puts people; 'communes': without a grid. */
  placement: 'population-grid' | 'communes';
  summary: DemoSummary;
  write: WriteResult;
}

/**
 * The communes of the database, in code order, with their full-resolution geometry: the stations
 * repository assigns each site to a commune by `geom`, and sampling in the simplified
 * `geom_display` put about 0.15 % of sites (15 of 10,240) across a border or outside the province.
 * The generator stays quick on the full geometry (test/bench/README.md).
 */
export async function readDemoCommunes(knex: Knex): Promise<DemoCommune[]> {
  const { rows } = await knex.raw<{
    rows: Array<{ code: string; name: string; kind: DemoCommune['kind']; population: number | null; area_km2: number; geojson: string }>;
  }>(
    `SELECT code, name, kind, population, area_km2, ST_AsGeoJSON(geom) AS geojson
       FROM communes ORDER BY code`,
  );
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    kind: r.kind,
    population: r.population,
    areaKm2: r.area_km2,
    geometry: JSON.parse(r.geojson) as MultiPolygon,
  }));
}

/** Stations that did not come from the demo generator: real data the demo must never replace. */
export async function countRealStations(knex: Knex): Promise<number> {
  const { rows } = await knex.raw<{ rows: Array<{ n: number }> }>('SELECT count(*) AS n FROM stations WHERE NOT is_demo');
  return Number(rows[0].n);
}

/**
 * Generates the SYNTHETIC demo stations from the communes in the database and writes them as the
 * complete list of all default operators (`replace`), flagged `is_demo`. Radios of an earlier demo
 * set that the new one lacks are decommissioned, not deleted, as for any replace.
 *
 * The caller decides whether loading is allowed: start-up calls this only on an empty station
 * table, `npm run demo:stations` only when no real station exists. Throws when there are no
 * communes, since stations are placed inside them. With a population raster the sites follow
 * where people live (read through server/population/, a window around the communes).
 */
export async function loadDemoStations(
  knex: Knex,
  options: { seed?: number; dryRun?: boolean; /** The configured POPULATION_RASTER; null or absent: no grid. */ populationRaster?: string | null } = {},
): Promise<DemoLoadResult> {
  const seed = options.seed ?? 2026;
  const communes = await readDemoCommunes(knex);
  if (communes.length === 0) throw new Error('no communes in the database: import the province first (npm run geodata:import)');
  const population = options.populationRaster
    ? await readPopulationGrid(options.populationRaster, turfBbox(featureCollection(communes.map((c) => feature(c.geometry)))) as [number, number, number, number])
    : null;
  const rows = generateDemoStations(communes, { seed, population });
  const write = await createStationsRepo(knex).write(rows, {
    mode: 'replace',
    operators: DEFAULT_OPERATORS,
    dryRun: options.dryRun ?? false,
    importId: null,
    isDemo: true,
  });
  return { seed, communes: communes.length, placement: population ? 'population-grid' : 'communes', summary: summarizeStations(rows), write };
}
