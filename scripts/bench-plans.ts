/**
 * npm run bench:plans [-- --district-communes 6] [--exact-time-limit-s 60] [--flat] [--plan-only]
 *
 * Plans on the default province (148 communes, the SYNTHETIC demo stations) in a fresh database:
 * a new one beside DATABASE_URL when it is set (dropped afterwards), else an embedded one. Over
 * the configuration's SRTM heights (the default start's), with the even spread of people;
 * `--flat`: on flat ground. The cold recompute before the plan computes every terrain footprint.
 *  - the plan the issue asks for: the whole province to 65 % 5G by population, from every upgrade
 *    candidate of all operators plus the new-site grid, through the API (POST /api/plans, worker
 *    thread): time, progress seen, peak memory of the process (worker included), candidates, sites;
 *  - meanwhile, a read every 50 ms (GET /api/coverage?technology=5G, a stored answer) by a client
 *    in a thread of its own (scripts/lib/reader.ts): the longest and the median wait, and when the
 *    longest began;
 *  - the greedy/exact gap on a district-sized instance (the communes nearest the first commune
 *    missing the target, viettel's candidates): fewest sites to the district's 65 % by greedy and
 *    by HiGHS, and people covered with the greedy's number of sites by both (not with `--plan-only`).
 * Prints figures; asserts nothing.
 */
import http from 'node:http';
import type { Knex } from 'knex';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../server/config';
import { migrateToLatest } from '../server/db/migrate';
import { createCommunesRepo } from '../server/communes/communes.repo';
import { importProvinceFolder } from '../server/communes/default-province';
import { loadDemoStations } from '../server/stations/demo/load-demo';
import { createApp } from '../server/app';
import { createJobs } from '../server/jobs/jobs';
import { createServices } from '../server/services';
import { createCoverageEvaluator } from '../server/scenarios/evaluator';
import { loadCoverageInputs, NO_INPUTS, type CoverageInputs } from '../server/coverage/coverage.inputs';
import { districtInstance } from '../server/plans/instance';
import { greedyPrefix, lazyGreedy } from '../server/plans/greedy';
import { exactMaxCoverage, exactMinSites } from '../server/plans/exact';
import { boxOf } from '../server/scenarios/locate';
import { throwawayDatabase } from './lib/bench-database';
import { runScript } from './lib/run-script';
import { startReader, summarise, type Read } from './lib/reader';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;

