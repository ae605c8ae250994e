import fs from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../server/app';
import { createCommunesRepo } from '../../server/communes/communes.repo';
import { importCommunes, type CommuneImportReport } from '../../server/communes/communes.import';
import { readProvincesCsv } from '../../server/provinces/import/provinces-csv';
import type { ProvinceInput } from '../../server/provinces/provinces.schema';
import { ValidationError } from '../../server/errors';
import { createJobs, type Jobs } from '../../server/jobs/jobs';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';
import { makeTokens } from '../helpers/tokens';
import { PHU_THO_STATION_ROWS, stationsCsv, withoutMoments } from '../helpers/province-answers';
import { provincesCut } from '../helpers/national-cut';

/**
 * A file of several provinces (issue "National atlas"): each feature's province from a property,
 * the provinces named from the provinces list, unknown populations stored as unknown and said so,
 * and a province already held at full resolution keeping its finer boundaries unless replaced.
 * The sample is cut from the national file when the test runs (test/helpers/national-cut.ts):
 * Lai Châu (12, 38 communes, Nậm Sỏ of unknown population), Huế (46, 40) and the three communes
 * of Phú Thọ (25) with the fewest vertices.
 */
const UNKNOWN = '03613';
const PHU_THO_IN_SAMPLE = ['07909', '08227', '08443'];



