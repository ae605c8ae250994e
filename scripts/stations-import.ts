/**
 * npm run stations:import -- --file F --operator CODE [--format csv|xlsx|opencellid|geojson] [--mode merge|replace] [--dry-run]
 * Same validation and all-or-nothing write as POST /api/stations/import, as a local admin; then,
 * as after an upload, recomputes the coverage of the communes the touched stations can reach
 * (`--no-recompute` leaves the figures stale, flagged so, until `npm run coverage:recompute`).
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openMigratedDatabase } from '../server/bootstrap';
import { loadConfig } from '../server/config';
import { InvalidFileError } from '../server/errors';
import type { RecomputeResult } from '../server/coverage/coverage.service';
import { createJobs, type Job } from '../server/jobs/jobs';
import { createServices } from '../server/services';
import { loadCoverageInputs } from '../server/coverage/coverage.inputs';
import { createImportsRepo } from '../server/stations/imports.repo';
import { createStationsRepo } from '../server/stations/stations.repo';
import { createStationsService } from '../server/stations/stations.service';
import { ImportQuerySchema } from '../server/stations/stations.query';
import { runScript } from './lib/run-script';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    operator: { type: 'string' },
    format: { type: 'string' },
    mode: { type: 'string', default: 'merge' },
    'dry-run': { type: 'boolean', default: false },
    'no-recompute': { type: 'boolean', default: false },
  },
});

async function run(): Promise<number> {
  if (!values.file) throw new Error('give --file F');
  const query = ImportQuerySchema.parse({ format: values.format, mode: values.mode, dryRun: values['dry-run'], operator: values.operator });
  const data = await fs.readFile(values.file);
  const config = loadConfig();
  const db = await openMigratedDatabase(config);
  try {
    const recompute = !values['no-recompute'];
    const jobs = createJobs();
    const services = createServices(db, jobs, await loadCoverageInputs(config));
    // As after an upload: the figures are recomputed (a job, awaited below).
    const service = recompute ? services.stations : createStationsService({ stations: createStationsRepo(db.knex), imports: createImportsRepo(db.knex) });
    const report = await service.importFile(
      { data, fileName: path.basename(values.file), contentType: null, principal: { kind: 'local', user: os.userInfo().username },
        format: query.format, mode: query.mode, dryRun: query.dryRun, operator: query.operator ?? null },
      (phase) => console.log(`… ${phase}`),
    );
    const c = report.counts;
    console.log(`import #${report.importId} ${report.dryRun ? '(dry run, nothing written) ' : ''}${report.format}, ${report.mode}, ${report.rows} rows, operators ${report.operators.join(', ')}`);
    console.log(`  stations: ${c.stationsInserted} new, ${c.stationsUpdated} updated`);
    console.log(`  radios: ${c.radiosInserted} new, ${c.radiosUpdated} updated, ${c.radiosUnchanged} unchanged, ${c.radiosDecommissioned} decommissioned`);
    for (const w of report.warnings) console.log(`  warning row ${w.row ?? '-'} ${w.column ?? ''}: ${w.message}`);
    if (report.recomputeJobId === null) return 0;
    console.log('… recomputing the coverage of the communes the touched stations reach');
    await jobs.idle();
    const job = jobs.get(report.recomputeJobId) as Job<RecomputeResult>;
    if (job.status !== 'succeeded' || !job.result) throw new Error(`coverage recompute failed: ${job.error ?? job.status}`);
    console.log(`  coverage run #${job.result.runId}: ${job.result.communes} communes in ${job.result.durationMs} ms`);
    return 0;
  } finally {
    await db.close();
  }
}

runScript('stations:import', run, (err) => {
  if (!(err instanceof InvalidFileError)) return [];
  const lines = err.issues.slice(0, 200).map((i) => `  ${i.severity} row ${i.row ?? '-'} ${i.column ?? ''}: ${i.message}`);
  return err.total > 200 ? [...lines, `  … and ${err.total - 200} more`] : lines;
});