async function main() {
  const { values: args } = parseArgs({ options: { 'district-communes': { type: 'string', default: '6' }, 'exact-time-limit-s': { type: 'string', default: '60' }, flat: { type: 'boolean', default: false }, 'plan-only': { type: 'boolean', default: false } } });
  console.log(`bench:plans on ${os.cpus().length} cores, load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}, ${new Date().toISOString()}`);
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const { db, drop } = await throwawayDatabase(config.databaseUrl, 'benchplans');
  try {
    await migrateToLatest(db.knex);
    await importProvinceFolder(createCommunesRepo(db.knex), config.geodataDir);
    await loadDemoStations(db.knex);
    const inputs: CoverageInputs = args.flat ? NO_INPUTS : { ...(await loadCoverageInputs({ populationRaster: null, terrainDir: config.terrainDir })), population: null };
    console.log(`engine: ${db.engine}; terrain: ${inputs.terrain ? inputs.terrain.model.tiles.join(', ') : 'none (flat ground)'}; population: even spread`);
    const services = createServices(db, createJobs(), inputs);
    const recomputeStarted = performance.now();
    await services.coverage.recompute({ trigger: 'bench' });
    console.log(`cold full recompute before the plan: ${((performance.now() - recomputeStarted) / 1000).toFixed(1)} s (${services.coverage.footprintStats().cached} terrain footprints cached)`);
    const admin = await services.tokens.create({ role: 'admin', label: 'bench' });
    const app = createApp({ db, config: { ...config, rateLimitWrites: 0, rateLimitExpensiveReads: 0 }, services });
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async (path: string, init: RequestInit = {}) => {
      const res = await fetch(`${base}${path}`, { ...init, headers: { Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
      return { status: res.status, body: await res.json() as any };
    };
    await call('/api/coverage?technology=5G'); // warm the stored answer

    // ---- the province plan, with reads meanwhile ----------------------------------------------
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 25);
    // The event loop's own delay tells a blocked loop from a process starved of CPU by the machine's load.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const workerDelay = monitorEventLoopDelay({ resolution: 10 });
    // The reader's thread starts before the plan, so that it reads from the plan's first moment.
    const reader = startReader(`${base}/api/coverage?technology=5G`, 50);
    await sleep(500);
    const started = performance.now();
    const created = await call('/api/plans', { method: 'POST', body: JSON.stringify({ target: 'pt-2026-5g-coverage', operator: 'all', candidates: 'both', scope: 'province' }) });
    if (created.status !== 202) throw new Error(`POST /api/plans: ${created.status} ${JSON.stringify(created.body)}`);
    const percents: Array<{ at: number; percent: number }> = [];
    let plan: any;
    for (;;) {
      plan = (await call(`/api/plans/${created.body.id}`)).body;
      if (percents.at(-1)?.percent !== plan.percent) percents.push({ at: performance.now(), percent: plan.percent });
      if (plan.percent >= 3 && percents.filter((p) => p.percent >= 3).length === 1) workerDelay.enable();
      if (plan.status === 'done' || plan.status === 'failed') break;
      await sleep(200);
    }
    const planS = (performance.now() - started) / 1000;
    loopDelay.disable();
    workerDelay.disable();
    const reads = await reader.stop();
    clearInterval(sampler);
    if (plan.status !== 'done') throw new Error(`plan failed: ${plan.error}`);
    const r = plan.result;
    const during = reads.filter((x) => x.at >= started);
    // Once the worker had its data: the plan's progress seen past the set-up on the main thread.
    const workerFrom = percents.find((p) => p.percent >= 3)?.at ?? Infinity;
    const all = summarise(during);
    const inWorker = summarise(during.filter((x) => x.at >= workerFrom));
    const progressAt = (x: Read) => [...percents].reverse().find((p) => p.at <= x.at)?.percent ?? 0;
    const longest = [...during].sort((a, b) => b.waitedMs - a.waitedMs).slice(0, 5);
    console.log(`\nprovince plan, 5G by population to 65 %, all operators, upgrades + new sites (API, worker thread)`);
    console.log(`  time from POST to done: ${planS.toFixed(2)} s (in the worker: setup ${(r.timings.setupMs / 1000).toFixed(2)} s, greedy and engine walk ${(r.timings.greedyMs / 1000).toFixed(2)} s; job ${(r.timings.totalMs / 1000).toFixed(2)} s)`);
    console.log(`  RSS of the process before the plan ${mib(rssBefore)} (${db.engine === 'embedded' ? 'the embedded database is most of it' : 'server engine: this process only, PostgreSQL not counted'}), peak during it ${mib(peakRss)} (worker included): the plan's own ${mib(peakRss - rssBefore)}`);
    console.log(`  progress seen: ${percents.map((p) => p.percent).join(' ')}`);
    console.log(`  candidates: ${r.candidates.total} (${r.candidates.upgrade} upgrades, ${r.candidates.new} new sites); demand points ${r.grids.demandPoints} at ${r.grids.demandSpacingM} m`);
    console.log(`  before ${r.before.value.toFixed(3)} %, after ${r.after.value.toFixed(3)} %, reached ${r.reached}, sites needed ${r.sitesNeeded} (${r.sites.filter((s: any) => s.kind === 'upgrade').length} upgrades, ${r.sites.filter((s: any) => s.kind === 'new').length} new)`);
    console.log(`  reads during the plan (a client in its own thread): ${all.n}, longest wait ${all.worstMs?.toFixed(1)} ms, p99 ${all.p99Ms?.toFixed(1)} ms, median ${all.medianMs?.toFixed(1)} ms; failed ${during.filter((x) => x.status !== 200).length}`);
    console.log(`  event-loop delay of the server's thread during the plan: max ${(loopDelay.max / 1e6).toFixed(1)} ms, p99 ${(loopDelay.percentile(99) / 1e6).toFixed(1)} ms, mean ${(loopDelay.mean / 1e6).toFixed(1)} ms; while the worker computed: max ${(workerDelay.max / 1e6).toFixed(1)} ms, p99 ${(workerDelay.percentile(99) / 1e6).toFixed(1)} ms`);
    console.log(`  of which while the worker computed: ${inWorker.n}, longest ${inWorker.worstMs?.toFixed(1)} ms, median ${inWorker.medianMs?.toFixed(1)} ms`);
    console.log(`  the five longest waits (sent after the POST, the plan's progress then): ${longest.map((x) => `${x.waitedMs.toFixed(0)} ms at ${((x.at - started) / 1000).toFixed(2)} s (${progressAt(x)} %)`).join('; ')}`);

    if (!args['plan-only']) await districtGap(db.knex, inputs, call, Number(args['district-communes']), Number(args['exact-time-limit-s']));
    server.close();
    await services.jobs.idle();
    await services.coverage.close();
  } finally {
    await drop();
  }
}

/** A district: the greedy's sites and people against the exact optimum (HiGHS) on the same instance. */
async function districtGap(knex: Knex, inputs: CoverageInputs, call: (path: string) => Promise<{ status: number; body: any }>, districtCommunes: number, limit: number) {
  const ev = createCoverageEvaluator(knex, { terrain: inputs.terrain });
  const communes = await ev.communes();
  const byCode = new Map(communes.map((c) => [c.code, c]));
  const on = await ev.radiosOn(new Date().toISOString().slice(0, 10));
  const official = (await call('/api/coverage?technology=5G&operator=all')).body.communes as Array<{ communeCode: string; populationPct: number }>;
  const seed = byCode.get(official.find((f) => f.populationPct < 40)!.communeCode)!;
  const centre = (c: typeof seed) => { const b = boxOf(c.geometry); return [(b[0] + b[2]) / 2, (b[1] + b[3]) / 2]; };
  const [sx, sy] = centre(seed);
  const scope = [...communes].sort((a, b) => Math.hypot(centre(a)[0] - sx, centre(a)[1] - sy) - Math.hypot(centre(b)[0] - sx, centre(b)[1] - sy)).slice(0, districtCommunes);
  const pct = new Map(official.map((f) => [f.communeCode, f.populationPct]));
  const { instance, candidates: cands, population: people, need } = districtInstance(communes, on.radios, ev, { scope, technology: '5G', operator: 'viettel', threshold: 65, communePct: pct });
  let greedySites = 0;
  for (const step of lazyGreedy(instance)) { greedySites++; if (step.cumulative >= need) break; }
  console.log(`\ndistrict: ${scope.length} communes around ${seed.name} (${scope.map((c) => c.code).join(', ')}), ${people} people, viettel 5G candidates ${cands.length} (${cands.filter((c) => c.kind === 'upgrade').length} upgrades), target 65 % on the demand points`);
  let t = performance.now();
  const minSites = await exactMinSites(instance, need, limit);
  console.log(`  sites to the target: greedy ${greedySites}, exact ${minSites.chosen.length} (${minSites.status}, ${((performance.now() - t) / 1000).toFixed(1)} s): gap ${greedySites - minSites.chosen.length} sites`);
  const k = Math.max(1, minSites.chosen.length - 1);
  const g = greedyPrefix(instance, k).at(-1)?.cumulative ?? 0;
  t = performance.now();
  const best = await exactMaxCoverage(instance, k, limit);
  console.log(`  people covered with ${k} sites: greedy ${Math.round(g)}, exact ${Math.round(best.coveredWeight)} (${best.status}, ${((performance.now() - t) / 1000).toFixed(1)} s): gap ${Math.round(best.coveredWeight - g)} people (${(100 * (1 - g / best.coveredWeight)).toFixed(2)} %)`);
}

runScript('bench:plans', main);
