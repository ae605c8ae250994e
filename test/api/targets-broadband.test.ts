import fs from 'node:fs/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../server/app';
import { createJobs, type Jobs } from '../../server/jobs/jobs';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';
import { makeTokens } from '../helpers/tokens';

const HEADER = 'commune_code,operator,as_of,households_passed,subscriptions,ports';
const csv = (...rows: string[]) => Buffer.from([HEADER, ...rows].join('\n') + '\n');
// One 5G and 4G site in Việt Trì (07900), so a recompute has something to count.
const STATIONS = Buffer.from('site_code,name,lon,lat,technology,band_mhz,height_m,status,commissioned_on\nVT-5G,Gia Cẩm,105.4012,21.3225,5G,2600,30,active,2026-01-15\nVT-5G,Gia Cẩm,105.4012,21.3225,4G,1800,30,active,2020-01-01\n');
const BOM = '\uFEFF';

describe.each(ENGINES)('targets, broadband, gaps and history on the %s engine', (engine) => {
  let db: TestDatabase;
  let app: Express;
  let jobs: Jobs;
  let t: Awaited<ReturnType<typeof makeTokens>>;
  const scalar = async (sql: string) => Number(Object.values((await db.knex.raw(sql)).rows[0])[0]);
  const snapshots = () => scalar('SELECT count(*) FROM snapshots');
  /** The province's communes, as the database holds them (the test's figures are relative to it). */
  const communes = () => scalar('SELECT count(*) FROM communes');
  const upload = (body: Buffer | string, token: string | null, query = '', type = 'text/csv') => {
    const r = request(app).post(`/api/broadband/import${query}`).set('Content-Type', type);
    return (token ? r.set('Authorization', token) : r).send(body);
  };

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    jobs = createJobs();
    app = createApp({ db, config: db.config, jobs });
    t = await makeTokens(db.knex);
  });
  afterAll(async () => {
    await jobs?.idle();
    await db?.close();
  });

  it('seeds the 2026 targets with their sources, and the reported figures apart from them', async () => {
    const targets = (await request(app).get('/api/targets').expect(200)).body;
    expect(targets.items).toEqual([
      // The national targets (migration 0014) apply to every province without its own; by deadline.
      expect.objectContaining({ code: 'vn-2025-5g-population', metric: '5g_population_pct', threshold: 90, provinceCode: null }),
      expect.objectContaining({ code: 'pt-2026-5g-coverage', metric: '5g_population_pct', threshold: 65, deadlineYear: 2026, scope: 'province',
        source: expect.objectContaining({ document: 'Báo Phú Thọ, 3 Feb 2026', date: '2026-02-03', quote: 'tỷ lệ phủ sóng 5G đạt tối thiểu 65%' }), notes: expect.stringMatching(/population/) }),
      expect.objectContaining({ code: 'pt-2026-fiber-households', metric: 'fiber_households_pct', threshold: 90, provinceCode: '25' }),
      expect.objectContaining({ code: 'vn-2030-5g-population', metric: '5g_population_pct', threshold: 99, provinceCode: null }),
    ]);
    const reported = (await request(app).get('/api/reported').expect(200)).body.items;
    const value = (code: string) => reported.find((r: { code: string }) => r.code === code);
    expect(value('pt-2026-4g-area')).toMatchObject({ value: 98, unit: '%', metric: '4g_area_pct', asOf: '2026-02-03' });
    expect([value('pt-2026-4g-bts').value, value('pt-2026-5g-new').value, value('pt-2026-fiber-households').value, value('pt-2025-12-bts').value]).toEqual([9283, 868, 86, 10200]);
    expect(value('pt-2026-fiber-households').qualifier).toBe('about');
  });

  it('lets only admins create and edit targets', async () => {
    const body = { code: 'pt-2026-5g-area', title: '=HYPERLINK("http://x") 5G area reading', metric: '5g_area_pct', threshold: 65, deadlineYear: 2026, source: { document: 'Báo Phú Thọ, 3 Feb 2026' } };
    await request(app).post('/api/targets').send(body).expect(401);
    await request(app).post('/api/targets').set('Authorization', t.planner).send(body).expect(403);
    await request(app).post('/api/targets').set('Authorization', t.viettel).send(body).expect(403);
    const bad = await request(app).post('/api/targets').set('Authorization', t.admin).send({ ...body, threshold: 120, metric: 'happiness' }).expect(400);
    expect(bad.body.issues.map((i: { column: string }) => i.column).sort()).toEqual(['metric', 'threshold']);
    const created = await request(app).post('/api/targets').set('Authorization', t.admin).send(body).expect(201);
    expect(created.body).toMatchObject({ code: 'pt-2026-5g-area', scope: 'province', updatedBy: expect.stringContaining('admin') });
    await request(app).post('/api/targets').set('Authorization', t.admin).send(body).expect(409);
    const patched = await request(app).patch(`/api/targets/${created.body.id}`).set('Authorization', t.admin).send({ threshold: 60, source: { date: '2026-02-03' } }).expect(200);
    expect(patched.body).toMatchObject({ threshold: 60, source: { document: 'Báo Phú Thọ, 3 Feb 2026', date: '2026-02-03' } });
    await request(app).patch('/api/targets/pt-2026-5g-area').set('Authorization', t.vnpt).send({ threshold: 1 }).expect(403);
    await request(app).patch('/api/targets/999999').set('Authorization', t.admin).send({ threshold: 1 }).expect(404);
  });

  it('refuses broadband uploads without the right token, or with any error, and writes nothing', async () => {
    const rows = () => scalar('SELECT count(*) FROM broadband');
    const before = { rows: await rows(), snapshots: await snapshots() };
    const good = csv('07900,viettel,2025-12-31,19000,7300,9000');
    expect((await upload(good, null)).status).toBe(401);
    expect((await upload(good, t.planner)).status).toBe(403);
    expect((await upload(good, t.mobifone, '?operator=viettel')).status).toBe(403);
    const notYours = await upload(good, t.mobifone).expect(422);
    expect(notYours.body.issues).toEqual([expect.objectContaining({ row: 2, column: 'operator', message: expect.stringMatching(/only mobifone's/) })]);
    const bad = await upload(csv('07900,viettel,2025-12-31,19000,7300,9000', '99999,viettel,2025-12-31,1,1,', '05134,viettel,2025-12-31,10,20,'), t.viettel).expect(422);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(bad.body.issues.map((i: { row: number; column: string }) => [i.row, i.column])).toEqual([[3, 'commune_code'], [4, 'subscriptions']]);
    const record = await request(app).get(`/api/imports/${bad.body.importId}`).expect(200);
    expect(record.body).toMatchObject({ kind: 'broadband', status: 'rejected', actor: expect.stringContaining('operator viettel') });
    const dry = await upload(good, t.viettel, '?dryRun=true').expect(200);
    expect(dry.body).toMatchObject({ dryRun: true, counts: { inserted: 1, updated: 0, unchanged: 0 }, snapshotId: null });
    expect({ rows: await rows(), snapshots: await snapshots() }).toEqual(before);
  });

  it('takes the sample file and JSON, and keeps one snapshot per upload', async () => {
    const sample = await fs.readFile('geodata/samples/broadband.csv');
    const before = await snapshots();
    const first = await request(app).post('/api/broadband/import').set('Authorization', t.admin).attach('file', sample, 'broadband.csv').expect(201);
    expect(first.body).toMatchObject({ format: 'csv', rows: 10, operators: ['fpt', 'viettel', 'vnpt'], counts: { inserted: 10, updated: 0, unchanged: 0 }, snapshotId: expect.any(Number) });
    const again = await request(app).post('/api/broadband/import').set('Authorization', t.admin).attach('file', sample, 'broadband.csv').expect(201);
    expect(again.body.counts).toEqual({ inserted: 0, updated: 0, unchanged: 10 });
    const json = await upload(JSON.stringify([{ communeCode: '05134', asOf: '2026-02-28', householdsPassed: 1900, subscriptions: 1300 }]), t.viettel, '', 'application/json').expect(201);
    expect(json.body).toMatchObject({ format: 'json', operators: ['viettel'], counts: { inserted: 1 } });
    expect(await snapshots()).toBe(before + 3);
    const imports = (await request(app).get('/api/broadband/imports').expect(200)).body.items;
    expect(imports.every((i: { kind: string }) => i.kind === 'broadband')).toBe(true);
    const fiber = (await request(app).get('/api/broadband').expect(200)).body;
    expect(fiber.province).toMatchObject({ communesTotal: await communes(), communesWithData: 4, operators: ['fpt', 'viettel', 'vnpt'] });
    // Mường Hoa: viettel's latest (1,300) and vnpt's (330).
    expect(fiber.communes.find((c: { communeCode: string }) => c.communeCode === '05134')).toMatchObject({ subscriptions: 1630, asOf: '2026-02-28' });
  });

  it('keeps one snapshot per recompute, readable as commune and province series', async () => {
    const before = await snapshots();
    const stations = await request(app).post('/api/stations/import').set('Authorization', t.viettel).set('Content-Type', 'text/csv').send(STATIONS).expect(201);
    expect(stations.body.recomputeJobId).toEqual(expect.any(Number));
    await jobs.idle();
    expect(await snapshots()).toBe(before + 1);
    await request(app).post('/api/coverage/recompute').set('Authorization', t.admin).expect(202);
    await jobs.idle();
    expect(await snapshots()).toBe(before + 2);
    const province = (await request(app).get('/api/summary/history').expect(200)).body;
    expect(province.count).toBe(before + 2);
    expect(province.items.at(-1)).toMatchObject({ trigger: 'recompute', runId: expect.any(Number) });
    expect(province.items.at(-1).figures.sites_5g_count).toBe(1);
    expect(province.items.at(-1).figures['5g_population_pct']).toBeGreaterThan(0);
    const commune = (await request(app).get('/api/communes/07900/history?metric=5g_population_pct').expect(200)).body;
    expect(commune).toMatchObject({ code: '07900', name: 'Việt Trì', count: before + 2, targets: [expect.objectContaining({ threshold: 65 })] });
    expect(Object.keys(commune.items.at(-1).figures)).toEqual(['5g_population_pct']);
    expect(commune.items.at(-1).figures['5g_population_pct']).toBeGreaterThan(commune.items[0].figures['5g_population_pct'] ?? 0);
    const geo = (await request(app).get('/api/communes/07900/history?format=geojson').expect(200)).body;
    expect(geo).toMatchObject({ type: 'Feature', properties: { code: '07900', attribution: expect.stringContaining('thanglequoc') } });
    await request(app).get('/api/communes/99999/history').expect(404);
    await request(app).get('/api/summary/history?format=geojson').expect(400);
  });

  it('lists the communes below a target, largest shortfall first, as JSON, CSV and GeoJSON', async () => {
    const fiber = (await request(app).get('/api/gaps?target=pt-2026-fiber-households').expect(200)).body;
    // Fiber figures for 4 communes (the sample file and the JSON upload above), none for the others.
    expect(fiber).toMatchObject({ metric: 'fiber_households_pct', threshold: 90, communesTotal: await communes() });
    expect(fiber.noData).toHaveLength((await communes()) - 4);
    expect(fiber.items.map((g: { code: string }) => g.code)).toContain('05134');
    const shortfalls = fiber.items.map((g: { shortfallPts: number }) => g.shortfallPts);
    expect(shortfalls).toEqual([...shortfalls].sort((a, b) => b - a));
    expect(fiber.items[0]).toMatchObject({ householdsToReach: expect.any(Number), peopleToReach: null });
    const fiveG = (await request(app).get('/api/gaps?metric=5g_population_pct&threshold=65').expect(200)).body;
    expect(fiveG.items.length + fiveG.communesMeeting).toBe(await communes());
    expect(fiveG.items[0]).toMatchObject({ value: 0, shortfallPts: 65, uncoveredKm2: expect.any(Number), peopleToReach: expect.any(Number) });
    const sheet = await request(app).get('/api/gaps?target=pt-2026-fiber-households&format=csv').expect(200);
    expect(sheet.headers['content-type']).toMatch(/text\/csv; charset=utf-8/);
    expect(sheet.text.startsWith(`${BOM}code,name,metric,value,threshold,shortfallPts`)).toBe(true);
    expect(sheet.text).toContain('Mường Hoa');
    const geo = (await request(app).get('/api/gaps?target=pt-2026-fiber-households&format=geojson').expect(200)).body;
    expect(geo).toMatchObject({ type: 'FeatureCollection', attribution: expect.stringContaining('thanglequoc') });
    expect(geo.features[0].properties).toMatchObject({ rank: 1, code: fiber.items[0].code, shortfallPts: fiber.items[0].shortfallPts });
    await request(app).get('/api/gaps?target=1&metric=5g_area_pct&threshold=3').expect(400);
    await request(app).get('/api/gaps').expect(400);
    await request(app).get('/api/gaps?target=no-such-target').expect(404);
  });

  it('exports CSV with a BOM, Vietnamese intact and no live formula', async () => {
    const res = await request(app).get('/api/targets?format=csv').expect(200);
    const bytes = Buffer.from(res.text, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.text).toContain('tỷ lệ phủ sóng 5G đạt tối thiểu 65%');
    expect(res.text).toContain(`"'=HYPERLINK(""http://x"") 5G area reading"`);
    expect(res.text.split('\r\n').some((line) => /(^|,)"?[=+\-@]/.test(line))).toBe(false);
    const reported = await request(app).get('/api/reported?format=csv').expect(200);
    expect(reported.text.startsWith(BOM)).toBe(true);
    expect(reported.text).toContain('Báo Phú Thọ, 24 Dec 2025');
  });

  it('summarises the province: stations, coverage, fiber, targets met or not, reported next to computed', async () => {
    const s = (await request(app).get('/api/summary').expect(200)).body;
    expect(s.province).toMatchObject({ communes: await communes(), population: await scalar('SELECT sum(population) FROM communes') });
    expect(s.stations).toMatchObject({ sites: 1, sites_5g_count: 1, sites_5g_new_count: 1, byOperator: { viettel: { sites: 1, '4G': 1, '5G': 1 } }, byTechnology: { '5G': 1 }, synthetic: false });
    expect(s.coverage.technologies['5G']).toMatchObject({ areaPct: expect.any(Number), populationPct: expect.any(Number) });
    expect(s.coverage.operators.viettel['4G'].populationPct).toBeGreaterThan(0);
    expect(s.fiber).toMatchObject({ communesWithData: 4, synthetic: false });
    const target = (code: string) => s.targets.find((x: { code: string }) => x.code === code);
    expect(target('pt-2026-5g-coverage').status).toMatchObject({ met: false, value: s.coverage.technologies['5G'].populationPct, peopleToReach: expect.any(Number) });
    expect(target('pt-2026-5g-coverage').status.distancePts).toBeCloseTo(s.coverage.technologies['5G'].populationPct - 65, 2);
    const fiber = target('pt-2026-fiber-households').status;
    expect(fiber).toMatchObject({ value: s.fiber.fiberPct, met: s.fiber.fiberPct >= 90, partial: true, communesWithData: 4 });
    const reported = (code: string) => s.reported.find((r: { code: string }) => r.code === code);
    expect(reported('pt-2026-4g-area')).toMatchObject({ value: 98, computed: { value: s.coverage.technologies['4G'].areaPct } });
    // Counts are taken on the reported day: the 5G radio went on air after 24 Dec 2025.
    expect(reported('pt-2025-12-5g-on-air').computed).toMatchObject({ value: 0, asOf: '2025-12-24' });
    expect(reported('pt-2026-5g-urban-industrial').computed).toBeNull();
    const sheet = await request(app).get('/api/summary?format=csv').expect(200);
    expect(sheet.text.startsWith(`${BOM}kind,code,label`)).toBe(true);
  });

  it('serves the summary and gaps from a cache that any committed write empties, whoever wrote it', async () => {
    const first = (await request(app).get('/api/summary').expect(200)).body;
    expect((await request(app).get('/api/summary').expect(200)).body).toEqual(first);
    const gapsBefore = (await request(app).get('/api/gaps?metric=5g_population_pct&threshold=65').expect(200)).body;
    // Written behind the service's back, as psql or another process would: the triggers bump the versions.
    await db.knex.raw("UPDATE targets SET threshold = 64 WHERE code = 'pt-2026-5g-coverage'");
    const target = (s: { targets: Array<{ code: string; threshold: number }> }) => s.targets.find((x) => x.code === 'pt-2026-5g-coverage')!;
    expect(target((await request(app).get('/api/summary').expect(200)).body).threshold).toBe(64);
    await db.knex.raw("UPDATE targets SET threshold = 65 WHERE code = 'pt-2026-5g-coverage'");
    expect(target((await request(app).get('/api/summary').expect(200)).body).threshold).toBe(65);
    // A commune's attributes too (population drives the gaps' people to reach).
    await db.knex.raw('UPDATE communes SET population = population + 1000 WHERE code = ?', ['07900']);
    try {
      const after = (await request(app).get('/api/summary').expect(200)).body;
      expect(after.province.population).toBe(first.province.population + 1000);
      const gapsAfter = (await request(app).get('/api/gaps?metric=5g_population_pct&threshold=65').expect(200)).body;
      const vt = (g: { items: Array<{ code: string; population: number }> }) => g.items.find((i) => i.code === '07900');
      // Việt Trì is in the gaps: one 5G site covers far less than 65 % of it.
      expect(vt(gapsBefore), 'Việt Trì below 65 % 5G').toBeDefined();
      expect(vt(gapsAfter)!.population).toBe(vt(gapsBefore)!.population + 1000);
    } finally {
      await db.knex.raw('UPDATE communes SET population = population - 1000 WHERE code = ?', ['07900']);
    }
    expect((await request(app).get('/api/summary').expect(200)).body.province.population).toBe(first.province.population);
  });

  it('prints a one-page report per commune that says when the stations are synthetic', async () => {
    const plain = await request(app).get('/api/communes/05134/report').expect(200);
    expect(plain.headers['content-type']).toMatch(/text\/html; charset=utf-8/);
    expect(plain.text).toContain('Mường Hoa');
    expect(plain.text).toContain('thanglequoc/vietnamese-provinces-database');
    expect(plain.text).not.toContain('SYNTHETIC');
    await db.knex.raw("UPDATE stations SET is_demo = true WHERE site_code = 'VT-5G'");
    const demo = await request(app).get('/api/communes/07900/report').expect(200);
    expect(demo.text).toContain('SYNTHETIC demo data');
    await request(app).get('/api/communes/99999/report').expect(404);
  });
});
