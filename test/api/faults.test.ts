import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { openDatabase, type Database } from '../../server/db/database';
import { migrateToLatest } from '../../server/db/migrate';
import { MID_WRITE_MARKER } from '../../server/stations/stations.write';
import { ENGINES, embeddedDataDir, openTestDatabase } from '../helpers/db';
import { makeTokens } from '../helpers/tokens';
import { startServer, waitForHealth, type ExitStatus } from '../e2e/support/server-process';

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

/**
 * Resolves once `child` says (TEST_PAUSE_MID_WRITE_MS) that its station write holds every row and
 * has not committed, with the number of stations it holds; rejects if it exits first.
 */
function pausedMidWrite(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const at = err.indexOf(MID_WRITE_MARKER);
      const count = at >= 0 ? /^ (\d+)\n/.exec(err.slice(at + MID_WRITE_MARKER.length)) : null;
      if (count) resolve(Number(count[1]));
    });
    child.once('exit', (code, signal) => reject(new Error(`exited (${code ?? signal}) before its write paused:\n${err}`)));
  });
}

const killRows = "SELECT (SELECT count(*) FROM stations WHERE site_code LIKE 'KILL-%') AS stations, (SELECT count(*) FROM radios r JOIN stations s ON s.id = r.station_id WHERE s.site_code LIKE 'KILL-%') AS radios";
const communesFingerprint = "SELECT count(*) AS n, md5(string_agg(code || name || ST_AsBinary(geom)::text, ',' ORDER BY code)) AS md5 FROM communes";

describe.each(ENGINES)('process faults on the %s engine', (engine) => {
  it('a SIGKILL while the import holds every row uncommitted leaves none of it, and the same import then writes all of it', { timeout: 240_000 }, async () => {
    const ROWS = 5_000;
    const target = engine === 'embedded' ? await embeddedDataDir() : null;
    const serverDb = engine === 'server' ? await openTestDatabase('server') : null;
    const open = async () => serverDb ?? (await openDatabase({ databaseUrl: null, dataDir: target!.dir }));
    const env = { ...process.env, LOG_LEVEL: 'silent', DATA_DIR: target?.dir ?? '', DATABASE_URL: serverDb?.config.databaseUrl ?? '' };
    const file = path.join(os.tmpdir(), `phusong-kill-${process.pid}.csv`);
    fs.writeFileSync(file, bigCsv(ROWS, 'KILL'));
    const args = ['--import', 'tsx', 'scripts/stations-import.ts', '--file', file, '--operator', 'viettel', '--no-recompute'];
    let db: Database | null = await open();
    try {
      const communesBefore = (await db.knex.raw(communesFingerprint)).rows[0];
      expect(communesBefore.n).toBeGreaterThan(0);
      if (engine === 'embedded') {
        await db.close(); // the import must own the data folder, as it would on its own
        db = null;
      }

      // node itself, not the tsx wrapper: SIGKILL must hit the process that holds the database.
      // The pause is far longer than the test: only the kill can end this write.
      const child = spawn(process.execPath, args, { env: { ...env, TEST_PAUSE_MID_WRITE_MS: '600000' }, stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<ExitStatus>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      const held = await pausedMidWrite(child);
      expect(held, 'the transaction holds every station of the file').toBe(ROWS);
      expect(child.exitCode, 'the import has not finished').toBeNull();
      if (serverDb) {
        // Another session sees none of them (the embedded engine's one connection is the paused write's).
        expect((await serverDb.knex.raw(killRows)).rows[0]).toEqual({ stations: 0, radios: 0 });
      }
      child.kill('SIGKILL');
      expect(await exited).toEqual({ code: null, signal: 'SIGKILL' });

      // Reopened after the crash (on the embedded engine: its files, and the lock the killed process left).
      db = await open();
      expect((await db.knex.raw(killRows)).rows[0], 'all of it or none of it: the kill came before the commit').toEqual({ stations: 0, radios: 0 });
      const record = (await db.knex.raw("SELECT status, finished_at FROM imports WHERE file_name = ? ORDER BY id DESC LIMIT 1", [path.basename(file)])).rows[0];
      expect(record, 'the killed import never finished').toEqual({ status: 'running', finished_at: null });
      expect((await db.knex.raw(communesFingerprint)).rows[0]).toEqual(communesBefore);

      // Still writable: the same file, without the pause, through the process that now holds the database.
      await promisify(execFile)(process.execPath, args, { env, timeout: 180_000 });
      expect((await db.knex.raw(killRows)).rows[0]).toEqual({ stations: ROWS, radios: ROWS });
    } finally {
      fs.rmSync(file, { force: true });
      await db?.close();
      await target?.remove();
    }
  });

  it('SIGTERM lets an in-flight upload finish, then exits 0', { timeout: 240_000 }, async () => {
    const ROWS = 2_000;
    const db = await openTestDatabase(engine);
    try {
      const t = await makeTokens(db.knex);
      // On the embedded engine the server goes through this process, which holds the data folder.
      // Its writes pause mid-transaction, so the signal lands while the upload is in flight.
      const server = await startServer({
        DATA_DIR: db.config.dataDir, ...(engine === 'server' ? { DATABASE_URL: db.config.databaseUrl! } : {}), DEMO_DATA: 'false', LOG_LEVEL: 'error',
        TEST_PAUSE_MID_WRITE_MS: '1500',
      });
      await waitForHealth(server);
      let answered = false;
      const pending = fetch(`${server.baseUrl}/api/stations/import`, {
        method: 'POST', headers: { Authorization: t.viettel, 'Content-Type': 'text/csv' }, body: bigCsv(ROWS, 'TERM').toString('utf8'),
      }).then(async (r) => ({ status: r.status, body: await r.json() })).finally(() => (answered = true));
      expect(await pausedMidWrite(server.child)).toBe(ROWS);
      expect(answered, 'the upload is still in flight').toBe(false);
      server.child.kill('SIGTERM');
      const res = await pending;
      expect(res.status, `${JSON.stringify(res.body)}\n${server.outputTail()}`).toBe(201);
      expect(res.body.counts.stationsInserted).toBe(ROWS);
      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(Number((await db.knex.raw("SELECT count(*) AS n FROM stations WHERE site_code LIKE 'TERM-%'")).rows[0].n)).toBe(ROWS);
    } finally {
      await db.close();
    }
  });
});
