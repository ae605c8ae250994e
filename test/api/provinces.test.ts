import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../server/app';
import { createCommunesRepo } from '../../server/communes/communes.repo';
import { importCommunes } from '../../server/communes/communes.import';
import { createJobs, type Jobs } from '../../server/jobs/jobs';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';
import { makeTokens } from '../helpers/tokens';
import { PHU_THO_STATION_ROWS, stationsCsv, withoutMoments } from '../helpers/province-answers';

/**
 * Provinces first-class (issue "National atlas"): a database holding Phú Thọ and a second
 * province answers `province=25` exactly as a database holding Phú Thọ alone answers without it;
 * without `province=` it answers for the country, against the national targets.
 */

// A second province: two square communes in the north (province 04, Cao Bằng), far from Phú Thọ.
const square = (lon: number, lat: number, d = 0.05) => ({ type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] });
const CAO_BANG = JSON.stringify({
  type: 'FeatureCollection',
  features: [
    { type: 'Feature', properties: { ma_xa: '01270', ten: 'Thử Một', ten_day_du: 'Xã Thử Một', loai: 'Xã', ma_tinh: '04', ten_tinh: 'Cao Bằng', dan_so: 6000 }, geometry: square(106.20, 22.60) },
    { type: 'Feature', properties: { ma_xa: '01273', ten: 'Thử Hai', ten_day_du: 'Xã Thử Hai', loai: 'Xã', ma_tinh: '04', ten_tinh: 'Cao Bằng', dan_so: 3000 }, geometry: square(106.25, 22.60) },
  ],
});

// Cao Bằng: one site inside its communes, one just outside every commune held (north of them).
const CAO_BANG_ROWS = [
  'viettel,CB-1,Thử Một,106.225,22.625,4G,1800,30,active,2022-01-01',
  'viettel,CB-1,Thử Một,106.225,22.625,5G,3500,30,active,2026-02-01',
  'viettel,CB-2,Ngoài,106.27,22.66,4G,900,40,active,2022-01-01',
];

