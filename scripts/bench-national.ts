/**
 * npm run bench:national [-- --scale 1 --duration 30 --connections 200 --seed 2026 --file F]
 *
 * The national atlas at scale (issue 16), on the SERVER engine: a throwaway database beside
 * DATABASE_URL or TEST_DATABASE_URL (dropped afterwards). In one run:
 *  - imports the national communes (NATIONAL_COMMUNES, or
 *    --file): Phú Thọ's first, then the other provinces', each timed;
 *  - generates a SYNTHETIC national station set: the demo generator per province, its published
 *    anchors (Phú Thọ's) scaled by the province's population to about 100,000 sites nationally,
 *    site codes DEMO-<province>-…, flagged is_demo; written Phú Thọ first, then the rest, each timed;
 *  - recomputes the coverage of Phú Thọ alone, then of every commune (the full recompute), each
 *    with its wall time, time per commune and per radio on air, and this process's peak memory;
 *  - starts the service on that database, times the first map of the country in Chromium, and loads GET /api/communes/:code/coverage (any commune)
 *    and GET /api/summary?province=XX (any province) with autocannon, against a bare Express
 *    route in a process of its own measured in the same run.
 * Every figure is printed with its goal. `--scale 0.1` takes the provinces (Phú Thọ first, then by
 * code) holding about a tenth of the people, with their share of the stations: try it small first.
 * Not a test: figures go in test/bench/README.md with their date and the machine's load.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { bbox as turfBbox, feature, featureCollection } from '@turf/turf';
import { loadConfig } from '../server/config';
import { openDatabase, type Database } from '../server/db/database';
import { migrateToLatest } from '../server/db/migrate';
import { createCommunesRepo } from '../server/communes/communes.repo';
import { importCommunes } from '../server/communes/communes.import';
import { readProvincesCsv } from '../server/provinces/import/provinces-csv';
import { readDemoCommunes } from '../server/stations/demo/load-demo';
import { generateDemoStations, PHU_THO_ANCHORS, type DemoAnchors } from '../server/stations/demo/generate-demo';
import { createStationsRepo } from '../server/stations/stations.repo';
import { DEFAULT_OPERATORS } from '../server/stations/stations.schema';
import { readPopulationGrid } from '../server/population/population-raster';
import { loadCoverageInputs } from '../server/coverage/coverage.inputs';
import { createServices } from '../server/services';
import { createJobs } from '../server/jobs/jobs';
import { throwawayServerDatabase } from './lib/bench-database';
import { runScript } from './lib/run-script';
import { freePort, rssMb, waitFor } from './lib/processes';
import { hasChromium, launchChromium } from '../test/e2e/support/browser';

const { values } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    duration: { type: 'string', default: '30' },
    connections: { type: 'string', default: '200' },
    seed: { type: 'string', default: '2026' },
    file: { type: 'string' },
  },
});
const SCALE = Number(values.scale);
const DURATION_S = Number(values.duration);
const CONNECTIONS = Number(values.connections);
const SEED = Number(values.seed);
/** About 100,000 sites for the whole country (issue 16); Phú Thọ's demo set has 10,240 for 4.0 million people. */
const NATIONAL_SITES = 100_000;
const HOME = '25';
const GOALS = { recomputeS: 60, recomputeGoalS: 15, peakGiB: 4, throughputShare: 0.5, firstMapMs: 3000 };

const mib = (bytes: number) => bytes / 2 ** 20;
const gib = (bytes: number) => bytes / 2 ** 30;

/** Peak RSS of this process during `fn`, sampled every 100 ms, with its wall time. */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakRss: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 100);
  const t0 = performance.now();
  try {
    const value = await fn();
    return { value, seconds: (performance.now() - t0) / 1000, peakRss: Math.max(peak, process.memoryUsage().rss) };
  } finally {
    clearInterval(timer);
  }
}

/** Phú Thọ's anchors scaled to `sites` (their proportions kept). */
function scaledAnchors(sites: number): DemoAnchors {
  const a = PHU_THO_ANCHORS;
  const f = sites / a.sites3gOr4g;
  const sites5g = Math.round(a.sites5g * f);
  return {
    sites3gOr4g: sites,
    sites4g: Math.max(Math.round(a.sites4g * f), sites5g + Math.round(a.planned5g * f)),
    sites5g,
    sites5gOnAir: { date: a.sites5gOnAir.date, count: Math.min(sites5g, Math.round(a.sites5gOnAir.count * f)) },
    planned5g: Math.round(a.planned5g * f),
  };
}




