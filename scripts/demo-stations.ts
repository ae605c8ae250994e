/**
 * npm run demo:stations [-- --seed N] [--dry-run]
 * Writes the SYNTHETIC demo station set into the configured database. Refuses when the database
 * holds real (non-demo) stations, so demo data never overwrite an operator's upload.
 */
import { parseArgs } from 'node:util';
import { openMigratedDatabase } from '../server/bootstrap';
import { loadConfig } from '../server/config';
import { countRealStations, loadDemoStations } from '../server/stations/demo/load-demo';
import { runScript } from './lib/run-script';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '2026' },
    'dry-run': { type: 'boolean', default: false },
  },
});

async function run(): Promise<number> {
  const seed = Number(values.seed);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    console.error(`demo:stations: --seed must be a non-negative integer, got "${values.seed}"`);
    return 1;
  }
  const dryRun = values['dry-run'];
  const config = loadConfig();
  const db = await openMigratedDatabase(config);
  try {
    const real = await countRealStations(db.knex);
    if (real > 0) {
      console.error(
        `demo:stations: refused: the database holds ${real} real (non-demo) station(s). ` +
          'Demo data are synthetic and must never replace real data; use an empty database (DATA_DIR or DATABASE_URL).',
      );
      return 1;
    }
    const started = Date.now();
    const { summary: s, write, communes, placement } = await loadDemoStations(db.knex, { seed, dryRun, populationRaster: config.populationRaster });
    const t = s.radiosByTechnology;
    console.log(`SYNTHETIC DEMO DATA (seed ${seed}): made-up stations shaped on published totals, not real sites.`);
    console.log(`  placement: ${placement === 'population-grid' ? 'mostly where the population grid puts people' : 'around commune centres (no population grid)'}`);
    console.log(`  communes: ${communes}; sites: ${s.sites}; radios: ${s.radios} (2G ${t['2G']}, 3G ${t['3G']}, 4G ${t['4G']}, 5G ${t['5G']})`);
    console.log(`  on air ${s.asOf}: 4G sites ${s.sitesWith4g}, 3G/4G sites ${s.sitesWith3gOr4g}, 5G sites ${s.sitesWith5g} (${s.radios5g} 5G radios)`);
    console.log(`  planned radios ${s.radiosByStatus.planned}, decommissioned radios ${s.radiosByStatus.decommissioned}`);
    console.log(`  sites by operator: ${Object.entries(s.sitesByOperator).map(([op, n]) => `${op} ${n}`).join(', ')}`);
    const c = write.counts;
    console.log(
      `${dryRun ? 'dry run, nothing written; would have: ' : 'written: '}stations +${c.stationsInserted} ~${c.stationsUpdated}, ` +
        `radios +${c.radiosInserted} ~${c.radiosUpdated} =${c.radiosUnchanged} decommissioned ${c.radiosDecommissioned} (${Date.now() - started} ms)`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

runScript('demo:stations', run);
