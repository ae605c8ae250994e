import fs from 'node:fs';
import { area as turfArea } from '@turf/turf';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { PopulationDensityAnswer } from '../../server/population/population.schema';
import { PopulationDensityAnswerSchema } from '../../server/population/population.schema';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';

const RASTER = loadConfig({}).populationRaster;
const HAVE_RASTER = !!RASTER && fs.existsSync(RASTER);
if (!HAVE_RASTER) console.warn('population.test: the population raster is missing; the grid tests are skipped');

describe.each(ENGINES)('GET /api/population/density on the %s engine', (engine) => {
  let db: TestDatabase;
  let populations: Map<string, number>;
  beforeAll(async () => {
    db = await openTestDatabase(engine);
    const { rows } = await db.knex.raw('SELECT code, population FROM communes');
    populations = new Map((rows as Array<{ code: string; population: number }>).map((r) => [r.code, r.population]));
  });
  afterAll(async () => {
    await db?.close();
  });

  /** People per commune: Σ density × area of its pieces (turf's spherical area, km²). */
  const peopleByCommune = (fc: PopulationDensityAnswer) => {
    const sums = new Map<string, number>();
    for (const f of fc.features) sums.set(f.properties.communeCode, (sums.get(f.properties.communeCode) ?? 0) + f.properties.densityPerKm2 * (turfArea(f as GeoJSON.Feature) / 1e6));
    return sums;
  };

  it.skipIf(!HAVE_RASTER)('spreads each commune by the WorldPop grid, sums to its population, credits WorldPop', async () => {
    const app = createApp({ db, config: { ...db.config, populationRaster: RASTER } });
    const t0 = performance.now();
    const res = await request(app).get('/api/population/density').expect(200);
    const coldMs = performance.now() - t0;
    expect(res.headers['content-type']).toMatch(/application\/geo\+json/);
    const fc = PopulationDensityAnswerSchema.parse(res.body);
    expect(fc.populationModel).toMatchObject({ kind: 'grid', name: 'WorldPop 2020, 30″ UN-adjusted', year: 2020, licence: 'CC BY 4.0' });
    expect(fc.attribution).toMatch(/WorldPop.*CC BY 4\.0/);
    expect(fc.features.length).toBeGreaterThan(10_000);
    // Every commune present and summing to its official population (display geometry, spherical area: 1 %).
    const sums = peopleByCommune(fc);
    expect(sums.size).toBe(148);
    const off = [...populations].filter(([code, p]) => Math.abs(sums.get(code)! - p) > 0.01 * p);
    expect(off).toEqual([]);
    // Not the even spread: inside Việt Trì the densest piece is several times the sparsest.
    const vt = fc.features.filter((f) => f.properties.communeCode === '07900').map((f) => f.properties.densityPerKm2);
    expect(vt.every((d) => d > 0)).toBe(true);
    expect(Math.max(...vt) / Math.min(...vt)).toBeGreaterThan(3);
    expect(fc.features.some((f) => f.properties.spread === 'grid')).toBe(true);

    // Cached per data version: the same answer again, at once.
    const t1 = performance.now();
    const again = await request(app).get('/api/population/density').expect(200);
    expect(again.headers.etag).toBe(res.headers.etag);
    expect(performance.now() - t1).toBeLessThan(coldMs);

    // A view's box: only the pieces that meet it.
    const box = [105.38, 21.3, 105.42, 21.34];
    const part = PopulationDensityAnswerSchema.parse((await request(app).get(`/api/population/density?bbox=${box.join(',')}`).expect(200)).body);
    expect(part.features.length).toBeGreaterThan(0);
    expect(part.features.length).toBeLessThan(fc.features.length / 50);
    expect(part.attribution).toBe(fc.attribution);
  });

  it('without a raster: the even spread, one piece per commune at its population over its area', async () => {
    const app = createApp({ db, config: { ...db.config, populationRaster: null } });
    const fc = PopulationDensityAnswerSchema.parse((await request(app).get('/api/population/density').expect(200)).body);
    expect(fc.populationModel.kind).toBe('even');
    expect(fc.features).toHaveLength(148);
    const { rows } = await db.knex.raw("SELECT population / area_km2 AS d FROM communes WHERE code = '07900'");
    expect(fc.features.find((f) => f.properties.communeCode === '07900')!.properties.densityPerKm2).toBeCloseTo(rows[0].d, 0);
    expect(fc.features.every((f) => f.properties.spread === 'even')).toBe(true);
  });

  it('refuses a malformed bbox with problem+json', async () => {
    const app = createApp({ db, config: { ...db.config, populationRaster: null } });
    const res = await request(app).get('/api/population/density?bbox=106,21,105,22').expect(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(res.body)).toMatch(/bbox/);
  });
});
