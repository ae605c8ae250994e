import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { migrateToLatest } from '../../server/db/migrate';
import { MIGRATIONS } from '../../server/db/migrations/index';
import { createCommunesRepo } from '../../server/communes/communes.repo';
import { importCommunes } from '../../server/communes/communes.import';
import { importProvinceFolder } from '../../server/communes/default-province';
import { ValidationError } from '../../server/errors';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';

const OTHER_FIELDS = path.resolve('test/fixtures/communes/other-fields.geojson');
const run = promisify(execFile);

describe.each(ENGINES)('communes on the %s engine', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(engine, 'empty');
  });
  afterAll(async () => {
    await db?.close();
  });

  const scalar = async <T>(sql: string): Promise<T> => Object.values((await db.knex.raw(sql)).rows[0])[0] as T;
  /** The communes stored: what every list below must hold, whichever file was imported. */
  const stored = () => scalar<number>('SELECT count(*) FROM communes');

  it('migrates up from empty, once', async () => {
    expect(await migrateToLatest(db.knex)).toEqual(MIGRATIONS.map(([name]) => name));
    expect(await migrateToLatest(db.knex)).toEqual([]);
    expect(await scalar<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'communes'::regclass AND attname = 'geom'"))
      .toBe('geometry(MultiPolygon,4326)');
    expect(await scalar<number>("SELECT count(*) FROM pg_indexes WHERE tablename = 'communes' AND indexdef LIKE '%USING gist (geom)%'")).toBe(1);
  });

  it('imports the real Phú Thọ file: 148 communes, 15 phường, 133 xã, 9,353 km²', async () => {
    const report = await importProvinceFolder(createCommunesRepo(db.knex), db.config.geodataDir);
    expect(report).toMatchObject({ features: 148, inserted: 148, updated: 0, rejected: [] });
    expect(await scalar<number>("SELECT count(*) FROM communes WHERE kind = 'phuong'")).toBe(15);
    expect(await scalar<number>("SELECT count(*) FROM communes WHERE kind = 'xa'")).toBe(133);
    const areaKm2 = await scalar<number>('SELECT sum(ST_Area(geom::geography)) / 1e6 FROM communes');
    expect(Math.abs(areaKm2 - 9353) / 9353).toBeLessThan(0.005);
    expect(await scalar<number>('SELECT sum(population) FROM communes')).toBe(4014299);
    expect(await scalar<number>('SELECT count(*) FROM communes WHERE households IS NULL OR households_method IS NULL')).toBe(0);
    expect(await scalar<number>('SELECT count(*) FROM communes WHERE NOT ST_IsValid(geom_display) OR ST_NPoints(geom_display) >= ST_NPoints(geom)')).toBe(0);
  });

  it('re-imports idempotently', async () => {
    const fingerprint = () => scalar<string>("SELECT md5(string_agg(code || name || kind || coalesce(population, 0) || coalesce(households, 0) || ST_AsBinary(geom)::text, ',' ORDER BY code)) FROM communes");
    const before = await fingerprint();
    const report = await importProvinceFolder(createCommunesRepo(db.knex), db.config.geodataDir);
    expect(report).toMatchObject({ inserted: 0, updated: await stored() });
    expect(await fingerprint()).toBe(before);
  });

  it('repairs an invalid polygon with ST_MakeValid and reports it', async () => {
    const bowtie = { type: 'Polygon', coordinates: [[[104, 20], [104.01, 20.01], [104.01, 20], [104, 20.01], [104, 20]]] };
    const text = JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { ma_xa: '99001', ten: 'Thử', loai: 'Xã', ma_tinh: '99' }, geometry: bowtie }] });
    const report = await importCommunes(createCommunesRepo(db.knex), text);
    expect(report.repaired).toEqual([expect.objectContaining({ index: 0, code: '99001', reason: expect.stringMatching(/Self-intersection/i) })]);
    expect(await scalar<boolean>("SELECT ST_IsValid(geom) AND GeometryType(geom) = 'MULTIPOLYGON' FROM communes WHERE code = '99001'")).toBe(true);
    await db.knex.raw("DELETE FROM communes WHERE code = '99001'");
  });

  it.each([
    ['not JSON', 'this is not json', /not valid JSON/],
    ['not a FeatureCollection', '{"type":"Point","coordinates":[105,21]}', /not a GeoJSON FeatureCollection/],
    ['points instead of polygons', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { ma_xa: '08155' }, geometry: { type: 'Point', coordinates: [105, 21] } }] }), /no Polygon or MultiPolygon/],
    ['a feature without a code', JSON.stringify({ type: 'FeatureCollection', features: [
      { type: 'Feature', properties: { ma_xa: '08155', ten: 'X', loai: 'Xã', ma_tinh: '25' }, geometry: { type: 'Polygon', coordinates: [[[105, 21], [105.1, 21], [105.1, 21.1], [105, 21]]] } },
      { type: 'Feature', properties: { ten: 'Y' }, geometry: { type: 'Polygon', coordinates: [[[105, 21], [105.1, 21], [105.1, 21.1], [105, 21]]] } },
    ] }), /1 of 2 features rejected; nothing was imported/],
    ['an unreadable geometry', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { ma_xa: '08155', ten: 'X', loai: 'Xã', ma_tinh: '25' }, geometry: { type: 'Polygon', coordinates: [[[105, 21], [105.1, 21], [105.1], [105, 21]]] } }] }), /rejected; nothing was imported/],
  ])('refuses a file with %s and changes nothing', async (_name, text, message) => {
    const before = await scalar<string>("SELECT md5(string_agg(code || name || imported_at::text, ',' ORDER BY code)) FROM communes");
    await expect(importCommunes(createCommunesRepo(db.knex), text)).rejects.toThrow(ValidationError);
    await expect(importCommunes(createCommunesRepo(db.knex), text)).rejects.toThrow(message);
    expect(await scalar<string>("SELECT md5(string_agg(code || name || imported_at::text, ',' ORDER BY code)) FROM communes")).toBe(before);
  });

  it('serves the API', async () => {
    const app = createApp({ db, config: db.config });
    const health = await request(app).get('/api/health').expect(200);
    expect(health.body).toEqual({ status: 'ok', database: engine, postgis: expect.stringMatching(/^3\.\d+/) });

    const list = await request(app).get('/api/communes').expect(200);
    expect(list.body.count).toBe(await stored());
    expect(list.body.items).toHaveLength(list.body.count);
    expect(list.body.items[0]).toEqual({
      code: expect.stringMatching(/^\d{5}$/), name: expect.any(String), fullName: expect.any(String), kind: expect.stringMatching(/^(xa|phuong)$/),
      population: expect.any(Number), households: expect.any(Number), areaKm2: expect.any(Number), provinceCode: '25',
    });

    const geo = await request(app).get('/api/communes?format=geojson').expect(200);
    expect(geo.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(geo.body.type).toBe('FeatureCollection');
    expect(geo.body.features).toHaveLength(await stored());
    expect(geo.body.attribution).toMatch(/thanglequoc/);

    const one = await request(app).get('/api/communes/07900').expect(200);
    expect(one.body).toMatchObject({ type: 'Feature', properties: { code: '07900', fullName: 'Phường Việt Trì', kind: 'phuong', provinceCode: '25' }, geometry: { type: 'MultiPolygon' } });

    const missing = await request(app).get('/api/communes/99999').expect(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(missing.body).toMatchObject({ status: 404, title: 'Not found', detail: 'no commune with code 99999' });

    const bad = await request(app).get("/api/communes/1' OR '1'='1").expect(400);
    expect(bad.body).toMatchObject({ status: 400, issues: [expect.objectContaining({ column: 'code' })] });
    await request(app).get('/api/communes?format=kml').expect(400);
    const none = await request(app).get('/api/nothing-here').expect(404);
    expect(none.headers['content-type']).toMatch(/problem\+json/);
  });

  it('serves an overview geometry for the whole-province view, and the boundaries fresh after a write', async () => {
    const app = createApp({ db, config: db.config });
    const vertices = (fc: GeoJSON.FeatureCollection<GeoJSON.MultiPolygon>) => fc.features.reduce((n, f) => n + f.geometry.coordinates.flat(2).length, 0);
    const display = (await request(app).get('/api/communes?format=geojson').expect(200)).body;
    const overview = (await request(app).get('/api/communes?format=geojson&geometry=overview').expect(200)).body;
    expect(overview.features).toHaveLength(display.features.length);
    expect(overview.features.map((f: GeoJSON.Feature) => f.properties)).toEqual(display.features.map((f: GeoJSON.Feature) => f.properties));
    expect(overview.features.every((f: GeoJSON.Feature) => f.geometry.type === 'MultiPolygon')).toBe(true);
    expect(overview.attribution).toBe(display.attribution);
    // About 90 m against about 20 m: well under half the vertices.
    expect(vertices(overview)).toBeLessThan(vertices(display) * 0.5);
    // …yet every ring still a closed ring (at least 4 positions, the last the first).
    const rings = overview.features.flatMap((f: GeoJSON.Feature<GeoJSON.MultiPolygon>) => f.geometry.coordinates.flat());
    expect(rings.length).toBeGreaterThanOrEqual(overview.features.length);
    expect(rings.filter((r: GeoJSON.Position[]) => r.length < 4 || r[0].join() !== r[r.length - 1].join())).toEqual([]);
    await request(app).get('/api/communes?format=geojson&geometry=full').expect(400);

    // Served from memory until the data change; a rename in plain SQL shows at the next request.
    const before = display.features.find((f: GeoJSON.Feature) => f.properties?.code === '07900').properties.name;
    await db.knex.raw("UPDATE communes SET name = 'Việt Trì (renamed)' WHERE code = '07900'");
    try {
      for (const q of ['', '&geometry=overview']) {
        const fc = (await request(app).get(`/api/communes?format=geojson${q}`).expect(200)).body;
        expect(fc.features.find((f: GeoJSON.Feature) => f.properties?.code === '07900').properties.name).toBe('Việt Trì (renamed)');
      }
    } finally {
      await db.knex.raw('UPDATE communes SET name = ? WHERE code = ?', [before, '07900']);
    }
  });

  it('geodata:import follows the field flags, through the process that holds the database', async () => {
    const env = { ...process.env, DATA_DIR: db.config.dataDir, DATABASE_URL: engine === 'server' ? db.config.databaseUrl! : '', LOG_LEVEL: 'silent' };
    const flags = ['--file', OTHER_FIELDS, '--code-field', 'MaXa', '--name-field', 'TenXa', '--population-field', 'DanSo', '--kind-field', 'Cap', '--province-code', '25'];
    // The file's three polygons are coarser than the full-resolution ones held: kept unless --replace.
    const kept = await run('npx', ['tsx', 'scripts/geodata-import.ts', ...flags], { env });
    expect(kept.stdout).toMatch(/features: 3, inserted: 0, updated: 0,/);
    expect(kept.stdout).toMatch(/kept 3 stored communes \(3 of province 25\)/);
    const { stdout } = await run('npx', ['tsx', 'scripts/geodata-import.ts', ...flags, '--replace'], { env });
    expect(stdout).toMatch(/features: 3, inserted: 0, updated: 3/);
    const file = JSON.parse(await fs.readFile(OTHER_FIELDS, 'utf8'));
    const code = String(file.features[0].properties.MaXa).padStart(5, '0');
    const row = (await db.knex.raw('SELECT name, population, kind FROM communes WHERE code = ?', [code])).rows[0];
    expect(row).toEqual({ name: file.features[0].properties.TenXa, population: Number(file.features[0].properties.DanSo), kind: 'phuong' });

    const failed = await run('npx', ['tsx', 'scripts/geodata-import.ts', '--file', 'package.json'], { env }).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/not a GeoJSON FeatureCollection/);
  });
});
