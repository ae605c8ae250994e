// Every route of the API, called with real data, answers what /api/openapi.json says: each 2xx
// JSON or GeoJSON body is parsed with the zod schema documented for it (the same object the
// OpenAPI document is generated from). A route without a schema for its answer, a route of the
// app missing from the document, or a documented route this test does not call, fails it.
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import type { ZodType } from 'zod';
import { createApp } from '../../server/app';
import { createJobs, type Jobs } from '../../server/jobs/jobs';
import { listRoutes } from '../../server/http/routes-list';
import { toOpenApiPath } from '../../server/openapi/openapi';
import { DOCUMENTED_OPERATIONS } from '../../server/openapi/openapi';
import { ProblemSchema, problemStatuses, type ApiOperation } from '../../server/openapi/registry';
import type { Station } from '../../server/contract/answers';
import { TECHNOLOGIES, isOnAir } from '../../server/contract/rules';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';
import { makeTokens } from '../helpers/tokens';

const VIET_TRI = '07900';
const TODAY = new Date().toISOString().slice(0, 10);
// Sites of three operators in and around Việt Trì: every technology, sectors, a planned radio,
// one taken off air, and a 5G site commissioned after the merger.
const STATIONS = [
  'operator,site_code,name,lon,lat,technology,band_mhz,height_m,azimuth_deg,beamwidth_deg,status,commissioned_on,decommissioned_on',
  'viettel,CT-1,Gia Cẩm,105.4012,21.3225,4G,1800,30,,,active,2020-01-01,',
  'viettel,CT-1,Gia Cẩm,105.4012,21.3225,5G,2600,30,120,65,active,2025-09-01,',
  'viettel,CT-2,Tiên Cát,105.4210,21.3050,2G,900,25,,,active,2010-05-01,',
  'vnpt,CT-3,Nông Trang,105.3900,21.3300,3G,2100,35,,,active,2012-03-01,',
  'vnpt,CT-3,Nông Trang,105.3900,21.3300,4G,1800,35,,,decommissioned,2016-10-01,2025-01-01',
  'mobifone,CT-4,Thanh Miếu,105.4100,21.3150,4G,1800,30,,,planned,,',
].join('\n') + '\n';
const FIBER = 'commune_code,operator,as_of,households_passed,subscriptions,ports\n07900,viettel,2025-12-31,19000,7300,9000\n07900,vnpt,2025-12-31,15000,6100,\n';

interface Call {
  /** `METHOD /openapi/{path}` of the operation, as the document lists it. */
  route: string;
  url: string | (() => string);
  token?: 'admin';
  send?: { type: string; body: string | object };
  /** Run after the answer is checked (to learn ids for later calls). */
  then?: (body: unknown) => void | Promise<void>;
}

