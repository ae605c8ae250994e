/**
 * npm run bench:import [-- --rows 100000]
 *
 * Import speed: a CSV of 100,000 valid radio rows (SYNTHETIC demo sites of several seeds, five
 * operators, all inside the province) built in memory, then parsed, validated and written through
 * the real import path (`createStationsService(...).importFile`, as a local admin, mode merge)
 * into a fresh database with the default province. Runs the embedded engine, and the server
 * engine when DATABASE_URL or TEST_DATABASE_URL is set (a new database beside it, dropped after),
 * each in its own child process so that peak RSS is per engine. With the embedded engine the
 * process also holds PGlite (WASM PostgreSQL), so its RSS includes the database.
 * Goal (issue 3): 100k rows in ≤ 10 s server, ≤ 30 s embedded, peak RSS ≤ 400 MB.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config';
import { migrateToLatest } from '../server/db/migrate';
import { createCommunesRepo } from '../server/communes/communes.repo';
import { importProvinceFolder } from '../server/communes/default-province';
import { findBoundariesFile } from '../server/communes/import/geodata-dir';
import { parseCommuneFile } from '../server/communes/import/parse-communes';
import { generateDemoStations, type DemoCommune } from '../server/stations/demo/generate-demo';
import { parseStationFile } from '../server/stations/import/index';
import { createImportsRepo } from '../server/stations/imports.repo';
import { createStationsRepo } from '../server/stations/stations.repo';
import { createStationsService } from '../server/stations/stations.service';
import type { RadioRow } from '../server/stations/stations.schema';
import { throwawayDatabase } from './lib/bench-database';

type Engine = 'embedded' | 'server';

interface Result {
  engine: Engine;
  rows: number;
  sites: number;
  csvMiB: number;
  parseMs: number;
  validatingMs: number;
  writingMs: number;
  totalMs: number;
  /** CPU time of this process during the import (with the embedded engine, PGlite's work too). */
  cpuMs: number;
  rssBeforeMiB: number;
  rssPeakDuringMiB: number;
  maxRssMiB: number;
  counts: Record<string, number>;
  /** 1-minute load average when the import started and when it ended: the machine may be shared. */
  loadBefore: number;
  loadAfter: number;
}

const HEADER = ['operator', 'site_code', 'name', 'lon', 'lat', 'technology', 'band_mhz', 'height_m', 'azimuth_deg', 'beamwidth_deg', 'radius_m', 'status', 'commissioned_on', 'decommissioned_on'] as const;
const cell = (v: unknown) => (v === null || v === undefined ? '' : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const MiB = 2 ** 20;

/** The communes of the default province straight from its boundary file (no database needed). */
async function provinceCommunes(): Promise<DemoCommune[]> {
  const file = await findBoundariesFile(loadConfig().geodataDir);
  const { communes } = parseCommuneFile(await fs.readFile(file, 'utf8'));
  return communes.map((c) => ({ code: c.code, name: c.name, kind: c.kind, population: c.population, areaKm2: c.officialAreaKm2 ?? 1, geometry: c.geometry }));
}

/** The CSV: demo station sets of seeds 1, 2, … with site codes prefixed by the seed, cut at `rows`. */
function buildCsv(rowsWanted: number, communes: DemoCommune[]): { csv: Buffer; sites: number } {
  const lines: string[] = [HEADER.join(',')];
  const sites = new Set<string>();
  for (let seed = 1; lines.length <= rowsWanted; seed++) {
    for (const r of generateDemoStations(communes, { seed })) {
      if (lines.length > rowsWanted) break;
      const row: Record<(typeof HEADER)[number], unknown> = {
        operator: r.operator, site_code: `B${seed}-${r.siteCode}`, name: r.name, lon: r.lon, lat: r.lat, technology: r.technology,
        band_mhz: r.bandMhz, height_m: r.heightM, azimuth_deg: r.azimuthDeg, beamwidth_deg: r.beamwidthDeg, radius_m: r.radiusM,
        status: r.status, commissioned_on: r.commissionedOn, decommissioned_on: r.decommissionedOn,
      } satisfies Record<(typeof HEADER)[number], RadioRow[keyof RadioRow] | string>;
      lines.push(HEADER.map((h) => cell(row[h])).join(','));
      sites.add(`${r.operator}/${seed}/${r.siteCode}`);
    }
  }
  return { csv: Buffer.from(lines.join('\n') + '\n'), sites: sites.size };
}

/** One engine, in this (child) process: fresh database with the province, then the import of `file`. */
async function child(engine: Engine, file: string): Promise<Omit<Result, 'sites'>> {
  const { db, drop } = await throwawayDatabase(engine === 'server' ? (process.env.DATABASE_URL || process.env.TEST_DATABASE_URL)! : null, 'bench_import');
  try {
    await migrateToLatest(db.knex);
    await importProvinceFolder(createCommunesRepo(db.knex), loadConfig().geodataDir);
    const csv = await fs.readFile(file);
    const stationsRepo = createStationsRepo(db.knex);
    const knownOperators = (await stationsRepo.operators()).map((o) => o.code);

    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 20);
    const service = createStationsService({ stations: stationsRepo, imports: createImportsRepo(db.knex) });
    const marks: Record<string, number> = {};
    const loadBefore = os.loadavg()[0];
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const report = await service.importFile(
      { data: csv, fileName: 'bench.csv', contentType: 'text/csv', principal: { kind: 'local', user: 'bench' }, mode: 'merge', dryRun: false },
      (phase) => { marks[phase] = performance.now(); },
    );
    const totalMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const loadAfter = os.loadavg()[0];
    clearInterval(sampler);
    rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
    const maxRssMiB = process.resourceUsage().maxRSS / 1024;

    // Then, apart (after the peak was taken): parse and row validation alone, no database.
    const p0 = performance.now();
    await parseStationFile(csv, { filename: 'bench.csv', knownOperators });
    const parseMs = performance.now() - p0;
    return {
      engine, rows: report.rows, csvMiB: csv.length / MiB, parseMs,
      validatingMs: marks.writing - marks.validating, writingMs: marks.done - marks.writing, totalMs, cpuMs: (cpu.user + cpu.system) / 1000,
      rssBeforeMiB: rssBefore / MiB, rssPeakDuringMiB: rssPeak / MiB, maxRssMiB,
      counts: { ...report.counts }, loadBefore, loadAfter,
    };
  } finally {
    await drop();
  }
}

