/**
 * npm run bench:uploads [-- --rows 100000 --engine embedded|server]
 *
 * Does an upload stall the server? (issue 14.) A fresh database with the default province and a
 * few stations (coverage computed, so reads are served from the stored figures); the service
 * listens on a loopback port; a client (in a thread of its own) sends `GET /api/communes/07900/coverage` every 20 ms
 * while, through HTTP, a valid CSV of `rows` SYNTHETIC station rows is uploaded as a dry run,
 * then for real, and a 6 MB file of 3,000,000 one-cell rows is uploaded. Printed: how long each
 * read waited (its answer time) while the upload was validated (parse, row checks, locating
 * the stations) and while it was written (the write transaction; on the embedded engine every
 * query waits behind it), worst and p99; the upload's own time; the time to refuse the big file.
 * The coverage recompute a real upload starts afterwards is left out (not what is measured here).
 * Embedded engine always; the server engine when DATABASE_URL or TEST_DATABASE_URL is set (a
 * throwaway database beside it). Prints figures, asserts nothing.
 */
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createCommunesRepo } from '../server/communes/communes.repo';
import { importProvinceFolder } from '../server/communes/default-province';
import { migrateToLatest } from '../server/db/migrate';
import { createJobs } from '../server/jobs/jobs';
import { createServices } from '../server/services';
import { createImportsRepo } from '../server/stations/imports.repo';
import type { ImportPhase } from '../server/stations/stations.import';
import { createStationsRepo } from '../server/stations/stations.repo';
import { createStationsService } from '../server/stations/stations.service';
import { throwawayDatabase } from './lib/bench-database';
import { startReader, summarise } from './lib/reader';
import { oneCellRows, provinceCommunes, stationCsv } from './lib/upload-files';

type Engine = 'embedded' | 'server';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, engine: { type: 'string' } } });
const ROWS = Number(values.rows);
const READ_EVERY_MS = 20;
const READ_PATH = '/api/communes/07900/coverage';

async function benchEngine(engine: Engine, csv: Buffer, big: Buffer, seed: Buffer) {
  const serverUrl = engine === 'server' ? (process.env.DATABASE_URL || process.env.TEST_DATABASE_URL)! : null;
  const { db, drop } = await throwawayDatabase(serverUrl, 'bench_uploads');
  const server = { close: (_cb: () => void) => {} } as { close: (cb: () => void) => void };
  try {
    await migrateToLatest(db.knex);
    await importProvinceFolder(createCommunesRepo(db.knex), loadConfig().geodataDir);
    const config = loadConfig({ ...(serverUrl ? { DATABASE_URL: serverUrl } : {}), LOG_LEVEL: 'silent', RATE_LIMIT_WRITES: '0', RATE_LIMIT_EXPENSIVE_READS: '0' });
    const jobs = createJobs();
    const services = createServices(db, jobs);
    // Phase marks of the upload in flight; no recompute after a write (see above).
    const marks: Partial<Record<ImportPhase, number>> = {};
    const stations = createStationsService({ stations: createStationsRepo(db.knex), imports: createImportsRepo(db.knex) });
    const importFile: typeof stations.importFile = (req) => stations.importFile(req, (phase) => { marks[phase] = performance.now(); });
    const app = createApp({ db, config, services: { ...services, stations: { ...stations, importFile } }, jobs });
    const listening = app.listen(0, '127.0.0.1');
    await new Promise((r) => listening.once('listening', r));
    server.close = (cb) => listening.close(cb);
    const base = `http://127.0.0.1:${(listening.address() as AddressInfo).port}`;
    const admin = `Bearer ${(await services.tokens.create({ role: 'admin' })).token}`;

    const post = async (body: Buffer, query: string) => {
      const t0 = performance.now();
      const res = await fetch(`${base}/api/stations/import${query}`, { method: 'POST', headers: { authorization: admin, 'content-type': 'text/csv' }, body: new Uint8Array(body) });
      const json = (await res.json()) as Record<string, unknown>;
      return { status: res.status, ms: performance.now() - t0, json };
    };
    // A few stations, and their coverage stored: the reads then come from the stored figures.
    const seeded = await post(seed, '');
    if (seeded.status !== 201) throw new Error(`seed upload: ${seeded.status} ${JSON.stringify(seeded.json).slice(0, 300)}`);
    await services.coverage.recompute({ trigger: 'bench' });

    // The reading client runs in a thread of its own: blocked with the server's event loop, it
    // would stop sending and miss the very waits it is there to see.
    const reader = startReader(base + READ_PATH, READ_EVERY_MS);
    const reads = reader.reads;
    await new Promise((r) => setTimeout(r, 1000));
    const idleUntil = performance.now();

    const run = async (label: string, body: Buffer, query: string) => {
      for (const k of Object.keys(marks)) delete marks[k as ImportPhase];
      const t0 = performance.now();
      const r = await post(body, query);
      const t1 = performance.now();
      await new Promise((res) => setTimeout(res, 300));
      const phase = (from: number | undefined, to: number | undefined) => summarise(reads.filter((x) => from !== undefined && x.at >= from && x.at < (to ?? t1)));
      return {
        label, status: r.status, ms: r.ms, detail: r.json.detail ?? null, counts: r.json.counts ?? null,
        validating: phase(marks.validating, marks.writing), writing: phase(marks.writing, marks.done), whole: phase(t0, t1),
        validatingMs: marks.validating && marks.writing ? marks.writing - marks.validating : null,
        writingMs: marks.writing && marks.done ? marks.done - marks.writing : null,
      };
    };
    const results = [await run('dry run', csv, '?dryRun=true'), await run('3,000,000 one-cell rows', big, ''), await run('import', csv, '')];
    await reader.stop();
    const idle = summarise(reads.filter((x) => x.at < idleUntil));
    return { engine, idle, results, failedReads: reads.filter((r) => r.status !== 200).length };
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
    await drop();
  }
}