describe.each(ENGINES)('national communes import on the %s engine', (engine) => {
  let db: TestDatabase;
  let app: Express;
  let jobs: Jobs;
  let admin: string;
  let provinces: ProvinceInput[];
  let sample: string;
  let report: CommuneImportReport;
  let summaryBefore: unknown;
  let communeBefore: unknown;
  /** Right after the import, before anything recomputes. */
  let justAfter: { summary: unknown; commune: unknown; laiChauStale: boolean; countryStale: boolean };

  const rows = async <T>(sql: string, bindings: unknown[] = []): Promise<T[]> => (await db.knex.raw(sql, bindings as never)).rows;
  const vertices = async (codes: string[]) => Object.fromEntries((await rows<{ code: string; n: number }>(
    'SELECT code, ST_NPoints(geom) AS n FROM communes WHERE code IN (SELECT json_array_elements_text(?::json)) ORDER BY code', [JSON.stringify(codes)])).map((r) => [r.code, Number(r.n)]));
  const importStations = async (lines: string[]) => {
    await request(app).post('/api/stations/import').set('Authorization', admin).set('Content-Type', 'text/csv').send(stationsCsv(lines)).expect(201);
    await jobs.idle();
  };

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    jobs = createJobs();
    app = createApp({ db, config: db.config, jobs });
    admin = (await makeTokens(db.knex)).admin;
    provinces = await readProvincesCsv(db.config.provincesCsv);
    sample = provincesCut(db.config.nationalCommunes, ['12', '46'], { province: '25', count: PHU_THO_IN_SAMPLE.length });
    await importStations(PHU_THO_STATION_ROWS);
    summaryBefore = (await request(app).get('/api/summary?province=25').expect(200)).body;
    communeBefore = (await request(app).get('/api/communes/07900/coverage').expect(200)).body;
    report = await importCommunes(createCommunesRepo(db.knex), sample, { fields: { provinceCode: 'ma_tinh' }, provinces });
    justAfter = {
      summary: (await request(app).get('/api/summary?province=25').expect(200)).body,
      commune: (await request(app).get('/api/communes/07900/coverage').expect(200)).body,
      laiChauStale: (await request(app).get('/api/summary?province=12').expect(200)).body.coverage.stale,
      countryStale: (await request(app).get('/api/summary').expect(200)).body.coverage.stale,
    };
  }, 240_000);
  afterAll(async () => {
    await jobs?.idle();
    await db?.close();
  });

  it('takes each commune\'s province from its property and names the provinces from the list', async () => {
    expect(report).toMatchObject({ features: 81, inserted: 78, updated: 0, rejected: [], provinces: ['12', '25', '46'] });
    expect(await rows('SELECT province_code AS code, count(*)::int AS n FROM communes GROUP BY 1 ORDER BY 1'))
      .toEqual([{ code: '12', n: 38 }, { code: '25', n: 148 }, { code: '46', n: 40 }]);
    // Added from the list, and Phú Thọ (held, named from its own file) renamed from it.
    expect(await rows('SELECT code, name, full_name AS "fullName", name_en AS "nameEn", kind FROM provinces ORDER BY code')).toEqual([
      { code: '12', name: 'Lai Châu', fullName: 'Tỉnh Lai Châu', nameEn: 'Lai Chau', kind: 'tinh' },
      { code: '25', name: 'Phú Thọ', fullName: 'Tỉnh Phú Thọ', nameEn: 'Phu Tho', kind: 'tinh' },
      { code: '46', name: 'Huế', fullName: 'Thành phố Huế', nameEn: 'Hue', kind: 'thanh_pho' },
    ]);
    const list = (await request(app).get('/api/provinces').expect(200)).body;
    expect(list.items.map((p: { code: string; name: string; kind: string; communes: number }) => [p.code, p.name, p.kind, p.communes]))
      .toEqual([['12', 'Lai Châu', 'tinh', 38], ['25', 'Phú Thọ', 'tinh', 148], ['46', 'Huế', 'thanh_pho', 40]]);
    expect(list.country.communes).toBe(226);
  });

  it('reads the province from the property it is told, and refuses a province the list does not have', async () => {
    const doc = JSON.parse(sample);
    const two = doc.features.filter((f: { properties: { ma_tinh: string } }) => f.properties.ma_tinh === '46').slice(0, 2);
    const renamed = (code: string) => JSON.stringify({ ...doc, features: two.map((f: { properties: Record<string, unknown> }) => ({ ...f, properties: { ...f.properties, ma_tinh: undefined, tinh_ma: code } })) });
    const repo = createCommunesRepo(db.knex);
    const again = await importCommunes(repo, renamed('46'), { fields: { provinceCode: 'tinh_ma' }, provinces });
    expect(again).toMatchObject({ inserted: 0, updated: 2, provinces: ['46'] });
    const refused = await importCommunes(repo, renamed('47'), { fields: { provinceCode: 'tinh_ma' }, provinces }).catch((e) => e);
    expect(refused).toBeInstanceOf(ValidationError);
    expect((refused as ValidationError).issues.map((i) => i.message)).toEqual([
      `feature 0 (${two[0].properties.ma_xa}): province "47" is not in the provinces list`,
      `feature 1 (${two[1].properties.ma_xa}): province "47" is not in the provinces list`,
    ]);
    expect(await rows("SELECT count(*)::int AS n FROM provinces WHERE code = '47'")).toEqual([{ n: 0 }]);
  });

  it('stores an unknown population as unknown, reports it, and says so wherever people are summed', async () => {
    const warned = report.warnings.filter((w) => w.reason.startsWith('population unknown'));
    expect(warned.map((w) => w.code)).toEqual([UNKNOWN]);
    expect(await rows('SELECT population, households FROM communes WHERE code = ?', [UNKNOWN])).toEqual([{ population: null, households: null }]);
    const laiChau = (await request(app).get('/api/summary?province=12').expect(200)).body;
    const known = JSON.parse(sample).features.filter((f: { properties: { ma_tinh: string } }) => f.properties.ma_tinh === '12')
      .reduce((s: number, f: { properties: { dan_so: number | null } }) => s + (f.properties.dan_so ?? 0), 0);
    expect(laiChau.province).toMatchObject({ communes: 38, population: known });
    const listed = (await request(app).get('/api/provinces').expect(200)).body;
    expect(listed.items.map((p: { code: string; populationUnknown: number }) => [p.code, p.populationUnknown])).toEqual([['12', 1], ['25', 0], ['46', 0]]);
    expect(listed.country.populationUnknown).toBe(1);
    expect(listed.items[0].population).toBe(known);
    expect(laiChau.notes).toContain('Population unknown for 1 of 38 communes: the population and households and the population-weighted coverage are over the other 37; area figures include all.');
    // A site inside Nậm Sỏ: its commune gets figures; a share of its people covered, no count.
    const [{ lon, lat }] = await rows<{ lon: number; lat: number }>('SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM (SELECT ST_PointOnSurface(geom) AS p FROM communes WHERE code = ?) s', [UNKNOWN]);
    await importStations([`viettel,LC-1,Nậm Sỏ,${lon.toFixed(5)},${lat.toFixed(5)},4G,1800,30,active,2022-01-01`]);
    const coverage = (await request(app).get(`/api/communes/${UNKNOWN}/coverage`).expect(200)).body;
    expect(coverage.technologies['4G'].populationPct).toBeGreaterThan(0);
    expect(coverage.technologies['4G'].coveredPopulation).toBeNull();
    const known4g = (await request(app).get('/api/communes/07900/coverage').expect(200)).body;
    expect(Number.isInteger(known4g.technologies['4G'].coveredPopulation)).toBe(true);
    // The province's population-weighted figure is over the communes of known population only.
    const after = (await request(app).get('/api/summary?province=12').expect(200)).body;
    expect(after.coverage.technologies['4G'].population).toBe(known);
    expect(after.notes.some((n: string) => n.startsWith('Population unknown for 1 of 38'))).toBe(true);
    const phuTho = (await request(app).get('/api/summary?province=25').expect(200)).body;
    expect(phuTho.notes.some((n: string) => n.startsWith('Population unknown'))).toBe(false);
  });

  it('gives no count of people in the coverage rows of a commune of unknown population: null in JSON and GeoJSON, an empty CSV cell', async () => {
    // Nậm Sỏ has a 4G site since the test above.
    const list = (await request(app).get('/api/coverage?province=12&technology=4G&operator=all').expect(200)).body;
    const row = list.communes.find((f: { communeCode: string }) => f.communeCode === UNKNOWN);
    expect(row).toMatchObject({ population: null, coveredPopulation: null });
    expect(row.populationPct).toBeGreaterThan(0);
    const others = list.communes.filter((f: { communeCode: string }) => f.communeCode !== UNKNOWN);
    expect(others.length).toBe(37);
    expect(others.every((f: { population: unknown; coveredPopulation: unknown }) => typeof f.population === 'number' && f.population > 0 && typeof f.coveredPopulation === 'number')).toBe(true);
    // The roll-up is over the people known, as before.
    const known = others.reduce((s: number, f: { population: number }) => s + f.population, 0);
    expect(list.province[0].population).toBeCloseTo(known, 0);

    const geo = (await request(app).get('/api/coverage?province=12&technology=4G&operator=all&format=geojson').expect(200)).body;
    const feature = geo.features.find((f: { properties: { code: string } }) => f.properties.code === UNKNOWN);
    expect(feature.properties.population).toBeNull();
    expect(feature.properties.coverage[0]).toMatchObject({ population: null, coveredPopulation: null });

    const text = (await request(app).get('/api/coverage?province=12&technology=4G&operator=all&format=csv').expect(200)).text;
    const records = parse(text.replace(/^\uFEFF/, ''), { columns: true }) as Array<Record<string, string>>;
    const cells = records.find((r) => r.communeCode === UNKNOWN)!;
    expect([cells.population, cells.coveredPopulation]).toEqual(['', '']);
    expect(Number(cells.populationPct)).toBeGreaterThan(0);
    expect(Number(records.find((r) => r.communeCode !== UNKNOWN)!.population)).toBeGreaterThan(0);

    // The gaps count no people behind its shortfall either.
    const gaps = (await request(app).get('/api/gaps?province=12&metric=4g_population_pct&threshold=100').expect(200)).body;
    const gap = gaps.items.find((r: { code: string }) => r.code === UNKNOWN);
    expect(gap).toMatchObject({ population: null, peopleToReach: null, uncoveredPopulation: null });
  });

  it('keeps the finer stored boundaries of Phú Thọ and leaves its answers as they were', async () => {
    // Right after the import: Phú Thọ's figures are not stale (none of its communes changed); the new province's and the country's are.
    expect(withoutMoments(justAfter.summary)).toEqual(withoutMoments(summaryBefore));
    expect(withoutMoments(justAfter.commune)).toEqual(withoutMoments(communeBefore));
    expect([justAfter.laiChauStale, justAfter.countryStale]).toEqual([true, true]);
    // And after a station elsewhere (Lai Châu) was imported and recomputed.
    expect(withoutMoments((await request(app).get('/api/summary?province=25').expect(200)).body)).toEqual(withoutMoments(summaryBefore));
    expect(withoutMoments((await request(app).get('/api/communes/07900/coverage').expect(200)).body)).toEqual(withoutMoments(communeBefore));
    const stored = await vertices(PHU_THO_IN_SAMPLE);
    expect(report.kept.map((k) => k.code).sort()).toEqual(PHU_THO_IN_SAMPLE);
    for (const k of report.kept) {
      expect(k.provinceCode).toBe('25');
      expect(k.storedVertices).toBe(stored[k.code]);
      expect(k.fileVertices).toBeLessThan(k.storedVertices);
    }
  });

  it('replaces them when told to', async () => {
    const before = await vertices(PHU_THO_IN_SAMPLE);
    const replaced = await importCommunes(createCommunesRepo(db.knex), sample, { provinces, replace: true });
    expect(replaced).toMatchObject({ inserted: 0, updated: 81, kept: [] });
    const after = await vertices(PHU_THO_IN_SAMPLE);
    for (const code of PHU_THO_IN_SAMPLE) expect(after[code]).toBeLessThan(before[code]);
    // Imported again without --replace: equal vertices are not finer, so the same file updates them.
    expect(await importCommunes(createCommunesRepo(db.knex), sample, { provinces })).toMatchObject({ updated: 81, kept: [] });
  });
});

