import fs from 'node:fs/promises';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../server/app';
import { createStationsRepo } from '../../server/stations/stations.repo';
import { positionKey } from '../../server/stations/stations.schema';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';
import { makeTokens } from '../helpers/tokens';

const HEADER = 'site_code,name,lon,lat,technology,band_mhz,height_m,azimuth_deg,beamwidth_deg,radius_m,status,commissioned_on,decommissioned_on';
// Việt Trì (07900) and around; all inside the province.
const SITE_A = ['VT-A', 'Gia Cẩm', '105.4012', '21.3225'];
const SITE_B = ['VT-B', 'Nông Trang', '105.3871', '21.3337'];
const SITE_C = ['VT-C', 'Bạch Hạc', '105.4310', '21.2850'];
const row = (site: string[], tech: string, band: number, azimuth = '', status = 'active', commissioned = '2020-01-01') =>
  [...site, tech, band, 30, azimuth, azimuth ? 65 : '', '', status, commissioned, ''].join(',');
const csv = (...rows: string[]) => Buffer.from([HEADER, ...rows].join('\n') + '\n');

const FIRST = csv(row(SITE_A, '4G', 1800, '0'), row(SITE_A, '4G', 1800, '120'), row(SITE_A, '5G', 2600, '0'), row(SITE_B, '4G', 1800), row(SITE_C, '3G', 2100));

