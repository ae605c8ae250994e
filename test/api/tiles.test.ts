import { VectorTile } from '@mapbox/vector-tile';
import Pbf from 'pbf';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../server/app';
import { createStationsRepo } from '../../server/stations/stations.repo';
import { createTilesRepo, STATIONS_LAYER } from '../../server/tiles/tiles.repo';
import { COMMUNES_LAYER, createCommunesTilesRepo, ringArea } from '../../server/tiles/communes-tiles.repo';
import type { RadioRow } from '../../server/stations/stations.schema';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';

/** Slippy-map tile of a point at zoom z. */
function tileOf(lon: number, lat: number, z: number) {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const rad = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n);
  return { x, y };
}

function decode(buf: Buffer) {
  const layer = new VectorTile(new Pbf(buf) as never).layers[STATIONS_LAYER];
  return Array.from({ length: layer.length }, (_, i) => {
    const f = layer.feature(i);
    return { id: f.id, properties: f.properties, geometry: f.loadGeometry()[0][0] };
  }).sort((a, b) => Number(a.id) - Number(b.id));
}

const radio = (siteCode: string, lon: number, lat: number, technology: RadioRow['technology'], bandMhz: number, status: RadioRow['status'] = 'active', commissionedOn = '2020-01-01'): RadioRow => ({
  row: 2, operator: siteCode.startsWith('V') ? 'viettel' : 'vnpt', siteCode, name: siteCode, lon, lat, heightM: 30, technology, bandMhz,
  azimuthDeg: null, beamwidthDeg: null, radiusM: null, status, commissionedOn, decommissionedOn: null,
});

const getTile = (app: Express, path: string) => request(app).get(path).buffer(true).parse((r, cb) => {
  const chunks: Buffer[] = [];
  r.on('data', (c: Buffer) => chunks.push(c));
  r.on('end', () => cb(null, Buffer.concat(chunks)));
});

