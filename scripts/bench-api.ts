/**
 * npm run bench:api [-- --duration 60 --connections 200 --soak 0]
 *
 * Starts the service on the SERVER engine (DATABASE_URL, or a fresh database next to
 * TEST_DATABASE_URL) with the default province and the demo stations, then drives it from this
 * process over loopback with autocannon across the read endpoints, and does the same against a
 * bare Express route in its own process as the ceiling. Prints requests/s, p50/p99 latency,
 * errors and the service's memory (RSS) at the start and the end. `--soak 600` adds a long run
 * and compares memory after its first minute with memory at its end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import knexFactory from 'knex';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '200' },
    soak: { type: 'string', default: '0' },
  },
});
const DURATION_S = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const SOAK_S = Number(values.soak);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms`);
}

async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, drop: async () => {} };
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('bench:api runs on the server engine: set DATABASE_URL (or TEST_DATABASE_URL, to create a throwaway database)');
  const name = `phusong_bench_${process.pid}`;
  const knex = knexFactory({ client: 'pg', connection: admin, pool: { min: 0, max: 1 } });
  await knex.raw(`CREATE DATABASE "${name}"`);
  await knex.destroy();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const k = knexFactory({ client: 'pg', connection: admin, pool: { min: 0, max: 1 } });
      await k.raw(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await k.destroy();
    },
  };
}

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function run(name: string, url: string, requests: autocannon.Request[] | undefined, durationS: number) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: durationS, requests });
  return {
    name,
    'req/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
  };
}

async function main() {
  const db = await benchDatabase();
  const port = await freePort();
  const service = start(['--import', 'tsx', 'server/main.ts'], {
    DATABASE_URL: db.url, PORT: String(port), LOG_LEVEL: 'warn', DEMO_DATA: 'true', RATE_LIMIT_EXPENSIVE_READS: '0', RATE_LIMIT_WRITES: '0',
  });
  const barePort = await freePort();
  const bare = start(['-e', `require('express')().get('/bare', (q, s) => s.json({ ok: true })).listen(${barePort}, '127.0.0.1')`], {});
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/api/health`, 300_000);
    await waitFor(`http://127.0.0.1:${barePort}/bare`, 30_000);
    // Wait for the start-up recompute so the figures are stored.
    while (!(await (await fetch(`${base}/api/coverage/runs/latest`)).json())) await new Promise((r) => setTimeout(r, 500));
    const communes: string[] = (await (await fetch(`${base}/api/communes`)).json()).items.map((c: { code: string }) => c.code);
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
    const tile = () => {
      // z12 tiles over the province (x 3245–3255, y 1788–1797)
      return `/tiles/stations/12/${3245 + Math.floor(Math.random() * 11)}/${1788 + Math.floor(Math.random() * 10)}.pbf`;
    };
    const point = () => `/api/coverage/point?lon=${(104.9 + Math.random() * 0.9).toFixed(4)}&lat=${(20.6 + Math.random() * 1.0).toFixed(4)}`;
    const summaryExists = (await fetch(`${base}/api/summary`)).ok;
    const gapsExists = (await fetch(`${base}/api/gaps?metric=5g_population_pct&threshold=65`)).ok;
    const mixed = (): autocannon.Request[] => [
      { setupRequest: (r) => ({ ...r, path: `/api/communes/${pick(communes)}/coverage` }) },
      { setupRequest: (r) => ({ ...r, path: tile() }) },
      { setupRequest: (r) => ({ ...r, path: point() }) },
      ...(summaryExists ? [{ path: '/api/summary' }] : []),
      ...(gapsExists ? [{ path: '/api/gaps?metric=5g_population_pct&threshold=65' }] : []),
    ];
    const rows = [];
    const rssStart = rssMb(service.pid!);
    rows.push(await run('bare Express route (ceiling)', `http://127.0.0.1:${barePort}/bare`, undefined, DURATION_S));
    rows.push(await run('GET /api/communes/:code/coverage', base, [{ setupRequest: (r) => ({ ...r, path: `/api/communes/${pick(communes)}/coverage` }) }], DURATION_S));
    rows.push(await run(`mixed: coverage, tiles, point${summaryExists ? ', summary' : ''}${gapsExists ? ', gaps' : ''}`, base, mixed(), DURATION_S));
    const rssEnd = rssMb(service.pid!);
    console.table(rows);
    console.log(`service RSS: ${rssStart.toFixed(0)} MB at the start, ${rssEnd.toFixed(0)} MB at the end`);
    console.log(`coverage endpoint throughput / bare ceiling: ${(rows[1]['req/s'] / rows[0]['req/s']).toFixed(2)}`);
    if (!summaryExists || !gapsExists) console.log('note: /api/summary or /api/gaps not available in this build; left out of the mix');
    if (SOAK_S > 0) {
      let afterFirstMinute = 0;
      const timer = setTimeout(() => { afterFirstMinute = rssMb(service.pid!); }, 60_000);
      const soak = await run(`soak ${SOAK_S} s, mixed`, base, mixed(), SOAK_S);
      clearTimeout(timer);
      const end = rssMb(service.pid!);
      console.table([soak]);
      console.log(`soak RSS: ${afterFirstMinute.toFixed(0)} MB after the first minute, ${end.toFixed(0)} MB at the end (${(((end - afterFirstMinute) / afterFirstMinute) * 100).toFixed(1)} %)`);
    }
  } finally {
    service.kill('SIGTERM');
    bare.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
    await db.drop();
  }
}

main().catch((err) => {
  console.error(`bench:api: ${(err as Error).message}`);
  process.exit(1);
});