describe.each(ENGINES)('provinces on the %s engine', (engine) => {
  let alone: TestDatabase;
  let both: TestDatabase;
  let appAlone: Express;
  let appBoth: Express;
  const jobs: Jobs[] = [];

  async function load(db: TestDatabase, rows: string[]) {
    const j = createJobs();
    jobs.push(j);
    const app = createApp({ db, config: db.config, jobs: j });
    const t = await makeTokens(db.knex);
    await request(app).post('/api/stations/import').set('Authorization', t.admin).set('Content-Type', 'text/csv').send(stationsCsv(rows)).expect(201);
    await j.idle();
    return app;
  }

  beforeAll(async () => {
    // One after the other: the first builds the run's template database.
    alone = await openTestDatabase(engine);
    both = await openTestDatabase(engine);
    await importCommunes(createCommunesRepo(both.knex), CAO_BANG);
    appAlone = await load(alone, PHU_THO_STATION_ROWS);
    appBoth = await load(both, [...PHU_THO_STATION_ROWS, ...CAO_BANG_ROWS]);
  }, 240_000);
  afterAll(async () => {
    for (const j of jobs) await j.idle();
    await alone?.close();
    await both?.close();
  });

  it('answers province=25 beside another province exactly as Phú Thọ alone answers without it', async () => {
    for (const [path, scoped] of [
      ['/api/summary', '/api/summary?province=25'],
      ['/api/summary/history', '/api/summary/history?province=25'],
      ['/api/coverage', '/api/coverage?province=25'],
      ['/api/communes', '/api/communes?province=25'],
      ['/api/gaps?target=pt-2026-5g-coverage', '/api/gaps?target=pt-2026-5g-coverage&province=25'],
      ['/api/broadband', '/api/broadband?province=25'],
    ]) {
      const a = (await request(appAlone).get(path).expect(200)).body;
      const b = (await request(appBoth).get(scoped).expect(200)).body;
      expect(withoutMoments(b), scoped).toEqual(withoutMoments(a));
    }
    const summary = (await request(appAlone).get('/api/summary').expect(200)).body;
    expect(summary.province.communes).toBe(148);
    expect(summary.stations.sites).toBe(2);
    expect(summary.targets.map((t: { code: string }) => t.code).sort()).toEqual(['pt-2026-5g-coverage', 'pt-2026-fiber-households']);
    expect(summary.reported.length).toBeGreaterThan(10);
    // Phú Thọ alone is the whole database: with and without province=25, the same answer.
    expect((await request(appAlone).get('/api/summary?province=25').expect(200)).body).toEqual(summary);
  });

  it('answers for the country without province=: every commune, the national targets, no province\'s reported figures', async () => {
    const country = (await request(appBoth).get('/api/summary').expect(200)).body;
    expect(country.province.communes).toBe(150);
    expect(country.stations.sites).toBe(4);
    expect(country.targets.map((t: { code: string }) => t.code)).toEqual(['vn-2025-5g-population', 'vn-2030-5g-population']);
    expect(country.reported).toEqual([]);
    const caoBang = (await request(appBoth).get('/api/summary?province=04').expect(200)).body;
    expect(caoBang.province).toMatchObject({ communes: 2, population: 9000 });
    // The site outside every commune counts with the nearest commune's province.
    expect(caoBang.stations.sites).toBe(2);
    // No target of its own: the national ones.
    expect(caoBang.targets.map((t: { code: string }) => t.code)).toEqual(['vn-2025-5g-population', 'vn-2030-5g-population']);
    const pop = (s: { coverage: { technologies: Record<string, { coveredPopulation: number }> } }, tech: string) => s.coverage.technologies[tech]?.coveredPopulation ?? 0;
    const phuTho = (await request(appBoth).get('/api/summary?province=25').expect(200)).body;
    // Each rounded to a person on its own.
    for (const tech of ['4G', '5G']) expect(Math.abs(pop(country, tech) - pop(phuTho, tech) - pop(caoBang, tech))).toBeLessThanOrEqual(1);
    const history = (await request(appBoth).get('/api/summary/history').expect(200)).body;
    expect(history.items.length).toBeGreaterThan(0);
    expect(history.items.at(-1).figures['5g_population_pct']).toBe(country.coverage.technologies['5G'].populationPct);
  });

  it('lists the provinces held, each against its own and the national targets, and the country', async () => {
    const list = (await request(appBoth).get('/api/provinces').expect(200)).body;
    expect(list.count).toBe(2);
    expect(list.items.map((p: { code: string }) => p.code)).toEqual(['04', '25']);
    const [caoBang, phuTho] = list.items;
    expect(caoBang).toMatchObject({ name: 'Cao Bằng', communes: 2, population: 9000 });
    expect(caoBang.bbox[0]).toBeCloseTo(106.2, 6);
    expect(caoBang.bbox[3]).toBeCloseTo(22.65, 6);
    expect(caoBang.targets.map((t: { code: string }) => t.code)).toEqual(['vn-2025-5g-population', 'vn-2030-5g-population']);
    expect(phuTho.targets.map((t: { code: string }) => t.code).sort()).toEqual(['pt-2026-5g-coverage', 'pt-2026-fiber-households', 'vn-2025-5g-population', 'vn-2030-5g-population']);
    // The same figures as the province's summary.
    const summary = (await request(appBoth).get('/api/summary?province=25').expect(200)).body;
    expect(phuTho.values['5g_population_pct']).toBe(summary.coverage.technologies['5G'].populationPct);
    expect(phuTho.population).toBe(summary.province.population);
    const own = summary.targets.find((t: { code: string }) => t.code === 'pt-2026-5g-coverage');
    expect(phuTho.targets.find((t: { code: string }) => t.code === 'pt-2026-5g-coverage')).toMatchObject({ value: own.status.value, met: own.status.met, provinceCode: '25' });
    expect(list.country).toMatchObject({ communes: 150, population: phuTho.population + 9000 });
    expect(list.country.targets.every((t: { provinceCode: string | null }) => t.provinceCode === null)).toBe(true);
    expect((await request(appBoth).get('/api/provinces/04').expect(200)).body).toEqual(caoBang);
    const geojson = (await request(appBoth).get('/api/provinces?format=geojson').expect(200)).body;
    expect(geojson.features.map((f: { id: number; geometry: { type: string } }) => [f.id, f.geometry.type])).toEqual([[4, 'MultiPolygon'], [25, 'MultiPolygon']]);
    await request(appBoth).get('/api/provinces/99').expect(404);
    await request(appBoth).get('/api/summary?province=99').expect(404);
    await request(appBoth).get('/api/coverage?province=x').expect(400);
  });

  it('keys every table that would be distributed by province, and moves a station\'s rows with it', async () => {
    const { rows: keys } = await both.knex.raw(
      `SELECT t.relname AS "table", array_agg(a.attname::text ORDER BY k.ord) AS key
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
         CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
        WHERE c.contype = 'p' AND t.relname IN ('communes', 'stations', 'radios', 'commune_coverage', 'broadband')
        GROUP BY t.relname ORDER BY 1`,
    );
    for (const k of keys) expect(k.key[0], k.table).toBe('province_code');
    expect(keys).toHaveLength(5);
    const province = async (site: string) => (await both.knex.raw(
      `SELECT s.province_code AS station, array_agg(DISTINCT r.province_code) AS radios FROM stations s JOIN radios r ON r.station_id = s.id WHERE s.site_code = ? GROUP BY 1`, [site])).rows[0];
    expect(await province('CB-2')).toEqual({ station: '04', radios: ['04'] });
    const t = await makeTokens(both.knex);
    const j = createJobs();
    jobs.push(j);
    const app = createApp({ db: both, config: both.config, jobs: j });
    // CB-2 moves into Phú Thọ: the station and its radios follow.
    await request(app).post('/api/stations/import').set('Authorization', t.admin).set('Content-Type', 'text/csv')
      .send(stationsCsv(['viettel,CB-2,Ngoài,105.40,21.33,4G,900,40,active,2022-01-01'])).expect(201);
    await j.idle();
    expect(await province('CB-2')).toEqual({ station: '25', radios: ['25'] });
    const { rows: [figures] } = await both.knex.raw(
      `SELECT count(*) FILTER (WHERE f.province_code = c.province_code)::int AS agree, count(*)::int AS n FROM commune_coverage f JOIN communes c ON c.code = f.commune_code`);
    expect(figures.agree).toBe(figures.n);
  });
});