describe.each(ENGINES)('station tiles on the %s engine', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(engine);
    await createStationsRepo(db.knex).write([
      radio('V1', 105.4012, 21.3225, '4G', 1800), radio('V1', 105.4012, 21.3225, '5G', 2600),
      radio('V2', 105.3871, 21.3337, '3G', 2100, 'decommissioned'),
      radio('P1', 105.4100, 21.3100, '4G', 1800),
      // Built in 2026: absent from a map of 2025.
      radio('V3', 105.4050, 21.3150, '5G', 3500, 'active', '2026-03-01'),
    ], { mode: 'merge', operators: [], dryRun: false, importId: null });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('serves a tile with operator and technology attributes', async () => {
    const app = createApp({ db, config: db.config });
    const { x, y } = tileOf(105.4012, 21.3225, 12);
    const res = await request(app).get(`/tiles/stations/12/${x}/${y}.pbf`).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    }).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    const features = decode(res.body).sort((a, b) => String(a.properties.siteCode).localeCompare(String(b.properties.siteCode)));
    expect(features.map((f) => f.properties.siteCode)).toEqual(['P1', 'V1', 'V2', 'V3']);
    expect(features[1].properties).toMatchObject({ operator: 'viettel', t4G: true, t5G: true, t3G: false, technologies: '4G,5G', active: true });
    expect(features[2].properties).toMatchObject({ technologies: '3G', active: false });
    expect(features[0].properties.operator).toBe('vnpt');
    for (const f of features) {
      expect(f.geometry.x).toBeGreaterThanOrEqual(0);
      expect(f.geometry.x).toBeLessThanOrEqual(4096);
    }
    await request(app).get('/tiles/stations/12/0/0.pbf').expect(204);
    await request(app).get('/tiles/stations/3/9/0.pbf').expect(400);
    await request(app).get('/tiles/stations/99/0/0.pbf').expect(400);
  });

  it('PostGIS ST_AsMVT (where it exists) and the Node encoder give the same features', async () => {
    const auto = createTilesRepo(db.knex);
    const node = createTilesRepo(db.knex, { encoder: 'node' });
    for (const z of [9, 12, 15]) {
      const { x, y } = tileOf(105.4012, 21.3225, z);
      const a = decode(await auto.stations(z, x, y));
      const b = decode(await node.stations(z, x, y));
      expect(b.map((f) => f.properties)).toEqual(a.map((f) => f.properties));
      b.forEach((f, i) => {
        expect(Math.abs(f.geometry.x - a[i].geometry.x)).toBeLessThanOrEqual(1);
        expect(Math.abs(f.geometry.y - a[i].geometry.y)).toBeLessThanOrEqual(1);
      });
    }
    expect(auto.encoder()).toBe(engine === 'server' ? 'postgis' : 'node');
  });
  it('shows the stations as they were on a past date', async () => {
    const app = createApp({ db, config: db.config });
    const { x, y } = tileOf(105.4012, 21.3225, 12);
    const sites = async (asOf: string) => decode((await getTile(app, `/tiles/stations/12/${x}/${y}.pbf?asOf=${asOf}&v=1`).expect(200)).body)
      .map((f) => [f.properties.siteCode, f.properties.active, f.properties.technologies]);
    expect(await sites('2025-12-31')).toEqual(expect.arrayContaining([['P1', true, '4G'], ['V1', true, '4G,5G'], ['V2', false, '3G']]));
    expect((await sites('2025-12-31')).map(([code]) => code)).not.toContain('V3');
    expect((await sites('2026-06-01')).map(([code]) => code)).toContain('V3');
    await request(app).get(`/tiles/stations/12/${x}/${y}.pbf?asOf=2019-06-01`).expect(204);
    await request(app).get(`/tiles/stations/12/${x}/${y}.pbf?asOf=yesterday`).expect(400);
  });

  it('clusters the sites on air per operator below zoom 9, with the same filters as sites', async () => {
    const app = createApp({ db, config: db.config });
    for (const z of [5, 8]) {
      const { x, y } = tileOf(105.4012, 21.3225, z);
      const res = await getTile(app, `/tiles/stations/${z}/${x}/${y}.pbf`).expect(200);
      expect(res.headers['x-tile-kind']).toBe('clusters');
      const clusters = decode(res.body).map((f) => f.properties);
      expect(clusters.every((c) => c.cluster === true)).toBe(true);
      const count = (op: string) => clusters.filter((c) => c.operator === op).reduce((n, c) => n + Number(c.count), 0);
      // On air: V1 and V3 (viettel; V2 is decommissioned), P1 (vnpt).
      expect([count('viettel'), count('vnpt')]).toEqual([2, 1]);
      const n5g = clusters.filter((c) => c.operator === 'viettel').reduce((n, c) => n + Number(c.n5G), 0);
      expect(n5g).toBe(2);
      expect(clusters.filter((c) => c.operator === 'vnpt').every((c) => c.t5G === false && c.t4G === true)).toBe(true);
    }
    // On 1 Jan 2026 V3 was not built yet.
    const { x, y } = tileOf(105.4012, 21.3225, 8);
    const old = decode((await getTile(app, `/tiles/stations/8/${x}/${y}.pbf?asOf=2026-01-01`).expect(200)).body).map((f) => f.properties);
    expect(old.filter((c) => c.operator === 'viettel').reduce((n, c) => n + Number(c.count), 0)).toBe(1);
  });

  it('answers a tile again from memory, and a write made behind its back at the next request', async () => {
    const app = createApp({ db, config: db.config });
    const codes = async (z: number) => {
      const { x, y } = tileOf(105.4012, 21.3225, z);
      const res = await getTile(app, `/tiles/stations/${z}/${x}/${y}.pbf`).expect(200);
      const features = decode(res.body).map((f) => f.properties);
      return z < 9 ? features.reduce((n, c) => n + Number(c.count), 0) : features.map((f) => f.siteCode).sort();
    };
    const queries: string[] = [];
    const record = (q: { sql: string }) => queries.push(q.sql);
    db.knex.on('query', record);
    try {
      expect(await codes(12)).toEqual(['P1', 'V1', 'V2', 'V3']);
      expect(await codes(8)).toBe(3);
      const tileQueries = () => queries.filter((sql) => /ST_TileEnvelope/.test(sql)).length;
      const first = tileQueries();
      expect(await codes(12)).toEqual(['P1', 'V1', 'V2', 'V3']);
      expect(await codes(8)).toBe(3);
      expect(tileQueries()).toBe(first); // from memory
      // Plain SQL, as another process would write: no service is told.
      await db.knex.raw("UPDATE stations SET geom = ST_SetSRID(ST_MakePoint(105.4013, 21.3226), 4326) WHERE site_code = 'P1'");
      await db.knex.raw("UPDATE radios SET status = 'decommissioned' WHERE station_id = (SELECT id FROM stations WHERE site_code = 'P1')");
      expect(await codes(8)).toBe(2);
      expect(await codes(12)).toEqual(['P1', 'V1', 'V2', 'V3']);
      expect(tileQueries()).toBe(first + 2);
    } finally {
      db.knex.removeListener('query', record);
    }
  });
});

const VIET_TRI = { code: '07900', lon: 105.4012, lat: 21.3225 };