describe.each(ENGINES)('stations on the %s engine', (engine) => {
  let db: TestDatabase;
  let app: Express;
  let t: Awaited<ReturnType<typeof makeTokens>>;
  const counts = async () => (await db.knex.raw('SELECT (SELECT count(*) FROM stations) AS s, (SELECT count(*) FROM radios) AS r, (SELECT count(*) FROM station_events) AS e')).rows[0];
  const upload = (body: Buffer, token: string | null, query = '') => {
    const r = request(app).post(`/api/stations/import${query}`).set('Content-Type', 'text/csv');
    return (token ? r.set('Authorization', token) : r).send(body);
  };

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    app = createApp({ db, config: db.config });
    t = await makeTokens(db.knex);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('refuses writes without a token (401), from another operator (403) and from a planner (403)', async () => {
    const before = await counts();
    expect((await upload(FIRST, null)).status).toBe(401);
    expect((await upload(FIRST, 'Bearer psg_nope')).status).toBe(401);
    const other = await upload(FIRST, t.mobifone, '?operator=viettel');
    expect(other.status).toBe(403);
    expect((await upload(FIRST, t.planner, '?operator=viettel')).status).toBe(403);
    // an admin upload without operator column nor ?operator names nobody
    const admin = await upload(FIRST, t.admin);
    expect(admin.status).toBe(422);
    expect(admin.body.issues[0].column).toBe('operator');
    expect(await counts()).toEqual(before);
  });

  it('dry run reports what would change and writes nothing', async () => {
    const before = await counts();
    const res = await upload(FIRST, t.viettel, '?dryRun=true').expect(200);
    expect(res.body).toMatchObject({ dryRun: true, rows: 5, counts: { stationsInserted: 3, radiosInserted: 5, radiosUpdated: 0, radiosUnchanged: 0, radiosDecommissioned: 0 } });
    expect(await counts()).toEqual(before);
  });

  it('merges: inserts, then finds everything unchanged, then updates one radio', async () => {
    const first = await upload(FIRST, t.viettel).expect(201);
    expect(first.body).toMatchObject({ status: 'succeeded', format: 'csv', operators: ['viettel'], counts: { stationsInserted: 3, radiosInserted: 5 } });
    expect(first.body.touchedCommunes).toContain('07900');
    const again = await upload(FIRST, t.viettel).expect(201);
    expect(again.body.counts).toEqual({ stationsInserted: 0, stationsUpdated: 0, radiosInserted: 0, radiosUpdated: 0, radiosUnchanged: 5, radiosDecommissioned: 0 });
    const changed = csv(row(SITE_A, '4G', 1800, '0', 'active', '2019-05-05'));
    expect((await upload(changed, t.viettel).expect(201)).body.counts).toMatchObject({ radiosUpdated: 1, radiosUnchanged: 0 });
    const station = (await db.knex.raw("SELECT commune_code FROM stations WHERE site_code = 'VT-A'")).rows[0];
    expect(station.commune_code).toBe('07900');
  });

  it('replace decommissions what the file lacks and keeps the rows and their history', async () => {
    const res = await upload(csv(row(SITE_A, '4G', 1800, '0'), row(SITE_A, '4G', 1800, '120'), row(SITE_B, '4G', 1800)), t.viettel, '?mode=replace').expect(201);
    expect(res.body.counts).toMatchObject({ radiosDecommissioned: 2 });
    const { rows } = await db.knex.raw("SELECT s.site_code, r.technology, r.status, r.decommissioned_on IS NOT NULL AS dated FROM radios r JOIN stations s ON s.id = r.station_id WHERE r.status = 'decommissioned' ORDER BY 1, 2");
    expect(rows).toEqual([{ site_code: 'VT-A', technology: '5G', status: 'decommissioned', dated: true }, { site_code: 'VT-C', technology: '3G', status: 'decommissioned', dated: true }]);
    const id = (await db.knex.raw("SELECT id FROM stations WHERE site_code = 'VT-C'")).rows[0].id;
    const detail = await request(app).get(`/api/stations/${id}`).expect(200);
    expect(detail.body.radios).toHaveLength(1);
    expect(detail.body.history.map((h: { change: string }) => h.change)).toEqual(['created', 'decommissioned']);
    // mobifone's replace does not touch viettel
    await upload(csv(row(['MF-1', 'MobiFone 1', '105.40', '21.32'], '4G', 1800)), t.mobifone, '?mode=replace').expect(201);
    expect((await db.knex.raw("SELECT count(*) AS n FROM radios WHERE status = 'decommissioned'")).rows[0].n).toBe(2);
  });

  it('rejects a file with errors as 422 with row and column, and changes nothing', async () => {
    const before = await counts();
    const bad = csv(
      row(SITE_A, '4G', 1800, '0'),
      ['VT-X', 'Swapped', '21.3225', '105.4012', '4G', 1800, 30, '', '', '', 'active', '2020-01-01', ''].join(','),
      row(['VT-Y', 'Bad tech', '105.40', '21.32'], '6G', 1800),
      row(['VT-Z', 'Bad band', '105.40', '21.32'], '4G', 3500),
      ['VT-W', 'Bad height', '105.40', '21.32', '4G', 1800, -5, '', '', '', 'active', '2020-13-45', ''].join(','),
      row(['VT-F', 'Far away', '106.70', '10.77'], '4G', 1800),
    );
    const res = await upload(bad, t.viettel).expect(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const at = (r: number) => res.body.issues.filter((i: { row: number }) => i.row === r).map((i: { column: string }) => i.column);
    expect(at(3)).toEqual(expect.arrayContaining(['lat']));
    expect(at(4)).toEqual(['technology']);
    expect(at(5)).toEqual(['band_mhz']);
    expect(at(6)).toEqual(expect.arrayContaining(['height_m', 'commissioned_on']));
    expect(res.body.issues.find((i: { row: number }) => i.row === 3).message).toMatch(/swapped/i);
    expect(res.body.importId).toEqual(expect.any(Number));
    expect(await counts()).toEqual(before);
    const record = await request(app).get(`/api/imports/${res.body.importId}`).expect(200);
    expect(record.body).toMatchObject({ status: 'rejected', actor: expect.stringContaining('operator viettel'), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('a point far outside the province is an error; one just outside every commune a warning', async () => {
    const far = await upload(csv(row(['VT-F', 'Sài Gòn', '106.70', '10.77'], '4G', 1800)), t.viettel).expect(422);
    expect(far.body.issues[0]).toMatchObject({ row: 2, severity: 'error' });
    // Hà Nội's Sơn Tây, a few km east of the border of Phú Thọ
    const near = await upload(csv(row(['VT-N', 'Sơn Tây', '105.52', '21.14'], '4G', 1800)), t.viettel, '?dryRun=true').expect(200);
    expect(near.body.warnings).toEqual([expect.objectContaining({ row: 2, severity: 'warning' })]);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['header only', Buffer.from(HEADER + '\n')],
    ['binary', Buffer.from([0x00, 0xff, 0x13, 0x37, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0])],
    ['not CSV at all', Buffer.from('<html><body>hello</body></html>')],
    ['Latin-1 instead of UTF-8', Buffer.concat([Buffer.from(HEADER + '\n'), Buffer.from('VT-L,Vi\xeat Tr\xec,105.40,21.32,4G,1800,30,,,,active,2020-01-01,\n', 'latin1')])],
  ])('a hostile file (%s) is refused with a problem and changes nothing', async (_name, body) => {
    const before = await counts();
    const res = await upload(body, t.viettel);
    expect([400, 413, 415, 422]).toContain(res.status);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toBeTruthy();
    expect(await counts()).toEqual(before);
  });

  it('refuses a file over the size limit with 413', async () => {
    const small = createApp({ db, config: { ...db.config, maxUploadBytes: 1024 } });
    const big = csv(...Array.from({ length: 40 }, (_, i) => row([`VT-${i}`, 'x', '105.40', '21.32'], '4G', 1800)));
    const res = await request(small).post('/api/stations/import').set('Authorization', t.viettel).set('Content-Type', 'text/csv').send(big);
    expect(res.status).toBe(413);
    const multipart = await request(small).post('/api/stations/import').set('Authorization', t.viettel).attach('file', big, 'big.csv');
    expect(multipart.status).toBe(413);
  });

  it('keeps formula-like and SQL-like text as plain text', async () => {
    const sneaky = csv(row(['VT-Q', '=HYPERLINK("http://x")', '105.40', '21.32'], '4G', 1800), row(['VT-R', "x'); DROP TABLE stations;--", '105.41', '21.33'], '4G', 1800));
    await upload(sneaky, t.viettel).expect(201);
    const { rows } = await db.knex.raw("SELECT name FROM stations WHERE site_code IN ('VT-Q', 'VT-R') ORDER BY site_code");
    expect(rows.map((r: { name: string }) => r.name)).toEqual(['=HYPERLINK("http://x")', "x'); DROP TABLE stations;--"]);
  });

  it('accepts multipart uploads and each sample format', async () => {
    for (const [file, query] of [['stations.csv', ''], ['stations-vi.csv', ''], ['stations.xlsx', ''], ['opencellid.csv', '?format=opencellid'], ['stations.geojson', '']] as const) {
      const data = await fs.readFile(`geodata/samples/${file}`);
      const res = await request(app).post(`/api/stations/import${query}${query ? '&' : '?'}dryRun=true`).set('Authorization', t.admin).attach('file', data, file);
      expect(res.status, `${file}: ${JSON.stringify(res.body).slice(0, 400)}`).toBe(200);
      expect(res.body.counts.radiosInserted + res.body.counts.radiosUpdated + res.body.counts.radiosUnchanged).toBeGreaterThan(0);
    }
  });

  it('lists stations with filters, GeoJSON and cursor pages', async () => {
    const all = await request(app).get('/api/stations?operator=viettel&limit=2').expect(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.nextCursor).toEqual(expect.any(String));
    const next = await request(app).get(`/api/stations?operator=viettel&limit=2&cursor=${all.body.nextCursor}`).expect(200);
    expect(next.body.items[0].id).toBeGreaterThan(all.body.items[1].id);
    const fiveG = await request(app).get('/api/stations?technology=5G&status=active').expect(200);
    expect(fiveG.body.items.every((s: { radios: Array<{ technology: string }> }) => s.radios.some((r) => r.technology === '5G'))).toBe(true);
    const geo = await request(app).get('/api/stations?format=geojson&bbox=105.3,21.2,105.5,21.4&commune=07900').expect(200);
    expect(geo.body.type).toBe('FeatureCollection');
    expect(geo.body.features.length).toBeGreaterThan(0);
    expect(geo.body.features.every((f: { properties: { communeCode: string } }) => f.properties.communeCode === '07900')).toBe(true);
    await request(app).get('/api/stations?bbox=1,2,3').expect(400);
    await request(app).get('/api/stations?limit=100000').expect(400);
    await request(app).get('/api/stations/999999').expect(404);
    const imports = await request(app).get('/api/imports').expect(200);
    expect(imports.body.items.length).toBeGreaterThan(3);
    expect(imports.body.items[0]).not.toHaveProperty('report');
  });

  it('a station that moves: PostGIS places it again, both communes are touched, its history lists radios first', async () => {
    const at = (lon: string, lat: string, beamwidth = '') =>
      ['VT-MOVE', 'Moving', lon, lat, '4G', 1800, 30, '', beamwidth, '', 'active', '2021-01-01', ''].join(',');
    await upload(csv(at('105.4012', '21.3225')), t.viettel).expect(201);
    const moved = await upload(csv(at('105.2000', '21.4000', '360')), t.viettel).expect(201);
    expect(moved.body.counts).toMatchObject({ stationsUpdated: 1, radiosUpdated: 1 });
    const { rows } = await db.knex.raw(
      `SELECT s.id, s.commune_code, (SELECT c.code FROM communes c WHERE ST_Intersects(c.geom, s.geom) ORDER BY c.code LIMIT 1) AS postgis
         FROM stations s WHERE s.site_code = 'VT-MOVE'`,
    );
    expect(rows[0].commune_code).toBe(rows[0].postgis);
    expect(rows[0].commune_code).not.toBe('07900');
    expect(moved.body.touchedCommunes).toEqual(expect.arrayContaining(['07900', rows[0].commune_code]));
    const history = (await request(app).get(`/api/stations/${rows[0].id}`).expect(200)).body.history;
    expect(history.map((h: { change: string; radioId: number | null }) => [h.change, h.radioId === null ? 'station' : 'radio'])).toEqual([
      ['created', 'radio'], ['updated', 'radio'], ['updated', 'station'],
    ]);
  });

  it('stores for every station the commune PostGIS finds for its position, near borders too', async () => {
    // A grid across the province: points deep inside, on the seams between communes, and just outside.
    const rows: string[] = [];
    for (let i = 0; i < 24; i++) {
      for (let j = 0; j < 24; j++) {
        const lon = (104.9 + i * 0.05).toFixed(4);
        const lat = (20.5 + j * 0.05).toFixed(4);
        rows.push(['GRID-' + i + '-' + j, 'Grid', lon, lat, '4G', 1800, 30, '', '', '', 'active', '', ''].join(','));
      }
    }
    const res = await upload(csv(...rows), t.admin, '?operator=vnpt');
    expect([201, 422]).toContain(res.status);
    // Points more than 10 km out are refused: keep the others and write them.
    const far = new Set((res.body.issues ?? []).filter((i: { severity: string }) => i.severity === 'error').map((i: { row: number }) => i.row));
    const kept = rows.filter((_, k) => !far.has(k + 2));
    const written = await upload(csv(...kept), t.admin, '?operator=vnpt').expect(201);
    expect(written.body.counts.stationsInserted).toBe(kept.length);
    const { rows: wrong } = await db.knex.raw(
      `SELECT s.site_code, s.commune_code, (SELECT c.code FROM communes c WHERE ST_Intersects(c.geom, s.geom) ORDER BY c.code LIMIT 1) AS postgis
         FROM stations s WHERE s.site_code LIKE 'GRID-%'`,
    );
    expect(wrong.length).toBe(kept.length);
    expect(wrong.filter((r: { commune_code: string | null; postgis: string | null }) => r.commune_code !== r.postgis)).toEqual([]);
    expect(wrong.some((r: { commune_code: string | null }) => r.commune_code === null)).toBe(true);
  });

  it('the repository places rows itself when no commune comes with them, and trusts the ones that do', async () => {
    const repo = createStationsRepo(db.knex);
    const radio = (siteCode: string, lon: number, lat: number) => ({
      row: 2, operator: 'gmobile', siteCode, name: siteCode, lon, lat, heightM: null, technology: '4G' as const, bandMhz: 1800,
      azimuthDeg: null, beamwidthDeg: null, radiusM: null, status: 'active' as const, commissionedOn: null, decommissionedOn: null,
    });
    const options = { mode: 'merge' as const, operators: [], dryRun: false, importId: null };
    const located = await repo.write([radio('GM-1', 105.4012, 21.3225)], options);
    expect(located.touchedCommunes).toEqual(['07900']);
    const given = await repo.write([radio('GM-2', 105.4012, 21.3225)], { ...options, communeAt: new Map([[positionKey({ lon: 105.4012, lat: 21.3225 }), null]]) });
    expect(given.touchedCommunes).toEqual([]);
    const { rows } = await db.knex.raw("SELECT site_code, commune_code FROM stations WHERE site_code IN ('GM-1', 'GM-2') ORDER BY 1");
    expect(rows).toEqual([{ site_code: 'GM-1', commune_code: '07900' }, { site_code: 'GM-2', commune_code: null }]);
  });
});
