/**
 * npm run geodata:import -- --file F [--code-field ma_xa] [--name-field ten] [--full-name-field ten_day_du]
 *   [--population-field dan_so] [--kind-field loai] [--area-field dien_tich_km2]
 *   [--province-code 25] [--province-name "Phú Thọ"] [--skip-invalid]
 * Without --file: imports the province folder GEODATA_DIR.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openMigratedDatabase } from '../server/bootstrap';
import { loadConfig } from '../server/config';
import { createCommunesRepo } from '../server/communes/communes.repo';
import { importCommunes, type CommuneImportReport } from '../server/communes/communes.import';
import { importProvinceFolder } from '../server/communes/default-province';
import { readHouseholdSources } from '../server/communes/import/geodata-dir';
import { ValidationError } from '../server/errors';
import { runScript } from './lib/run-script';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    'code-field': { type: 'string' },
    'name-field': { type: 'string' },
    'full-name-field': { type: 'string' },
    'population-field': { type: 'string' },
    'kind-field': { type: 'string' },
    'area-field': { type: 'string' },
    'province-code': { type: 'string' },
    'province-name': { type: 'string' },
    'skip-invalid': { type: 'boolean', default: false },
  },
});

async function run(): Promise<number> {
  const config = loadConfig();
  const db = await openMigratedDatabase(config);
  try {
    const repo = createCommunesRepo(db.knex);
    let report: CommuneImportReport;
    let file: string;
    if (values.file) {
      file = path.resolve(values.file);
      const text = await fs.readFile(file, 'utf8');
      // Household sources of GEODATA_DIR apply where codes match; other communes get the national average.
      const sources = await readHouseholdSources(config.geodataDir).catch(() => ({ census: [], links: [] }));
      report = await importCommunes(repo, text, {
        ...sources,
        fields: {
          ...(values['code-field'] && { code: values['code-field'] }),
          ...(values['name-field'] && { name: values['name-field'] }),
          ...(values['full-name-field'] && { fullName: values['full-name-field'] }),
          ...(values['population-field'] && { population: values['population-field'] }),
          ...(values['kind-field'] && { kind: values['kind-field'] }),
          ...(values['area-field'] && { officialArea: values['area-field'] }),
        },
        provinceCode: values['province-code'],
        provinceName: values['province-name'],
        skipInvalid: values['skip-invalid'],
      });
    } else {
      ({ file, ...report } = await importProvinceFolder(repo, config.geodataDir));
    }
    console.log(`imported ${file} into the ${db.engine} database (${db.where})`);
    console.log(`  features: ${report.features}, inserted: ${report.inserted}, updated: ${report.updated}, repaired: ${report.repaired.length}, skipped: ${report.rejected.length}`);
    for (const r of report.repaired) console.log(`  repaired feature ${r.index} (${r.code}): ${r.reason}`);
    for (const r of report.rejected) console.log(`  skipped feature ${r.index}${r.code ? ` (${r.code})` : ''}: ${r.reason}`);
    for (const w of report.warnings) console.log(`  warning, feature ${w.index} (${w.code}): ${w.reason}`);
    return 0;
  } finally {
    await db.close();
  }
}

runScript('geodata:import', run, (err) => (err instanceof ValidationError ? err.issues.map((issue) => `  ${issue.message}`) : []));