function decodeCommunes(buf: Buffer) {
  const layer = new VectorTile(new Pbf(buf) as never).layers[COMMUNES_LAYER];
  return Array.from({ length: layer.length }, (_, i) => {
    const f = layer.feature(i);
    const rings = f.loadGeometry();
    const xs = rings.flat().map((p) => p.x);
    const ys = rings.flat().map((p) => p.y);
    return {
      id: f.id, type: f.type, properties: f.properties, vertices: xs.length,
      bbox: [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
      // Exterior rings count positive, holes negative (MVT 4.3.4.4): a wrong winding shows here.
      areaUnits2: rings.reduce((sum, r) => sum + ringArea(r.map((p) => [p.x, p.y] as [number, number])), 0),
    };
  }).sort((a, b) => Number(a.id) - Number(b.id));
}

describe.each(ENGINES)('commune tiles on the %s engine', (engine) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('serves a tile of the communes with their names, kind and province; 204 where there is none, 400 for a bad address', async () => {
    const app = createApp({ db, config: db.config });
    const { x, y } = tileOf(VIET_TRI.lon, VIET_TRI.lat, 12);
    const res = await getTile(app, `/tiles/communes/12/${x}/${y}.pbf`).expect(200);
    expect(res.headers['content-type']).toBe('application/vnd.mapbox-vector-tile');
    const features = decodeCommunes(res.body);
    const vietTri = features.find((f) => f.properties.code === VIET_TRI.code);
    expect(vietTri).toMatchObject({ id: 7900, type: 3, properties: { code: '07900', name: 'Việt Trì', fullName: 'Phường Việt Trì', provinceCode: '25', kind: 'phuong' } });
    expect(Object.keys(vietTri!.properties).sort()).toEqual(['code', 'fullName', 'kind', 'name', 'provinceCode']);
    // Clipped to the tile and its 64-unit buffer.
    for (const f of features) {
      expect(f.bbox[0]).toBeGreaterThanOrEqual(-64);
      expect(f.bbox[3]).toBeLessThanOrEqual(4096 + 64);
    }
    // The whole province in one z7 tile.
    const z7 = tileOf(VIET_TRI.lon, VIET_TRI.lat, 7);
    expect(decodeCommunes((await getTile(app, `/tiles/communes/7/${z7.x}/${z7.y}.pbf`).expect(200)).body).length).toBe(148);
    await request(app).get('/tiles/communes/12/0/0.pbf').expect(204);
    await request(app).get('/tiles/communes/3/9/0.pbf').expect(400);
    await request(app).get('/tiles/communes/99/0/0.pbf').expect(400);
    await request(app).get('/tiles/communes/x/0/0.pbf').expect(400);
  });

  it('PostGIS ST_AsMVT (where it exists) and the Node encoder give the same communes, properties and outlines', async () => {
    const auto = createCommunesTilesRepo(db.knex);
    const node = createCommunesTilesRepo(db.knex, { encoder: 'node' });
    for (const z of [7, 10, 13]) {
      const { x, y } = tileOf(VIET_TRI.lon, VIET_TRI.lat, z);
      const a = decodeCommunes(await auto.communes(z, x, y));
      const b = decodeCommunes(await node.communes(z, x, y));
      expect(a.length).toBeGreaterThan(0);
      expect(b.map((f) => [f.id, f.properties])).toEqual(a.map((f) => [f.id, f.properties]));
      b.forEach((f, i) => {
        expect(f.type).toBe(3);
        // The same outline to two tile units (snapping and validity repair may differ by one), the
        // same area to 3 % or 8 units² (the encoders keep different one-unit slivers).
        const where = `${f.properties.code} at z${z}`;
        f.bbox.forEach((v, k) => expect(Math.abs(v - a[i].bbox[k]), where).toBeLessThanOrEqual(2));
        expect(f.areaUnits2, where).toBeGreaterThan(0);
        expect(Math.abs(f.areaUnits2 - a[i].areaUnits2), where).toBeLessThanOrEqual(Math.max(8, 0.03 * a[i].areaUnits2));
      });
    }
    expect(auto.encoder()).toBe(engine === 'server' ? 'postgis' : 'node');
  });

  it('simplifies the outlines by zoom', async () => {
    const repo = createCommunesTilesRepo(db.knex);
    const vertices = async (z: number) => {
      const { x, y } = tileOf(VIET_TRI.lon, VIET_TRI.lat, z);
      return decodeCommunes(await repo.communes(z, x, y)).find((f) => f.properties.code === VIET_TRI.code)!.vertices;
    };
    // Whole in each of these tiles; the display geometry's own detail is reached by z9.
    const [z5, z7, z9] = [await vertices(5), await vertices(7), await vertices(9)];
    expect(z5).toBeLessThan(z7);
    expect(z7).toBeLessThan(z9);
  });

  it('answers a tile again from memory, and an edit of the communes at the next request', async () => {
    const app = createApp({ db, config: db.config });
    const { x, y } = tileOf(VIET_TRI.lon, VIET_TRI.lat, 11);
    const name = async () => decodeCommunes((await getTile(app, `/tiles/communes/11/${x}/${y}.pbf`).expect(200)).body).find((f) => f.properties.code === VIET_TRI.code)!.properties.name;
    const queries: string[] = [];
    const record = (q: { sql: string }) => queries.push(q.sql);
    db.knex.on('query', record);
    try {
      expect(await name()).toBe('Việt Trì');
      const tileQueries = () => queries.filter((sql) => /ST_TileEnvelope/.test(sql)).length;
      const first = tileQueries();
      expect(await name()).toBe('Việt Trì');
      expect(tileQueries()).toBe(first); // from memory
      await db.knex.raw("UPDATE communes SET name = 'Việt Trì (test)' WHERE code = ?", [VIET_TRI.code]);
      expect(await name()).toBe('Việt Trì (test)');
      expect(tileQueries()).toBe(first + 1);
    } finally {
      db.knex.removeListener('query', record);
    }
  });
});
