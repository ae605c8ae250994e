import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { createApp } from '../../server/app';
import { listRoutes } from '../../server/http/routes-list';
import { helmetOptions } from '../../server/http/security';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';
import { makeTokens } from '../helpers/tokens';

type Role = 'none' | 'planner' | 'sameOperator' | 'otherOperator' | 'admin';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ROLES: Role[] = ['none', 'planner', 'sameOperator', 'otherOperator', 'admin'];

const CSV = 'site_code,name,lon,lat,technology,band_mhz\nSEC-1,Security test,105.40,21.32,4G,1800\n';

const SCENARIO_ID = 900_001;
/** A scenario of viettel's, there before each request of the scenario rows. */
const viettelScenario = (db: TestDatabase) => db.knex.raw(
  `INSERT INTO scenarios (id, name, changes, owner_operator, created_by) VALUES (?, 'Security test', '[]', 'viettel', 'test') ON CONFLICT (id) DO NOTHING`, [SCENARIO_ID]);

/**
 * Every write route × role → the status expected. A write route missing here fails the test,
 * so nobody adds one without deciding who may call it. "sameOperator" is viettel's token on
 * viettel's data; "otherOperator" is mobifone's.
 */
const MATRIX: Record<string, { send: (r: request.Test) => request.Test; url?: string; query?: string; setup?: (db: TestDatabase) => Promise<unknown>; expect: Record<Role, number> }> = {
  'POST /api/stations/import': {
    query: '?dryRun=true&operator=viettel',
    send: (r) => r.set('Content-Type', 'text/csv').send(CSV),
    expect: { none: 401, planner: 403, sameOperator: 200, otherOperator: 403, admin: 200 },
  },
  'POST /api/broadband/import': {
    query: '?dryRun=true&operator=viettel',
    send: (r) => r.set('Content-Type', 'text/csv').send('commune_code,as_of,households_passed,subscriptions\n07900,2025-12-31,100,50\n'),
    expect: { none: 401, planner: 403, sameOperator: 200, otherOperator: 403, admin: 200 },
  },
  'POST /api/targets': {
    send: (r) => r.send({ code: `sec-${Math.random().toString(36).slice(2, 8)}`, title: 'Security test', metric: '5g_area_pct', threshold: 50, deadlineYear: 2030, source: { document: 'test' } }),
    expect: { none: 401, planner: 403, sameOperator: 403, otherOperator: 403, admin: 201 },
  },
  'PATCH /api/targets/:id': {
    url: '/api/targets/pt-2026-fiber-households',
    send: (r) => r.send({ notes: 'checked by the security test' }),
    expect: { none: 401, planner: 403, sameOperator: 403, otherOperator: 403, admin: 200 },
  },
  'POST /api/coverage/recompute': {
    send: (r) => r.send(),
    expect: { none: 401, planner: 403, sameOperator: 403, otherOperator: 403, admin: 202 },
  },
  // Scenarios and plans: a planner or admin for any operator, an operator for its own only; an
  // operator's token does not see another's drafts (404, as if missing).
  'POST /api/scenarios': {
    send: (r) => r.send({ name: 'Security test', changes: [{ kind: 'add', lon: 105.40, lat: 21.32, operator: 'viettel', technology: '5G' }] }),
    expect: { none: 401, planner: 201, sameOperator: 201, otherOperator: 403, admin: 201 },
  },
  'PATCH /api/scenarios/:id': {
    url: `/api/scenarios/${SCENARIO_ID}`,
    setup: (db) => viettelScenario(db),
    send: (r) => r.send({ name: 'Security test, renamed' }),
    expect: { none: 401, planner: 200, sameOperator: 200, otherOperator: 404, admin: 200 },
  },
  'DELETE /api/scenarios/:id': {
    url: `/api/scenarios/${SCENARIO_ID}`,
    setup: (db) => viettelScenario(db),
    send: (r) => r.send(),
    expect: { none: 401, planner: 204, sameOperator: 204, otherOperator: 404, admin: 204 },
  },
  'POST /api/plans': {
    send: (r) => r.send({ target: 'pt-2026-5g-coverage', operator: 'viettel', candidates: 'upgrade', scope: ['07900'], maxSites: 1 }),
    expect: { none: 401, planner: 202, sameOperator: 202, otherOperator: 403, admin: 202 },
  },
};


