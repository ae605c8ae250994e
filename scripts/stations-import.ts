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
import { createCoverageRepo } from '../server/coverage/coverage.repo';
import { createCoverageService } from '../server/coverage/coverage.service';
import { createImportsRepo } from '../server/stations/imports.repo';
import { createStationsRepo } from '../server/stations/stations.repo';
import { createStationsService } from '../server/stations/stations.service';
import { ImportQuerySchema } from '../server/stations/stations.query';
import { historyFor } from '../server/summary/history.service';

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
  const db = await openMigratedDatabase(loadConfig());
  try {
    const history = historyFor(db.knex);
    const coverage = createCoverageService(createCoverageRepo(db.knex), { afterRecompute: (r) => history.snapshot({ trigger: 'recompute', runId: r.runId }) });
    const service = createStationsService({
      stations: createStationsRepo(db.knex),
      imports: createImportsRepo(db.knex),
      afterWrite: values['no-recompute'] ? undefined : async (write, importId) => {
        const codes = await coverage.affectedCommunes(write.touchedStationIds);
        if (codes.length === 0) return;
        console.log(`… recomputing the coverage of ${codes.length} communes`);
        const run = await coverage.recompute({ codes, trigger: 'import', importId });
        console.log(`  coverage run #${run.runId}: ${run.communes} communes in ${run.durationMs} ms`);
      },
    });
    // The radio list the stored figures came from: the recompute then covers only the communes reached.
    if (!values['no-recompute'] && !query.dryRun) await coverage.warm().catch(() => {});
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
    return 0;
  } finally {
    await db.close();
  }
}

run().then((c) => process.exit(c), (err) => {
  if (err instanceof InvalidFileError) {
    console.error(`stations:import: ${err.message}`);
    for (const i of err.issues.slice(0, 200)) console.error(`  ${i.severity} row ${i.row ?? '-'} ${i.column ?? ''}: ${i.message}`);
    if (err.total > 200) console.error(`  … and ${err.total - 200} more`);
  } else {
    console.error(`stations:import: ${(err as Error).message}`);
  }
  process.exit(1);
});
