import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';

const run = promisify(execFile);

describe.each(ENGINES)('command-line scripts on the %s engine', (engine) => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    db = await openTestDatabase(engine);
    // On the embedded engine the scripts go through this process, which holds the data folder.
    env = { ...process.env, DATA_DIR: db.config.dataDir, DATABASE_URL: db.config.databaseUrl ?? '', LOG_LEVEL: 'silent' };
  });
  afterAll(async () => {
    await db?.close();
  });

  it('token:create prints a working token last; token:revoke stops it', async () => {
    const { stdout } = await run('npx', ['tsx', 'scripts/token-create.ts', '--role', 'operator', '--operator', 'viettel', '--label', 'test'], { env });
    const lines = stdout.trim().split('\n');
    const token = lines[lines.length - 1];
    expect(token).toMatch(/^psg_[A-Za-z0-9_-]{43}$/);
    const id = Number(/token #(\d+)/.exec(stdout)![1]);
    const stored = (await db.knex.raw('SELECT token_hash FROM api_tokens WHERE id = ?', [id])).rows[0].token_hash;
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(token.slice(4));

    const app = createApp({ db, config: db.config });
    const csv = 'site_code,name,lon,lat,technology,band_mhz\nCLI-1,CLI,105.40,21.32,4G,1800\n';
    await request(app).post('/api/stations/import?dryRun=true').set('Authorization', `Bearer ${token}`).set('Content-Type', 'text/csv').send(csv).expect(200);
    await run('npx', ['tsx', 'scripts/token-revoke.ts', '--id', String(id)], { env });
    const revoked = await request(app).post('/api/stations/import?dryRun=true').set('Authorization', `Bearer ${token}`).set('Content-Type', 'text/csv').send(csv);
    expect(revoked.status).toBe(401);
    expect(revoked.body.detail).toMatch(/revoked/);

    const bad = await run('npx', ['tsx', 'scripts/token-create.ts', '--role', 'operator'], { env }).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--operator/);
  });

  it('stations:import validates and writes like the API', async () => {
    const dry = await run('npx', ['tsx', 'scripts/stations-import.ts', '--file', 'geodata/samples/stations.csv', '--dry-run'], { env });
    expect(dry.stdout).toMatch(/dry run, nothing written/);
    expect((await db.knex.raw('SELECT count(*) AS n FROM stations')).rows[0].n).toBe(0);
    const real = await run('npx', ['tsx', 'scripts/stations-import.ts', '--file', 'geodata/samples/stations.csv'], { env });
    expect(real.stdout).toMatch(/radios: \d+ new/);
    expect((await db.knex.raw('SELECT count(*) AS n FROM stations')).rows[0].n).toBeGreaterThan(0);
    // As after an upload, the figures are recomputed (every commune), with the import named.
    expect(real.stdout).toMatch(/coverage run #\d+: \d+ communes/);
    const run1 = (await db.knex.raw("SELECT scope, trigger, import_id FROM coverage_runs WHERE status = 'succeeded' ORDER BY id DESC LIMIT 1")).rows[0];
    expect(run1).toMatchObject({ scope: 'full', trigger: 'import' });
    expect(run1.import_id).not.toBeNull();
    const bad = await run('npx', ['tsx', 'scripts/stations-import.ts', '--file', 'geodata/samples/stations-bad.csv', '--operator', 'viettel'], { env }).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/error row \d+/);
  });

  it('coverage:recompute stores a full run with a snapshot, or the communes named', async () => {
    const runs = async () => Number((await db.knex.raw("SELECT count(*) AS n FROM coverage_runs WHERE status = 'succeeded'")).rows[0].n);
    const snapshots = async () => Number((await db.knex.raw('SELECT count(*) AS n FROM snapshots')).rows[0].n);
    const [runsBefore, snapshotsBefore] = [await runs(), await snapshots()];
    const full = await run('npx', ['tsx', 'scripts/coverage-recompute.ts'], { env });
    const communes = Number((await db.knex.raw('SELECT count(*) AS n FROM communes')).rows[0].n);
    expect(communes).toBeGreaterThan(1);
    expect(full.stdout).toMatch(new RegExp(`run #\\d+: ${communes} communes \\(full\\)`));
    expect([await runs(), await snapshots()]).toEqual([runsBefore + 1, snapshotsBefore + 1]);
    expect(Number((await db.knex.raw("SELECT count(DISTINCT commune_code) AS n FROM commune_coverage")).rows[0].n)).toBe(communes);
    const one = await run('npx', ['tsx', 'scripts/coverage-recompute.ts', '--commune', '07900'], { env });
    expect(one.stdout).toMatch(/1 communes \(communes\)/);
    const bad = await run('npx', ['tsx', 'scripts/coverage-recompute.ts', '--commune', '99999'], { env }).catch((e) => e);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/no commune with code 99999/);
  });
});