describe.each(ENGINES)('the API contract on the %s engine', (engine) => {
  let db: TestDatabase;
  let app: Express;
  let jobs: Jobs;
  let admin: string;
  const ids = { station: 0, import: 0, job: 0, target: 0, scenario: 0, plan: 0 };

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    jobs = createJobs();
    app = createApp({ db, config: db.config, jobs });
    admin = (await makeTokens(db.knex)).admin;
  }, 120_000);
  afterAll(async () => {
    await jobs?.idle();
    await db?.close();
  });

  /** Writes first (they make the data), then every read, several representations each. */
  const calls = (): Call[] => [
    { route: 'POST /api/stations/import', url: '/api/stations/import?dryRun=true', token: 'admin', send: { type: 'text/csv', body: STATIONS } },
    {
      route: 'POST /api/stations/import', url: '/api/stations/import', token: 'admin', send: { type: 'text/csv', body: STATIONS },
      then: async (b) => {
        ids.import = (b as { importId: number }).importId;
        await jobs.idle(); // the recompute of the communes the stations reach
      },
    },
    { route: 'POST /api/broadband/import', url: '/api/broadband/import?dryRun=true', token: 'admin', send: { type: 'text/csv', body: FIBER } },
    { route: 'POST /api/broadband/import', url: '/api/broadband/import', token: 'admin', send: { type: 'text/csv', body: FIBER } },
    {
      route: 'POST /api/targets', url: '/api/targets', token: 'admin',
      send: { type: 'application/json', body: { code: 'ct-2030-4g-area', title: '4G over 95 % of each commune', metric: '4g_area_pct', threshold: 95, deadlineYear: 2030, scope: 'commune', source: { document: 'contract test' } } },
      then: (b) => { ids.target = (b as { id: number }).id; },
    },
    { route: 'PATCH /api/targets/{id}', url: () => `/api/targets/${ids.target}`, token: 'admin', send: { type: 'application/json', body: { notes: 'checked by the contract test' } } },
    { route: 'POST /api/coverage/recompute', url: '/api/coverage/recompute', token: 'admin', send: { type: 'application/json', body: {} }, then: async (b) => { ids.job = (b as { id: number }).id; await jobs.idle(); } },

    {
      route: 'POST /api/scenarios', url: '/api/scenarios', token: 'admin',
      send: { type: 'application/json', body: { name: 'contract', changes: [{ kind: 'add', lon: 105.4, lat: 21.32, operator: 'viettel', technology: '5G' }] } },
      then: (b) => { ids.scenario = (b as { id: number }).id; },
    },
    { route: 'PATCH /api/scenarios/{id}', url: () => `/api/scenarios/${ids.scenario}`, token: 'admin', send: { type: 'application/json', body: { name: 'contract, renamed' } } },
    {
      route: 'POST /api/plans', url: '/api/plans', token: 'admin',
      send: { type: 'application/json', body: { target: 'pt-2026-5g-coverage', operator: 'all', candidates: 'both', scope: [VIET_TRI], maxSites: 3 } },
      then: async (b) => { ids.plan = (b as { id: number }).id; await jobs.idle(); },
    },

    { route: 'GET /api/health', url: '/api/health' },
    { route: 'GET /api/stations', url: '/api/stations?limit=2', then: (b) => { ids.station = (b as { items: Array<{ id: number }> }).items[0].id; } },
    { route: 'GET /api/stations', url: `/api/stations?commune=${VIET_TRI}&technology=4G&format=geojson` },
    { route: 'GET /api/stations/{id}', url: () => `/api/stations/${ids.station}` },
    { route: 'GET /api/imports', url: '/api/imports?limit=5' },
    { route: 'GET /api/imports/{id}', url: () => `/api/imports/${ids.import}` },
    { route: 'GET /api/broadband', url: '/api/broadband' },
    { route: 'GET /api/broadband', url: `/api/broadband?commune=${VIET_TRI}&asOf=2025-12-31&format=geojson` },
    { route: 'GET /api/broadband', url: '/api/broadband?format=csv' },
    { route: 'GET /api/broadband/imports', url: '/api/broadband/imports' },
    { route: 'GET /api/communes', url: '/api/communes' },
    { route: 'GET /api/communes', url: '/api/communes?format=geojson&geometry=overview' },
    { route: 'GET /api/communes/{code}', url: `/api/communes/${VIET_TRI}?geometry=display` },
    { route: 'GET /api/communes/{code}/coverage', url: `/api/communes/${VIET_TRI}/coverage` },
    { route: 'GET /api/communes/{code}/coverage', url: `/api/communes/${VIET_TRI}/coverage?asOf=2024-06-30` },
    { route: 'GET /api/communes/{code}/gaps', url: `/api/communes/${VIET_TRI}/gaps?technology=4G&operator=all` },
    { route: 'GET /api/coverage', url: '/api/coverage' },
    { route: 'GET /api/coverage', url: '/api/coverage?technology=5G&operator=viettel&asOf=2025-12-24' },
    { route: 'GET /api/coverage', url: '/api/coverage?technology=4G&format=geojson' },
    { route: 'GET /api/coverage', url: '/api/coverage?format=csv' },
    { route: 'GET /api/coverage/point', url: '/api/coverage/point?lon=105.4012&lat=21.3225' },
    { route: 'GET /api/coverage/layer', url: '/api/coverage/layer?bbox=105.3,21.25,105.5,21.4&technology=4G&operator=all' },
    { route: 'GET /api/coverage/runs/latest', url: '/api/coverage/runs/latest' },
    { route: 'GET /api/coverage/jobs/{id}', url: () => `/api/coverage/jobs/${ids.job}` },
    { route: 'GET /api/targets', url: '/api/targets' },
    { route: 'GET /api/targets', url: '/api/targets?format=csv' },
    { route: 'GET /api/targets/{id}', url: '/api/targets/pt-2026-5g-coverage' },
    { route: 'GET /api/reported', url: '/api/reported' },
    { route: 'GET /api/gaps', url: '/api/gaps?target=pt-2026-5g-coverage' },
    { route: 'GET /api/gaps', url: '/api/gaps?metric=fiber_households_pct&threshold=90' },
    { route: 'GET /api/gaps', url: '/api/gaps?metric=4g_area_pct&threshold=99&format=geojson' },
    { route: 'GET /api/gaps', url: '/api/gaps?target=pt-2026-5g-coverage&format=csv' },
    { route: 'GET /api/summary', url: '/api/summary' },
    { route: 'GET /api/summary', url: '/api/summary?province=25&format=csv' },
    { route: 'GET /api/provinces', url: '/api/provinces' },
    { route: 'GET /api/provinces', url: '/api/provinces?format=geojson' },
    { route: 'GET /api/provinces/{code}', url: '/api/provinces/25' },
    { route: 'GET /api/summary/history', url: '/api/summary/history' },
    { route: 'GET /api/summary/history', url: '/api/summary/history?metric=5g_population_pct&format=csv' },
    { route: 'GET /api/communes/{code}/history', url: `/api/communes/${VIET_TRI}/history` },
    { route: 'GET /api/communes/{code}/history', url: `/api/communes/${VIET_TRI}/history?metric=fiber_households_pct&format=geojson` },
    { route: 'GET /api/communes/{code}/report', url: `/api/communes/${VIET_TRI}/report` },
    { route: 'GET /tiles/stations/{z}/{x}/{y}.pbf', url: '/tiles/stations/12/3247/1799.pbf' },
    { route: 'GET /tiles/stations/{z}/{x}/{y}.pbf', url: '/tiles/stations/8/202/112.pbf?asOf=2025-12-24' },
    { route: 'GET /tiles/communes/{z}/{x}/{y}.pbf', url: '/tiles/communes/10/811/448.pbf' },
    { route: 'GET /api/openapi.json', url: '/api/openapi.json' },
    { route: 'GET /api/docs', url: '/api/docs' },
    { route: 'GET /api/population/density', url: '/api/population/density?bbox=105.38,21.3,105.42,21.34' },
    { route: 'GET /api/scenarios', url: '/api/scenarios', token: 'admin' },
    { route: 'GET /api/scenarios/{id}', url: () => `/api/scenarios/${ids.scenario}`, token: 'admin' },
    { route: 'GET /api/scenarios/{id}/summary', url: () => `/api/scenarios/${ids.scenario}/summary`, token: 'admin' },
    { route: 'GET /api/scenarios/{id}/coverage', url: () => `/api/scenarios/${ids.scenario}/coverage?technology=5G`, token: 'admin' },
    { route: 'GET /api/plans', url: '/api/plans', token: 'admin' },
    { route: 'GET /api/plans/{id}', url: () => `/api/plans/${ids.plan}`, token: 'admin' },
    { route: 'DELETE /api/scenarios/{id}', url: () => `/api/scenarios/${ids.scenario}`, token: 'admin' },
  ];

  const operation = (route: string): ApiOperation | undefined => DOCUMENTED_OPERATIONS.find((op) => `${op.method.toUpperCase()} ${op.path}` === route);

  it('lists every route of the app in the document, and the test calls every route it lists', () => {
    const served = listRoutes(app).filter((r) => r.method !== 'HEAD' && /^\/(api|tiles)\//.test(r.path)).map((r) => `${r.method} ${toOpenApiPath(r.path)}`);
    expect(served.length).toBeGreaterThan(25);
    for (const route of served) expect(operation(route), `${route} is served but not in /api/openapi.json`).toBeDefined();
    const called = new Set(calls().map((c) => c.route));
    for (const op of DOCUMENTED_OPERATIONS) expect(called, `${op.method.toUpperCase()} ${op.path} is documented but not called here`).toContain(`${op.method.toUpperCase()} ${op.path}`);
  });

  it('answers every call as documented: each JSON and GeoJSON body passes the schema of its status and media type', async () => {
    let validated = 0;
    for (const call of calls()) {
      const op = operation(call.route);
      expect(op, `${call.route} is not documented`).toBeDefined();
      const url = typeof call.url === 'function' ? call.url() : call.url;
      const method = op!.method;
      let r = request(app)[method](url);
      if (call.token) r = r.set('Authorization', admin);
      const res = await (call.send ? r.set('Content-Type', call.send.type).send(call.send.body) : r);
      const where = `${method.toUpperCase()} ${url} → ${res.status}`;
      expect(res.status, `${where}: ${JSON.stringify(res.body).slice(0, 400)}`).toBeGreaterThanOrEqual(200);
      expect(res.status, `${where}: ${JSON.stringify(res.body).slice(0, 400)}`).toBeLessThan(300);
      const documented = op!.responses[res.status];
      expect(documented, `${where}: status not documented`).toBeDefined();
      const media = String(res.headers['content-type'] ?? '').split(';')[0];
      if (res.status === 204) continue;
      const content = (documented.content ?? {})[media] as { schema?: unknown } | undefined;
      expect(content, `${where}: ${media} is not documented for this status`).toBeDefined();
      if (/json$/.test(media)) {
        const schema = content!.schema;
        expect(typeof (schema as ZodType | undefined)?.safeParse, `${where}: the ${media} answer has no schema`).toBe('function');
        const parsed = (schema as ZodType).safeParse(res.body);
        expect(parsed.success, `${where}: ${parsed.error?.message.slice(0, 2000)}`).toBe(true);
        validated++;
      }
      await call.then?.(res.body);
    }
    expect(validated).toBeGreaterThan(35);
  }, 300_000);

  it('answers errors as documented: a problem+json of a status the route lists', async () => {
    const errors: Array<{ route: string; url: string; status: number; token?: boolean; send?: string }> = [
      { route: 'GET /api/communes/{code}', url: '/api/communes/99999', status: 404 },
      { route: 'GET /api/communes/{code}/coverage', url: '/api/communes/079', status: 400 },
      { route: 'GET /api/stations/{id}', url: '/api/stations/999999999', status: 404 },
      { route: 'GET /api/broadband', url: '/api/broadband?commune=99999', status: 404 },
      { route: 'GET /api/gaps', url: '/api/gaps?target=no-such-target', status: 404 },
      { route: 'GET /api/summary', url: '/api/summary?province=99', status: 404 },
      { route: 'GET /api/provinces/{code}', url: '/api/provinces/99', status: 404 },
      { route: 'GET /api/coverage', url: '/api/coverage?province=2', status: 400 },
      { route: 'GET /api/coverage/layer', url: '/api/coverage/layer?bbox=100,10,110,20&technology=4G', status: 400 },
      { route: 'GET /api/coverage/jobs/{id}', url: '/api/coverage/jobs/999999', status: 404 },
      { route: 'POST /api/targets', url: '/api/targets', status: 401 },
      { route: 'POST /api/stations/import', url: '/api/stations/import', status: 422, token: true, send: 'site_code,name,lon,lat,technology,band_mhz\nX-1,X,200,21.3,4G,1800\n' },
    ];
    for (const e of errors) {
      const op = operation(e.route)!;
      let r = request(app)[op.method](e.url);
      if (e.token) r = r.set('Authorization', admin);
      const res = await (e.send ? r.set('Content-Type', 'text/csv').send(e.send) : r);
      expect(res.status, e.url).toBe(e.status);
      expect(problemStatuses(op), `${e.route} does not document ${e.status}`).toContain(e.status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const parsed = ProblemSchema.safeParse(res.body);
      expect(parsed.success, `${e.url}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it('sends figures of the data loaded here, not empty shells', async () => {
    const coverage = (await request(app).get(`/api/communes/${VIET_TRI}/coverage`).expect(200)).body;
    expect(coverage.technologies['4G'].areaPct).toBeGreaterThan(0);
    expect(Object.keys(coverage.operators).sort()).toEqual(['mobifone', 'viettel', 'vnpt']);
    const gaps = (await request(app).get('/api/gaps?metric=4g_area_pct&threshold=99').expect(200)).body;
    expect(gaps.items.length).toBeGreaterThan(100);
    const summary = (await request(app).get('/api/summary').expect(200)).body;
    expect(summary.stations.sites).toBe(3);
    expect(summary.asOf).toBe(TODAY);
  });

  it('counts stations on air with the page\'s rule (isOnAir) as the SQL rule does (ON_AIR_SQL)', async () => {
    const stations: Station[] = (await request(app).get('/api/stations?limit=1000').expect(200)).body.items;
    const summary = (await request(app).get('/api/summary').expect(200)).body;
    const sitesWith = (t?: string) => stations.filter((s) => s.radios.some((r) => (!t || r.technology === t) && isOnAir(r, TODAY))).length;
    expect(sitesWith()).toBe(summary.stations.sites);
    for (const t of TECHNOLOGIES) expect(sitesWith(t), t).toBe(summary.stations.byTechnology[t] ?? 0);
    expect(stations.flatMap((s) => s.radios).filter((r) => !isOnAir(r, TODAY)).map((r) => r.status).sort()).toEqual(['decommissioned', 'planned']);
  });
});
