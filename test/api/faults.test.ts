import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { openDatabase } from '../../server/db/database';
import { migrateToLatest } from '../../server/db/migrate';
import { ENGINES, embeddedDataDir, openTestDatabase } from '../helpers/db';
import { makeTokens } from '../helpers/tokens';
import { startServer, waitForHealth } from '../e2e/support/server-process';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const canRunCluster = process.getuid?.() === 0 && fs.existsSync(path.join(PG_BIN, 'initdb'));

/** A CSV of `n` valid radios (one per site) inside Phú Thọ. */
function bigCsv(n: number, prefix: string): Buffer {
  const lines = ['site_code,name,lon,lat,technology,band_mhz,height_m,status'];
  for (let i = 0; i < n; i++) {
    const lon = 105.2 + (i % 300) * 0.0015;
    const lat = 21.1 + Math.floor(i / 300) * 0.0015;
    lines.push(`${prefix}-${i},Site ${i},${lon.toFixed(5)},${lat.toFixed(5)},4G,1800,30,active`);
  }
  return Buffer.from(lines.join('\n') + '\n');
}

/** A PostgreSQL 15 cluster of our own on another port, so the test can stop and start it. */
function ownCluster() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'phusong-pg-'));
  fs.chownSync(dir, Number(execFileSync('id', ['-u', 'postgres']).toString()), Number(execFileSync('id', ['-g', 'postgres']).toString()));
  const port = 20000 + Math.floor(Math.random() * 20000);
  const asPostgres = (cmd: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, cmd), ...args], { stdio: 'pipe' });
  asPostgres('initdb', ['-D', `${dir}/data`, '-A', 'trust', '-U', 'postgres']);
  const start = () => asPostgres('pg_ctl', ['-D', `${dir}/data`, '-l', `${dir}/log`, '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, 'start']);
  const stop = () => asPostgres('pg_ctl', ['-D', `${dir}/data`, '-m', 'immediate', '-w', 'stop']);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, start, stop, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

describe.skipIf(!canRunCluster)('the server PostGIS goes down and comes back', () => {
  const cluster = canRunCluster ? ownCluster() : null;
  afterAll(() => {
    try { cluster?.stop(); } catch { /* already stopped */ }
    cluster?.remove();
  });

  it('answers 503 with Retry-After while it is down and recovers by itself within 5 s', async () => {
    cluster!.start();
    const db = await openDatabase({ databaseUrl: cluster!.url, dataDir: '' });
    try {
      await migrateToLatest(db.knex);
      const app = createApp({ db, config: loadConfig({ DATABASE_URL: cluster!.url, LOG_LEVEL: 'silent' }) });
      await request(app).get('/api/communes').expect(200);
      cluster!.stop();
      const down = await request(app).get('/api/communes');
      expect(down.status).toBe(503);
      expect(down.headers['retry-after']).toBe('5');
      expect(down.headers['content-type']).toMatch(/problem\+json/);
      expect(JSON.stringify(down.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|SELECT/);
      const health = await request(app).get('/api/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'unavailable', database: 'server' });
      cluster!.start();
      const back = Date.now();
      let ok = false;
      while (Date.now() - back < 5000 && !ok) {
        ok = (await request(app).get('/api/health')).status === 200;
        if (!ok) await new Promise((r) => setTimeout(r, 100));
      }
      expect(ok).toBe(true);
      console.log(`recovered ${Date.now() - back} ms after the database came back`);
      await request(app).get('/api/communes').expect(200);
    } finally {
      await db.close();
    }
  });
});

describe.each(ENGINES)('process faults on the %s engine', (engine) => {
  it('a SIGKILL in the middle of an import leaves all of it or none of it', { timeout: 240_000 }, async () => {
    const target = engine === 'embedded' ? await embeddedDataDir() : null;
    const serverDb = engine === 'server' ? await openTestDatabase('server') : null;
    const env = { ...process.env, LOG_LEVEL: 'silent', DATA_DIR: target?.dir ?? '', DATABASE_URL: serverDb?.config.databaseUrl ?? '' };
    const file = path.join(os.tmpdir(), `phusong-kill-${process.pid}.csv`);
    fs.writeFileSync(file, bigCsv(20_000, 'KILL'));
    // node itself, not the tsx wrapper: SIGKILL must hit the process that holds the database.
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/stations-import.ts', '--file', file, '--operator', 'viettel'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve) => child.stdout.on('data', (d: Buffer) => { if (d.toString().includes('writing')) resolve(); }));
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await exited;
    fs.rmSync(file, { force: true });
    const db = serverDb ?? (await openDatabase({ databaseUrl: null, dataDir: target!.dir }));
    try {
      const n = (await db.knex.raw("SELECT count(*) AS n FROM stations WHERE site_code LIKE 'KILL-%'")).rows[0].n;
      expect([0, 20_000]).toContain(n);
      expect((await db.knex.raw('SELECT count(*) AS n FROM communes')).rows[0].n).toBe(148);
      // still writable after the crash
      await db.knex.raw("UPDATE communes SET name = name WHERE code = '07900'");
    } finally {
      await db.close();
      await target?.remove();
    }
  });

  it('SIGTERM lets an in-flight upload finish, then exits 0', { timeout: 240_000 }, async () => {
    const db = await openTestDatabase(engine);
    try {
      const t = await makeTokens(db.knex);
      // On the embedded engine the server goes through this process, which holds the data folder.
      const server = await startServer({ DATA_DIR: db.config.dataDir, ...(engine === 'server' ? { DATABASE_URL: db.config.databaseUrl! } : {}), DEMO_DATA: 'false', LOG_LEVEL: 'error' });
      await waitForHealth(server);
      const pending = fetch(`${server.baseUrl}/api/stations/import`, {
        method: 'POST', headers: { Authorization: t.viettel, 'Content-Type': 'text/csv' }, body: bigCsv(2_000, 'TERM').toString('utf8'),
      }).then(async (r) => ({ status: r.status, body: await r.json() }));
      // Signal only once the server is working on the upload (its import row exists).
      for (let i = 0; i < 200; i++) {
        const running = (await db.knex.raw("SELECT count(*) AS n FROM imports WHERE status = 'running'")).rows[0].n;
        if (running > 0) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      server.child.kill('SIGTERM');
      const res = await pending;
      expect(res.status, `${JSON.stringify(res.body)}\n${server.outputTail()}`).toBe(201);
      expect(res.body.counts.stationsInserted).toBe(2_000);
      expect(await server.exited).toEqual({ code: 0, signal: null });
    } finally {
      await db.close();
    }
  });
});
