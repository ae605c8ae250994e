/**
 * npm run coverage:recompute [-- --commune CODE ...]
 * Recomputes today's coverage figures of every commune (or of the communes named) and stores them
 * with a new run and a history snapshot, as POST /api/coverage/recompute does. On the embedded
 * engine it goes through a running server's socket when one holds the data directory.
 */
import { parseArgs } from 'node:util';
import { openMigratedDatabase } from '../server/bootstrap';
import { loadConfig } from '../server/config';
import { createJobs } from '../server/jobs/jobs';
import { createServices } from '../server/services';
import { loadCoverageInputs } from '../server/coverage/coverage.inputs';
import { runScript } from './lib/run-script';

const { values } = parseArgs({ options: { commune: { type: 'string', multiple: true } } });

async function run(): Promise<void> {
  const config = loadConfig();
  const db = await openMigratedDatabase(config);
  try {
    const { communes, coverage } = createServices(db, createJobs(), await loadCoverageInputs(config));
    const known = new Set((await communes.list()).map((c) => c.code));
    const unknown = (values.commune ?? []).filter((c) => !known.has(c));
    if (unknown.length) throw new Error(`no commune with code ${unknown.join(', ')}`);
    let shown = -1;
    const result = await coverage.recompute({ codes: values.commune, trigger: 'cli' }, (p) => {
      if (p.percent !== shown) console.log(`… ${p.phase} ${p.percent} %`);
      shown = p.percent;
    });
    console.log(`run #${result.runId}: ${result.communes} communes (${result.scope}), ${result.radios} radios on air, ${result.durationMs} ms, inputs ${result.inputsDigest.slice(0, 12)}`);
  } finally {
    await db.close();
  }
}

runScript('coverage:recompute', run);