const f = (v: number | null) => (v === null ? '—' : v < 10 ? v.toFixed(1) : Math.round(v).toString());

async function main() {
  const engines: Engine[] = values.engine ? [values.engine as Engine] : ['embedded', ...(process.env.DATABASE_URL || process.env.TEST_DATABASE_URL ? ['server' as const] : [])];
  const communes = await provinceCommunes();
  const csv = stationCsv(ROWS, communes, 'U');
  const seed = stationCsv(300, communes, 'S');
  const big = oneCellRows(3_000_000);
  console.log(`bench:uploads — ${ROWS} rows (${(csv.length / 2 ** 20).toFixed(1)} MiB), big file ${(big.length / 2 ** 20).toFixed(1)} MiB, a read every ${READ_EVERY_MS} ms of ${READ_PATH}`);
  console.log(`machine: ${os.cpus().length} cores, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}, node ${process.version}`);
  for (const engine of engines) {
    const r = await benchEngine(engine, csv, big, seed);
    console.log(`\n${engine} engine — reads when idle: median ${f(r.idle.medianMs)} ms, worst ${f(r.idle.worstMs)} ms (${r.idle.n} reads); reads not 200: ${r.failedReads}`);
    console.log('  upload                     status   total ms | validating ms: reads, p99, worst | writing ms: reads, p99, worst');
    for (const x of r.results) {
      console.log(
        `  ${x.label.padEnd(26)} ${String(x.status).padEnd(6)} ${f(x.ms).padStart(8)} | ${f(x.validatingMs).padStart(6)}: ${String(x.validating.n).padStart(4)}, ${f(x.validating.p99Ms).padStart(5)}, ${f(x.validating.worstMs).padStart(5)}` +
          ` | ${f(x.writingMs).padStart(6)}: ${String(x.writing.n).padStart(4)}, ${f(x.writing.p99Ms).padStart(5)}, ${f(x.writing.worstMs).padStart(5)}` +
          `   (whole upload: ${x.whole.n} reads, p99 ${f(x.whole.p99Ms)}, worst ${f(x.whole.worstMs)})`,
      );
      if (x.status !== 200 && x.status !== 201) console.log(`    ${String(x.detail)}`);
    }
  }
  console.log(`\nload after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
