/**
 * npm run bench:api [-- --duration 60 --connections 200 --each 0 --soak 0]
 *
 * Starts the service on the SERVER engine (DATABASE_URL, or a throwaway database beside
 * TEST_DATABASE_URL) with the default province and the demo stations, then drives it from this
 * process over loopback with autocannon, 200 connections for 60 s: the coverage endpoint alone,
 * then a mix of the coverage endpoint, /api/summary, /api/gaps, station tiles and the point
 * lookup; the coverage endpoint again for a client asking for gzip; and a bare Express route in
 * a process of its own, as the ceiling. Prints requests/s, p50/p99 latency, errors, the service's
 * CPU time per request and its memory (RSS) at the start and the end of each run. `--each 20`
 * adds a run of that many seconds per endpoint; `--soak 600` adds a long mixed run and compares
 * the memory of the minute after the first with that of its last minute.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { throwawayServerDatabase } from './lib/bench-database';
import { runScript } from './lib/run-script';
import { freePort, rssMb, waitFor } from './lib/processes';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    connections: { type: 'string', default: '200' },
    each: { type: 'string', default: '0' },
    soak: { type: 'string', default: '0' },
  },
});
const DURATION_S = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const EACH_S = Number(values.each);
const SOAK_S = Number(values.soak);



/**
 * CPU time (user + system) the process has used so far, in ms (/proc/PID/stat, in clock ticks of
 * 1/100 s on Linux). Per request, it is the figure least moved by whatever else the machine runs.
 */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;


async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, drop: async () => {} };
  const admin = process.env.TEST_DATABASE_URL;
  if (!admin) throw new Error('bench:api runs on the server engine: set DATABASE_URL (or TEST_DATABASE_URL, to create a throwaway database)');
  return throwawayServerDatabase(admin, 'bench_api');
}

function start(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

interface Row {
  run: string;
  'req/s': number;
  'p50 ms': number;
  'p99 ms': number;
  'max ms': number;
  errors: number;
  requests: number;
  'CPU µs/req': number;
  'RSS start MB': number;
  'RSS end MB': number;
}

async function run(name: string, url: string, requests: autocannon.Request[] | undefined, durationS: number, pid: number, headers?: Record<string, string>): Promise<Row> {
  const rssStart = rssMb(pid);
  const cpuStart = cpuMs(pid);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: durationS, requests, headers });
  const cpu = cpuMs(pid) - cpuStart;
  return {
    run: name,
    'req/s': Math.round(result.requests.average),
    'p50 ms': result.latency.p50,
    'p99 ms': result.latency.p99,
    'max ms': result.latency.max,
    errors: result.errors + result.timeouts + result.non2xx,
    requests: result.requests.total,
    'CPU µs/req': Math.round((cpu * 1000) / Math.max(1, result.requests.total)),
    'RSS start MB': Math.round(rssStart),
    'RSS end MB': Math.round(rssMb(pid)),
  };
}