async function load(name: string, url: string, paths: (() => string) | null) {
  const result = await autocannon({
    url, connections: CONNECTIONS, duration: DURATION_S,
    requests: paths ? [{ setupRequest: (r) => ({ ...r, path: paths() }) }] : undefined,
  });
  return {
    run: name, 'req/s': Math.round(result.requests.average), 'p50 ms': result.latency.p50, 'p99 ms': result.latency.p99,
    errors: result.errors + result.timeouts + result.non2xx, requests: result.requests.total,
  };
}

const uptime = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function main() {
  if (!(SCALE > 0 && SCALE <= 1)) throw new Error('--scale is a fraction of the national set, 0 < scale ≤ 1');
  const server = process.env.DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!server) throw new Error('bench:national runs on the server engine: set DATABASE_URL or TEST_DATABASE_URL (a throwaway database is made beside it)');
  const config = loadConfig();
  const file = values.file ? path.resolve(values.file) : config.nationalCommunes;
  const provinces = await readProvincesCsv(config.provincesCsv);
  const doc = JSON.parse(await fs.readFile(file, 'utf8')) as { type: string; features: Array<{ properties: Record<string, unknown> }> };
  const people = new Map<string, number>();
  for (const f of doc.features) people.set(String(f.properties.ma_tinh), (people.get(String(f.properties.ma_tinh)) ?? 0) + (Number(f.properties.dan_so) || 0));
  const total = [...people.values()].reduce((s, n) => s + n, 0);
  // Phú Thọ first, then by code, until the share of the people asked for.
  const order = [HOME, ...[...people.keys()].filter((c) => c !== HOME).sort()];
  const chosen: string[] = [];
  for (const code of order) if (chosen.length === 0 || [...chosen].reduce((s, c) => s + people.get(c)!, 0) < SCALE * total - 1) chosen.push(code);
  const sitesOf = (code: string) => Math.round((NATIONAL_SITES * people.get(code)!) / total);

  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0].model}, ${gib(os.totalmem()).toFixed(0)} GiB; Node ${process.version}; load average ${uptime()}`);
  console.log(`scale ${SCALE}: ${chosen.length} of ${people.size} provinces, ${chosen.reduce((s, c) => s + people.get(c)!, 0)} of ${total} people (register figures); SYNTHETIC stations\n`);

  const { url, drop } = await throwawayServerDatabase(server, 'bench_national');
  let db: Database | null = await openDatabase({ databaseUrl: url, dataDir: '' });
  const children: ChildProcess[] = [];
  try {
    await migrateToLatest(db.knex);
    const repo = createCommunesRepo(db.knex);
    const featuresOf = (codes: string[]) => JSON.stringify({ type: 'FeatureCollection', features: doc.features.filter((f) => codes.includes(String(f.properties.ma_tinh))) });

    const stations = createStationsRepo(db.knex);
    const inputs = await loadCoverageInputs(config);
    const sites = (rows: Array<{ operator: string; siteCode: string }>) => new Set(rows.map((r) => `${r.operator}/${r.siteCode}`)).size;
    let maxRssBefore = 0;

    /**
     * One step of growth: import the communes of `codes`, generate and write their stations, then
     * a cold full recompute (a new service: nothing kept from an earlier run) of the whole database.
     */
    const step = async (codes: string[]) => {
      const imp = await measured(() => importCommunes(repo, featuresOf(codes), { provinces }));
      const unknown = imp.value.warnings.filter((w) => w.reason.startsWith('population unknown')).length;
      const k = db!.knex;
      const { rows: communeRows } = await k.raw<{ rows: Array<{ code: string; province: string }> }>(
        'SELECT code, province_code AS province FROM communes WHERE province_code IN (SELECT json_array_elements_text(?::json))', [JSON.stringify(codes)]);
      const own = new Set(communeRows.map((r) => r.code));
      const demo = (await readDemoCommunes(k)).filter((c) => own.has(c.code));
      const gen = await measured(async () => {
        const rows = [];
        for (const code of codes) {
          const communes = demo.filter((c) => communeRows.find((r) => r.code === c.code)?.province === code);
          const bbox = turfBbox(featureCollection(communes.map((c) => feature(c.geometry)))) as [number, number, number, number];
          const population = config.populationRaster ? await readPopulationGrid(config.populationRaster, bbox) : null;
          for (const r of generateDemoStations(communes, { seed: SEED + Number(code), anchors: scaledAnchors(sitesOf(code)), population })) {
            rows.push({ ...r, row: rows.length + 2, siteCode: r.siteCode.replace(/^DEMO-/, `DEMO-${code}-`) });
          }
        }
        return rows;
      });
      const wrote = await measured(() => stations.write(gen.value, { mode: 'merge', operators: DEFAULT_OPERATORS, dryRun: false, importId: null, isDemo: true }));
      console.log(`  communes: ${imp.value.inserted} of ${codes.length} province(s) imported in ${imp.seconds.toFixed(1)} s (population unknown: ${unknown})`);
      console.log(`  stations (SYNTHETIC): ${sites(gen.value)} sites, ${gen.value.length} radios: generated in ${gen.seconds.toFixed(1)} s, written in ${wrote.seconds.toFixed(1)} s`);
      const { coverage } = createServices(db!, createJobs(), inputs);
      console.log(`  load average before the recompute: ${uptime()}`);
      const rc = await measured(() => coverage.recompute({ trigger: 'bench' }));
      console.log(`  full recompute, cold: ${rc.value.communes} communes, ${rc.value.radios} radios on air: ${rc.seconds.toFixed(1)} s ` +
        `(${((rc.seconds * 1000) / rc.value.communes).toFixed(1)} ms/commune, ${((rc.seconds * 1e6) / Math.max(1, rc.value.radios)).toFixed(1)} µs/radio), ` +
        `peak RSS ${mib(rc.peakRss).toFixed(0)} MiB; load average after ${uptime()}`);
      return { imp, gen, wrote, rc, maxRss: process.resourceUsage().maxRSS * 1024 };
    };

    console.log(`province ${HOME} alone:`);
    const one = await step([HOME]);
    maxRssBefore = one.maxRss;
    const rest = chosen.filter((c) => c !== HOME);
    console.log(`\nthen the other ${rest.length} province(s), and the whole database recomputed:`);
    const all = rest.length ? await step(rest) : one;
    const maxRss = process.resourceUsage().maxRSS * 1024;
    const { rows: provinceOf } = await db.knex.raw<{ rows: Array<{ code: string; province: string }> }>('SELECT code, province_code AS province FROM communes');
    const communesAll = provinceOf.length;
    const [{ n: radiosAll, s: sitesAll }] = (await db.knex.raw('SELECT count(*)::int AS n, count(DISTINCT station_id)::int AS s FROM radios')).rows;
    const rcN = all.rc;
    await db.close();
    db = null;

    // 4. HTTP under load: the service on this database against a bare Express route.
    const port = await freePort();
    const service = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', DEMO_DATA: 'false', RATE_LIMIT_EXPENSIVE_READS: '0', RATE_LIMIT_WRITES: '0' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(service);
    const barePort = await freePort();
    const bare = spawn(process.execPath, ['-e', `require('express')().get('/bare', (q, s) => s.json({ ok: true })).listen(${barePort}, '127.0.0.1')`], { stdio: 'ignore' });
    children.push(bare);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/api/health`, 600_000);
    await waitFor(`http://127.0.0.1:${barePort}/bare`, 30_000);
    const codes = provinceOf.map((r) => r.code);
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
    const communePath = () => `/api/communes/${pick(codes)}/coverage`;
    const summaryPath = () => `/api/summary?province=${pick(chosen)}`;
    // Warm-up: every province's summary once, and some communes (the service's caches fill).
    const warm = await measured(async () => {
      for (const c of chosen) if (!(await fetch(`${base}/api/summary?province=${c}`)).ok) throw new Error(`summary of ${c} did not answer 200`);
      for (let i = 0; i < 50; i++) if (!(await fetch(base + communePath())).ok) throw new Error('commune coverage did not answer 200');
    });
    console.log(`\nservice up (RSS ${rssMb(service.pid!).toFixed(0)} MiB); warm-up (${chosen.length} summaries, 50 communes) ${warm.seconds.toFixed(1)} s; load average ${uptime()}`);
    // 5. The first map of the country in Chromium (Debian's, through playwright-core): navigation to
    // the provinces drawn and coloured, as the page itself stamps it (body[data-ready-ms]); a fresh
    // browser context, then a reload.
    let firstMap: { cold: number; warm: number } | null = null;
    if (hasChromium()) {
      const browser = await launchChromium();
      try {
        const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
        const ready = async () => {
          await page.waitForSelector('body[data-ready]', { timeout: 120_000 });
          if ((await page.getAttribute('body', 'data-ready')) !== 'true') throw new Error('the country map did not draw');
          if ((await page.getAttribute('meta[name="phusong-scope"]', 'content')) !== 'country') throw new Error('the page did not open on the country');
          return Number(await page.getAttribute('body', 'data-ready-ms'));
        };
        await page.goto(`${base}/`);
        const cold = await ready();
        await page.reload();
        firstMap = { cold, warm: await ready() };
      } finally {
        await browser.close();
      }
      console.log(`first map of the country in Chromium (navigation → provinces drawn and coloured): first ${firstMap.cold} ms, after a reload ${firstMap.warm} ms`);
    } else console.log('first map of the country: not measured (no Chromium at the path test/e2e/support/browser.ts names)');

    const runs = [
      await load('bare Express route (ceiling)', `http://127.0.0.1:${barePort}/bare`, null),
      await load('GET /api/communes/:code/coverage', base, communePath),
      await load('GET /api/summary?province=XX', base, summaryPath),
    ];
    const serviceRss = rssMb(service.pid!);
    console.table(runs);

    const ok = (pass: boolean) => (pass ? '✔' : '✘');
    const bareRate = runs[0]['req/s'];
    console.log('\nfigure                                   measured                     goal');
    const line = (name: string, measuredText: string, goal: string, pass: boolean) => console.log(`${ok(pass)} ${name.padEnd(38)} ${measuredText.padEnd(28)} ${goal}`);
    line('full recompute, wall time', `${rcN.seconds.toFixed(1)} s`, `≤ ${GOALS.recomputeS} s (goal ≤ ${GOALS.recomputeGoalS} s)`, rcN.seconds <= GOALS.recomputeS);
    line('peak memory of this process (maxRSS)', `${gib(maxRss).toFixed(2)} GiB`, `≤ ${GOALS.peakGiB} GiB`, gib(maxRss) <= GOALS.peakGiB);
    line('service RSS after the load runs', `${(serviceRss / 1024).toFixed(2)} GiB`, `≤ ${GOALS.peakGiB} GiB`, serviceRss / 1024 <= GOALS.peakGiB);
    if (firstMap) line('first map of the country (Chromium)', `${firstMap.cold} ms`, `≤ ${GOALS.firstMapMs} ms`, firstMap.cold <= GOALS.firstMapMs);
    for (const r of runs.slice(1)) {
      line(`${r.run}: errors`, `${r.errors}`, '0', r.errors === 0);
      line(`${r.run}: req/s ÷ bare`, `${r['req/s']} ÷ ${bareRate} = ${(r['req/s'] / bareRate).toFixed(2)}`, `≥ ${GOALS.throughputShare}`, r['req/s'] / bareRate >= GOALS.throughputShare);
    }
    console.log(`\ngrowth, province ${HOME} alone (its own database so far) → ${chosen.length} provinces (${communesAll} communes, ${sitesAll} sites, ${radiosAll} radios); import and write figures are of each step's own rows:`);
    const growth = (name: string, one: number, all: number, unit: string) => console.log(`  ${name.padEnd(36)} ${one.toFixed(2)} → ${all.toFixed(2)} ${unit} (× ${(all / one).toFixed(2)})`);
    growth('commune import, per commune', (one.imp.seconds * 1000) / one.imp.value.inserted, (all.imp.seconds * 1000) / all.imp.value.inserted, 'ms');
    growth('station write, per radio', (one.wrote.seconds * 1e6) / one.gen.value.length, (all.wrote.seconds * 1e6) / all.gen.value.length, 'µs');
    growth('full recompute, per commune', (one.rc.seconds * 1000) / one.rc.value.communes, (rcN.seconds * 1000) / rcN.value.communes, 'ms');
    growth('full recompute, per radio on air', (one.rc.seconds * 1e6) / Math.max(1, one.rc.value.radios), (rcN.seconds * 1e6) / Math.max(1, rcN.value.radios), 'µs');
    growth('full recompute, wall time', one.rc.seconds, rcN.seconds, 's');
    growth('peak RSS of this process', gib(maxRssBefore), gib(maxRss), 'GiB');
    console.log(`load average at the end: ${uptime()}`);
  } finally {
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
    await db?.close();
    await drop();
  }
}

runScript('bench:national', main);
