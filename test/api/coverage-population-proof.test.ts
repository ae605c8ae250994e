/**
 * The population figures against an independent exact computation: the WorldPop grid's cells as
 * polygons, intersected in PostGIS with each commune and with the union of the footprints
 * (scripts/lib/population-reference.ts, no engine code), on the server engine, for every commune
 * and technology (all operators), within 0.2 points. And on both engines: every commune still
 * sums to its official population, and the grid moves figures away from the even spread.
 * Terrain is off here (flat footprints) so that the reference can draw the footprints itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { circle } from '@turf/turf';
import { createCoverageRepo } from '../../server/coverage/coverage.repo';
import { createCoverageService } from '../../server/coverage/coverage.service';
import { loadCoverageInputs, type CoverageInputs } from '../../server/coverage/coverage.inputs';
import { createRadiusResolver, toEngineRadios } from '../../server/coverage/coverage.model';
import { computeCommuneCoverage, footprintPolygon, TECHNOLOGIES, type CoverageFigure } from '../../server/coverage/engine/index';
import { loadDemoStations } from '../../server/stations/demo/load-demo';
import { exactPostgisPopulationCoverageByCover } from '../../scripts/lib/population-reference';
import { readPopulationGrid } from '../../server/population/population-raster';
import { bboxOf } from '../../server/coverage/radio-state';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';

const TOLERANCE_PTS = 0.2;
/** Vertices per turn of a reference disc (0.01 % smaller in area than the circle). */
const REFERENCE_STEPS = 256;

describe.each(ENGINES)('population figures on the %s engine', (engine) => {
  let db: TestDatabase;
  let inputs: CoverageInputs;
  let figures: CoverageFigure[];

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    await loadDemoStations(db.knex);
    inputs = { ...(await loadCoverageInputs({ populationRaster: db.config.populationRaster, terrainDir: null })), terrain: null };
    expect(inputs.population).not.toBeNull();
    const repo = createCoverageRepo(db.knex);
    await createCoverageService(repo, {}, inputs).recompute({ trigger: 'test' });
    figures = await repo.figures({});
  });
  afterAll(async () => {
    await db?.close();
  });

  it('every commune sums exactly to its official population, and the grid spreads it', async () => {
    const communes = await createCoverageRepo(db.knex).communes();
    const [lon, lat] = [105.2, 21.2];
    const everything = [{ operator: 'x', technology: '5G' as const, lon, lat, radiusM: 200_000 }];
    const all = computeCommuneCoverage(communes, everything, { population: inputs.population!.grid, technologies: ['5G'] })
      .filter((f) => f.operator === 'all');
    expect(all).toHaveLength(communes.length);
    for (const f of all) expect(Math.abs(f.coveredPopulation - f.population), f.communeCode).toBeLessThan(1e-6 * Math.max(1, f.population));
    expect(all.filter((f) => f.populationSpread === 'grid').length).toBe(communes.length);
    // Stored figures: by people ≠ by area where the grid is uneven (5G covers towns first).
    const moved = figures.filter((f) => f.operator === 'all' && f.technology === '5G' && Math.abs(f.populationPct - f.areaPct) > 5);
    expect(moved.length).toBeGreaterThan(10);
  });

  it.runIf(engine === 'server')('agrees with the grid cells intersected in PostGIS, every commune and technology, within 0.2 points', async () => {
    const repo = createCoverageRepo(db.knex);
    const communes = await repo.communes();
    const radios = toEngineRadios(await repo.activeRadios(new Date().toISOString().slice(0, 10)), new Map(communes.map((c) => [c.code, c])), createRadiusResolver());
    const covers = Object.fromEntries(TECHNOLOGIES.map((t) => [t, radios.filter((r) => r.technology === t && r.radiusM > 0).map((r) =>
      r.azimuthDeg == null || r.beamwidthDeg == null ? circle([r.lon, r.lat], r.radiusM / 1000, { steps: REFERENCE_STEPS, units: 'kilometers' }).geometry : footprintPolygon(r, { steps: REFERENCE_STEPS }))])) as Record<string, GeoJSON.Polygon[]>;
    // The grid's window over the province (the reference makes a polygon of every cell it is given).
    const box = communes.reduce((b, c) => { const [w, s2, e, n] = bboxOf(c.geometry); return [Math.min(b[0], w), Math.min(b[1], s2), Math.max(b[2], e), Math.max(b[3], n)]; }, [180, 90, -180, -90]);
    const grid = (await readPopulationGrid(db.config.populationRaster!, box as [number, number, number, number]))!;
    const reference = await exactPostgisPopulationCoverageByCover(db.knex, { communes: { codes: communes.map((c) => c.code) }, grid, covers });
    let worst = 0;
    let compared = 0;
    for (const t of TECHNOLOGIES) {
      for (const ref of reference[t]) {
        const f = figures.find((x) => x.communeCode === ref.communeCode && x.technology === t && x.operator === 'all')!;
        const d = Math.abs(f.populationPct - ref.populationPct);
        worst = Math.max(worst, d);
        expect(d, `${ref.communeCode} ${t}: engine ${f.populationPct.toFixed(3)}, PostGIS ${ref.populationPct.toFixed(3)}`).toBeLessThan(TOLERANCE_PTS);
        compared++;
      }
    }
    expect(compared).toBe(communes.length * TECHNOLOGIES.length);
    console.log(`population proof: ${compared} figures, max |Δ| ${worst.toFixed(4)} points`);
  }, 900_000);
});