// The whole country, on the server engine only (the embedded one takes much longer; the sample above covers it there).
describe.runIf(ENGINES.includes('server'))('the national file on the server engine', () => {
  let db: TestDatabase;
  let file: string;
  beforeAll(async () => {
    db = await openTestDatabase('server');
    file = db.config.nationalCommunes;
  });
  afterAll(async () => {
    await db?.close();
  });

  it('imports all 3,321 communes of the 34 provinces in one go, keeping Phú Thọ\'s finer boundaries', async () => {
    const provinces = await readProvincesCsv(db.config.provincesCsv);
    const started = performance.now();
    const report = await importCommunes(createCommunesRepo(db.knex), await fs.readFile(file, 'utf8'), { fields: { provinceCode: 'ma_tinh' }, provinces });
    const seconds = (performance.now() - started) / 1000;
    expect(seconds).toBeLessThan(60);
    expect(report).toMatchObject({ features: 3321, inserted: 3321 - 148, updated: 0, rejected: [] });
    expect(report.provinces).toHaveLength(34);
    expect(report.kept).toHaveLength(148);
    expect(new Set(report.kept.map((k) => k.provinceCode))).toEqual(new Set(['25']));
    expect(report.warnings.filter((w) => w.reason.startsWith('population unknown'))).toHaveLength(69);
    const [counts] = (await db.knex.raw(`SELECT count(*)::int AS communes, count(*) FILTER (WHERE population IS NULL)::int AS unknown,
      count(DISTINCT province_code)::int AS provinces, count(*) FILTER (WHERE kind = 'dac_khu')::int AS "dacKhu" FROM communes`)).rows;
    expect(counts).toEqual({ communes: 3321, unknown: 69, provinces: 34, dacKhu: 13 });
    const [named] = (await db.knex.raw("SELECT count(*)::int AS n, count(*) FILTER (WHERE kind = 'thanh_pho')::int AS cities FROM provinces WHERE name_en IS NOT NULL")).rows;
    expect(named).toEqual({ n: 34, cities: 6 });
  }, 180_000);
});