async function main() {
  const db = await benchDatabase();
  const port = await freePort();
  const service = start(['--import', 'tsx', 'server/main.ts'], {
    DATABASE_URL: db.url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO_DATA: 'true', RATE_LIMIT_EXPENSIVE_READS: '0', RATE_LIMIT_WRITES: '0',
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
    // z12 tiles over the province (x 3245–3255, y 1788–1797).
    const tile = () => `/tiles/stations/12/${3245 + Math.floor(Math.random() * 11)}/${1788 + Math.floor(Math.random() * 10)}.pbf`;
    const point = () => `/api/coverage/point?lon=${(104.9 + Math.random() * 0.9).toFixed(4)}&lat=${(20.6 + Math.random() * 1.0).toFixed(4)}`;
    const coverage = () => `/api/communes/${pick(communes)}/coverage`;
    const endpoints: Record<string, () => string> = {
      'GET /api/communes/:code/coverage': coverage,
      'GET /api/summary': () => '/api/summary',
      'GET /api/gaps?target=…': () => '/api/gaps?target=pt-2026-5g-coverage',
      'GET /tiles/stations/12/…': tile,
      'GET /api/coverage/point': point,
    };
    const requestsOf = (paths: Array<() => string>): autocannon.Request[] => paths.map((p) => ({ setupRequest: (r) => ({ ...r, path: p() }) }));
    const mixed = requestsOf(Object.values(endpoints));
    // Warm-up: the first answers fill the service's caches.
    for (const p of Object.values(endpoints)) for (let i = 0; i < 5; i++) if (!(await fetch(base + p())).ok) throw new Error(`${p()} did not answer 200`);

    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; Node ${process.version}`);
    console.log(`${CONNECTIONS} connections, ${DURATION_S} s a run; service pid ${service.pid}\n`);
    const rows: Row[] = [];
    rows.push(await run('bare Express route (ceiling)', `http://127.0.0.1:${barePort}/bare`, undefined, DURATION_S, bare.pid!));
    rows.push(await run('GET /api/communes/:code/coverage', base, requestsOf([coverage]), DURATION_S, service.pid!));
    rows.push(await run('mixed: coverage, summary, gaps, tiles, point', base, mixed, DURATION_S, service.pid!));
    // autocannon asks for no compression, like curl; a browser asks for gzip.
    rows.push(await run('GET /api/communes/:code/coverage, Accept-Encoding: gzip', base, requestsOf([coverage]), DURATION_S, service.pid!, { 'accept-encoding': 'gzip' }));
    if (EACH_S > 0) for (const [name, p] of Object.entries(endpoints)) rows.push(await run(`${name} (alone, ${EACH_S} s)`, base, requestsOf([p]), EACH_S, service.pid!));
    console.table(rows);
    console.log(`coverage endpoint throughput / bare ceiling: ${(rows[1]['req/s'] / rows[0]['req/s']).toFixed(2)} (goal ≥ 0.5); p99 goal ≤ 50 ms; errors goal 0`);
    // Little's law: with every connection always waiting on one request, mean latency = connections / throughput.
    console.log(`at ${CONNECTIONS} connections a mean latency of 50 ms needs ${Math.round(CONNECTIONS / 0.05)} req/s; the bare route's mean was ${Math.round((CONNECTIONS / rows[0]['req/s']) * 1000)} ms`);

    if (SOAK_S > 0) {
      // RSS every 2 s: a single sample lands anywhere on the garbage collector's sawtooth, so the minute after the first and the last minute are compared by their medians
      // (the usual level) and their minimums (the floor after a collection, where a leak shows).
      const samples: Array<[number, number]> = [];
      const t0 = Date.now();
      const timer = setInterval(() => samples.push([(Date.now() - t0) / 1000, rssMb(service.pid!)]), 2_000);
      const soak = await run(`soak ${SOAK_S} s, mixed`, base, mixed, SOAK_S, service.pid!);
      clearInterval(timer);
      const end = rssMb(service.pid!);
      const window = (from: number, to: number) => samples.filter(([t]) => t >= from && t < to).map(([, mb]) => mb).sort((a, b) => a - b);
      const second = window(60, 120);
      const last = window(SOAK_S - 60, SOAK_S + 1);
      const median = (xs: number[]) => xs[Math.floor(xs.length / 2)] ?? NaN;
      const pct = (a: number, b: number) => `${(((b - a) / a) * 100).toFixed(1)} %`;
      console.table([soak]);
      console.log(`soak RSS each minute, min–max (MB): ${Array.from({ length: Math.ceil(SOAK_S / 60) }, (_, i) => window(i * 60, (i + 1) * 60))
        .map((w, i) => `${i + 1}: ${w[0]?.toFixed(0)}–${w[w.length - 1]?.toFixed(0)}`).join(', ')}; at the end ${end.toFixed(0)}`);
      console.log(`soak RSS, second minute → last minute: median ${median(second).toFixed(0)} → ${median(last).toFixed(0)} MB (${pct(median(second), median(last))}), ` +
        `minimum ${second[0]?.toFixed(0)} → ${last[0]?.toFixed(0)} MB (${pct(second[0], last[0])}); goal within 10 %`);
    }
  } finally {
    service.kill('SIGTERM');
    bare.kill('SIGTERM');
    await new Promise((r) => service.once('exit', r));
    await db.drop();
  }
}

runScript('bench:api', main);