function runChild(engine: Engine, file: string): Promise<Omit<Result, 'sites'>> {
  return new Promise((resolve, reject) => {
    const self = fileURLToPath(import.meta.url);
    const proc = spawn(process.execPath, [...process.execArgv, '--expose-gc', self, '--engine', engine, '--file', file], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d) => { out += d; });
    proc.on('error', reject);
    proc.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('RESULT '.length)));
      else reject(new Error(`${engine} run failed (exit ${code}): ${out.slice(-2000)}`));
    });
  });
}

async function main() {
  const { values } = parseArgs({ options: { engine: { type: 'string' }, file: { type: 'string' }, rows: { type: 'string', default: '100000' } } });
  const rows = Number(values.rows);
  if (values.engine) {
    console.log(`RESULT ${JSON.stringify(await child(values.engine as Engine, values.file!))}`);
    return;
  }
  // The file is built here, so that neither the generator nor its turf geometry weighs on a child's RSS.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'phusong-bench-import-csv-'));
  const file = path.join(dir, 'stations.csv');
  const built = buildCsv(rows, await provinceCommunes());
  await fs.writeFile(file, built.csv);
  const engines: Engine[] = process.env.DATABASE_URL || process.env.TEST_DATABASE_URL ? ['embedded', 'server'] : ['embedded'];
  const goals: Record<Engine, number> = { embedded: 30, server: 10 };
  const results: Result[] = [];
  try {
    for (const engine of engines) {
      console.log(`… ${engine}: fresh database, province, then the import of ${rows} rows`);
      const r = await runChild(engine, file);
      if (r.rows !== rows) throw new Error(`${engine}: imported ${r.rows} rows, expected ${rows}`);
      results.push({ ...r, sites: built.sites });
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  console.log(`\nbench:import, ${rows} rows of SYNTHETIC demo stations, ${os.cpus().length} cores, node ${process.version}, ${new Date().toISOString()}`);
  const head = ['engine', 'rows', 'sites', 'CSV', 'parse+rows', 'validating', 'writing', 'total', 'CPU (Node)', 'rows/s', 'goal', 'RSS before', 'RSS peak (import)', 'max RSS (process)', 'load'];
  const table = results.map((r) => [
    r.engine, String(r.rows), String(r.sites), `${r.csvMiB.toFixed(1)} MiB`, `${(r.parseMs / 1000).toFixed(2)} s`, `${(r.validatingMs / 1000).toFixed(2)} s`,
    `${(r.writingMs / 1000).toFixed(2)} s`, `${(r.totalMs / 1000).toFixed(2)} s`, `${(r.cpuMs / 1000).toFixed(2)} s`, String(Math.round(r.rows / (r.totalMs / 1000))),
    `≤ ${goals[r.engine]} s, ≤ 400 MiB`, `${Math.round(r.rssBeforeMiB)} MiB`, `${Math.round(r.rssPeakDuringMiB)} MiB`, `${Math.round(r.maxRssMiB)} MiB`,
    `${r.loadBefore.toFixed(1)} → ${r.loadAfter.toFixed(1)}`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  console.log(head.map((h, i) => h.padEnd(widths[i])).join('  '));
  for (const t of table) console.log(t.map((c, i) => c.padEnd(widths[i])).join('  '));
  console.log('\n"parse+rows" is parse and row validation alone, measured after the import; "validating" is that plus locating');
  console.log('every site in its commune (PostGIS); "writing" the one transaction. "CPU (Node)": this process only, so with the');
  console.log("server engine it leaves out PostgreSQL's own work. RSS before/peak: sampled every 20 ms around the import.");
  console.log(`"load": 1-minute load average at the start and the end of the import, on ${os.cpus().length} cores.`);
  for (const r of results) console.log(`${r.engine}: ${JSON.stringify(r.counts)}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench:import: ${err instanceof Error ? err.stack : String(err)}`);
    process.exit(1);
  },
);
