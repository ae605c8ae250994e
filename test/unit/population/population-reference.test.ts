/**
 * The exact PostGIS reference for population coverage (scripts/lib/population-reference.ts) on a
 * case with a closed form, on both engines: a 4 × 4 grid of 0.01° cells with people only in its
 * west half, communes and footprints that are rectangles in longitude/latitude.
 */
import type { Polygon } from 'geojson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactPostgisPopulationCoverage, exactPostgisPopulationCoverageByCover, type ReferenceCommune } from '../../../scripts/lib/population-reference';
import type { PopulationGrid } from '../../../server/coverage/engine/population';
import { migrateToLatest } from '../../../server/db/migrate';
import { createCommunesRepo } from '../../../server/communes/communes.repo';
import { ENGINES, openTestDatabase, type TestDatabase } from '../../helpers/db';

const rect = (w: number, s: number, e: number, n: number): Polygon => ({ type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });

// Rows of 0.01° from 21.04° N, columns from 105° E: columns 0–1 hold 100 people per cell, 2–3 none.
const grid: PopulationGrid = {
  west: 105, north: 21.04, cellDegX: 0.01, cellDegY: 0.01, width: 4, height: 4,
  values: Float32Array.from({ length: 16 }, (_, i) => (i % 4 < 2 ? 100 : 0)),
};

/** A: 105.005–105.035 E, 21.005–21.035 N; its people live west of 105.02 (half of the grid). */
const A: ReferenceCommune = { code: '00001', population: 9000, geometry: rect(105.005, 21.005, 105.035, 21.035) };
/** B: entirely in the empty east half: even spread. */
const B: ReferenceCommune = { code: '00002', population: 600, geometry: rect(105.022, 21.005, 105.038, 21.03) };
/** Cover: 105.000–105.015 (two thirds of A's peopled strip) and 105.020–105.030 (people-free in A, half of B). */
const footprints = [rect(105.0, 20.99, 105.015, 21.05), rect(105.02, 20.99, 105.03, 21.05)];

describe.each(ENGINES)('exactPostgisPopulationCoverage on the %s engine', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(engine, 'empty');
    await migrateToLatest(db.knex);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('gives the closed form: people where the grid puts them, area as drawn, even spread without people', async () => {
    const [a, b] = await exactPostgisPopulationCoverage(db.knex, { communes: [A, B], footprints, grid });
    // A: density uniform on its peopled strip 105.005–105.020 (width 0.015°); covered 0.010° of it.
    expect(a).toMatchObject({ communeCode: '00001', model: 'grid' });
    expect(a.populationPct).toBeCloseTo((100 * 0.01) / 0.015, 1);
    expect(a.coveredPeople).toBeCloseTo(9000 * (2 / 3), -1);
    // Its people in grid units: A takes half of column 0 and all of column 1, half of rows 0 and 3
    // and all of rows 1–2: (0.5 + 1) × (0.5 + 1 + 1 + 0.5) cells of 100.
    expect(a.weight).toBeCloseTo(100 * 1.5 * 3, 0);
    expect(a.areaPct).toBeCloseTo((100 * 0.02) / 0.03, 1);
    // B: no people in the grid, so its population is spread evenly: half its width is covered.
    expect(b).toMatchObject({ communeCode: '00002', model: 'even', weight: 0 });
    expect(b.populationPct).toBeCloseTo(50, 1);
    expect(b.coveredPeople).toBeCloseTo(300, 0);
  });

  it('counts no-data cells as empty, several covers at once, and reads communes from the table', async () => {
    const withHole = { ...grid, values: Float32Array.from(grid.values) };
    // The cell of row 1, column 0 (105.00–105.01 E, 21.02–21.03 N) has no data.
    withHole.values[4] = Number.NaN;
    const byCover = await exactPostgisPopulationCoverageByCover(db.knex, {
      communes: [A], grid: withHole, covers: { west: [footprints[0]], none: [] },
    });
    // A's people: column 0 gives 0.5 × (0.5 + 1 + 0.5) without row 1, column 1 gives 3: 4 cells' worth.
    const west = byCover.west[0];
    expect(west.weight).toBeCloseTo(400, 0);
    // Covered 105.005–105.015: all of column 0's part (1) and half of column 1's (1.5), of 4.
    expect(west.populationPct).toBeCloseTo((100 * (1 + 1.5)) / 4, 1);
    expect(byCover.none[0]).toMatchObject({ coveredPeople: 0, coveredM2: 0, model: 'grid' });

    await createCommunesRepo(db.knex).upsertAll([A, B].map((c) => ({
      code: c.code, name: c.code, fullName: c.code, kind: 'xa' as const, provinceCode: '99', provinceName: null,
      population: c.population, officialAreaKm2: null, households: null, householdSize: null, householdsMethod: null,
      geometry: c.geometry as Polygon,
    })));
    const fromTable = await exactPostgisPopulationCoverage(db.knex, { communes: { codes: ['00001'] }, footprints, grid });
    expect(fromTable).toHaveLength(1);
    expect(fromTable[0].populationPct).toBeCloseTo((100 * 0.01) / 0.015, 1);
  });
});