const HOSTILE = [
  "' OR '1'='1", "1; DROP TABLE communes;--", '%00', '\u0000', '../../../etc/passwd', 'x'.repeat(10_000),
  '-1', '1e309', 'NaN', '9'.repeat(40), '{"$gt":""}', '<script>alert(1)</script>', 'Việt Trì', '🙂',
];
const QUERY_NAMES = ['bbox', 'asOf', 'technology', 'operator', 'lon', 'lat', 'limit', 'cursor', 'format', 'geometry', 'commune', 'status', 'mode', 'dryRun'];

describe.each(ENGINES)('security on the %s engine', (engine) => {
  let db: TestDatabase;
  let app: Express;
  let auth: Record<Role, string | null>;
  beforeAll(async () => {
    db = await openTestDatabase(engine);
    app = createApp({ db, config: { ...db.config, rateLimitWrites: 0, rateLimitExpensiveReads: 0 } });
    const t = await makeTokens(db.knex);
    auth = { none: null, planner: t.planner, sameOperator: t.viettel, otherOperator: t.mobifone, admin: t.admin };
  });
  afterAll(async () => {
    await db?.close();
  });

  it('has an authorisation entry for every write route, and each entry holds', async () => {
    const writes = listRoutes(app).filter((r) => r.method !== 'GET' && r.method !== 'HEAD').map((r) => `${r.method} ${r.path}`);
    expect(writes.sort()).toEqual(Object.keys(MATRIX).sort());
    for (const [route, entry] of Object.entries(MATRIX)) {
      const [method, path] = route.split(' ');
      for (const role of ROLES) {
        await entry.setup?.(db);
        let r = request(app)[method.toLowerCase() as 'post'](`${entry.url ?? path}${entry.query ?? ''}`);
        if (auth[role]) r = r.set('Authorization', auth[role]!);
        const res = await entry.send(r);
        expect(res.status, `${route} as ${role}: ${JSON.stringify(res.body).slice(0, 200)}`).toBe(entry.expect[role]);
      }
    }
  });

  it('audits every write, refused ones included', async () => {
    const refused = async () => Number((await db.knex.raw(
      "SELECT count(*) AS n FROM audit_log WHERE actor = 'anonymous' AND method = 'POST' AND path = '/api/coverage/recompute' AND status = 401")).rows[0].n);
    const before = await refused();
    await request(app).post('/api/coverage/recompute').set('Authorization', 'Bearer psg_not-a-token').expect(401);
    // The audit row is written after the answer, and other requests' rows may land after it: wait for it.
    let after = before;
    for (let i = 0; i < 50 && after === before; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await refused();
    }
    expect(after).toBe(before + 1);
    const n = (await db.knex.raw('SELECT count(*) AS n FROM audit_log')).rows[0].n;
    expect(n).toBeGreaterThanOrEqual(ROLES.length * Object.keys(MATRIX).length);
  });

  it('answers hostile path and query values with 4xx or a correct result, never a 500', async () => {
    const before = (await db.knex.raw('SELECT (SELECT count(*) FROM communes) AS c, (SELECT count(*) FROM stations) AS s')).rows[0];
    const gets = listRoutes(app).filter((r) => r.method === 'GET');
    const failures: string[] = [];
    for (const route of gets) {
      for (const value of HOSTILE) {
        const path = route.path.replace(/:([a-z]+)/gi, () => encodeURIComponent(value.slice(0, 4000)));
        // All parameters at once must stay under Node's 16 KB header limit (beyond it Node answers 431 itself).
        const query = QUERY_NAMES.map((q) => `${q}=${encodeURIComponent(value.slice(0, 1000))}`).join('&');
        for (const url of [path, `${route.path.replace(/:code/, '07900').replace(/:id/, '1').replace(/:z\/:x\/:y/, '1/1/1')}?${query}`]) {
          const res = await request(app).get(url);
          if (res.status >= 500) failures.push(`${res.status} GET ${url.slice(0, 120)}`);
          else if (res.status >= 400 && !/problem\+json/.test(res.headers['content-type'] ?? '')) failures.push(`${res.status} without problem+json: GET ${url.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect((await db.knex.raw('SELECT (SELECT count(*) FROM communes) AS c, (SELECT count(*) FROM stations) AS s')).rows[0]).toEqual(before);
  });

  it('sends security headers, a request id, and no CORS unless configured', async () => {
    const res = await request(app).get('/api/health').set('X-Request-Id', 'abc-123').set('Origin', 'https://elsewhere.example');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toBe('abc-123');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const corsApp = createApp({ db, config: { ...db.config, corsOrigins: ['https://planner.example'] } });
    const ok = await request(corsApp).get('/api/health').set('Origin', 'https://planner.example');
    expect(ok.headers['access-control-allow-origin']).toBe('https://planner.example');
    const no = await request(corsApp).get('/api/health').set('Origin', 'https://elsewhere.example');
    expect(no.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('sends exactly the headers helmet itself sends, for each configuration', async () => {
    const helmetOnly = (config: typeof db.config) => {
      const bare = express();
      bare.disable('x-powered-by');
      bare.use(helmet(helmetOptions(config)));
      bare.get('/api/health', (_req, res) => void res.json({}));
      return bare;
    };
    const securityHeadersOf = (h: Record<string, string>) =>
      Object.fromEntries(Object.entries(h).filter(([k]) => /^(content-security-policy|cross-origin|origin-agent|referrer|strict-transport|x-)/.test(k) && k !== 'x-request-id'));
    for (const config of [db.config, { ...db.config, basemapUrl: 'https://tiles.example.org/{z}/{x}/{y}.png', corsOrigins: ['https://planner.example'] }]) {
      const ours = await request(createApp({ db, config })).get('/api/health');
      const theirs = await request(helmetOnly(config)).get('/api/health');
      expect(Object.keys(securityHeadersOf(theirs.headers)).length).toBeGreaterThanOrEqual(10);
      expect(securityHeadersOf(ours.headers)).toEqual(securityHeadersOf(theirs.headers));
    }
  });

  it('writes a configured basemap into the page and allows only its host in the policy', async () => {
    // The page's source stands in for the build: the tags the server fills are the same.
    const clientDir = mkdtempSync(path.join(os.tmpdir(), 'phusong-client-'));
    try {
      copyFileSync(path.join(ROOT, 'client/index.html'), path.join(clientDir, 'index.html'));
      const plain = await request(createApp({ db, config: { ...db.config, clientDir } })).get('/').expect(200);
      expect(plain.text).toContain('<meta name="phusong-basemap" content="" />');
      expect(plain.headers['content-security-policy']).not.toMatch(/tiles\.example/);
      const url = 'https://tiles.example.org/{z}/{x}/{y}.png';
      const withBasemap = createApp({ db, config: { ...db.config, clientDir, basemapUrl: url, basemapAttribution: '© Example "tiles" <b>' } });
      for (const at of ['/', '/index.html']) {
        const res = await request(withBasemap).get(at).expect(200);
        expect(res.text).toContain(`<meta name="phusong-basemap" content="${url}" />`);
        expect(res.text).toContain('<meta name="phusong-basemap-attribution" content="© Example &quot;tiles&quot; &lt;b&gt;" />');
        expect(res.headers['cache-control']).toBe('no-cache');
        expect(res.headers['content-security-policy']).toMatch(/img-src [^;]*https:\/\/tiles\.example\.org/);
      }
    } finally {
      rmSync(clientDir, { recursive: true, force: true });
    }
  });

  it('limits the rate of writes with 429 and Retry-After', async () => {
    const limited = createApp({ db, config: { ...db.config, rateLimitWrites: 2 } });
    const codes: number[] = [];
    for (let i = 0; i < 3; i++) codes.push((await request(limited).post('/api/coverage/recompute').set('Authorization', auth.planner!)).status);
    expect(codes).toEqual([403, 403, 429]);
    const res = await request(limited).post('/api/coverage/recompute').set('Authorization', auth.planner!);
    expect(res.headers['retry-after']).toBe('60');
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });

  it('never leaks a stack or SQL in an error', async () => {
    const res = await request(app).get('/api/stations?bbox=1,2,3,4&limit=0');
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+|SELECT|knex/i);
  });
});
