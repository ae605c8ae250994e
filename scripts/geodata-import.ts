/**
 * npm run geodata:import -- --file F [--code-field ma_xa] [--name-field ten] [--full-name-field ten_day_du]
 *   [--population-field dan_so] [--kind-field loai] [--area-field dien_tich_km2]
 *   [--province-code 25] [--province-name "Phú Thọ"] [--province-field ma_tinh] [--provinces FILE]
 *   [--replace] [--skip-invalid]
 * Without --file: imports the province folder GEODATA_DIR.
 * Provinces are named from --provinces, else from PROVINCES_CSV when that file exists.
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
import { readProvincesCsv } from '../server/provinces/import/provinces-csv';
import type { ProvinceInput } from '../server/provinces/provinces.schema';
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
    'province-field': { type: 'string' },
    provinces: { type: 'string' },
    replace: { type: 'boolean', default: false },
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
      const provinces = await provincesList(values.provinces, config.provincesCsv);
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
          ...(values['province-field'] && { provinceCode: values['province-field'] }),
        },
        provinceCode: values['province-code'],
        provinceName: values['province-name'],
        provinces,
        replace: values.replace,
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
    const unknown = report.warnings.filter((w) => w.reason.startsWith('population unknown')).length;
    if (unknown) console.log(`  population unknown for ${unknown} communes: stored as unknown (NULL); population totals and population-weighted figures leave them out and say so`);
    console.log(`  provinces: ${report.provinces.length} (${report.provinces.join(', ')})`);
    if (report.kept.length) {
      const byProvince = new Map<string, number>();
      for (const k of report.kept) byProvince.set(k.provinceCode, (byProvince.get(k.provinceCode) ?? 0) + 1);
      const list = [...byProvince].map(([code, n]) => `${n} of province ${code}`).join(', ');
      console.log(`  kept ${report.kept.length} stored communes (${list}): their stored boundaries are finer (more vertices) than this file's; --replace replaces them`);
    }
    return 0;
  } finally {
    await db.close();
  }
}

/** --provinces must exist; the configured list is used when present (a province folder alone has none). */
async function provincesList(given: string | undefined, configured: string): Promise<ProvinceInput[] | undefined> {
  if (given) return readProvincesCsv(path.resolve(given));
  try {
    await fs.access(configured);
  } catch {
    console.log(`  no provinces list at ${configured} (PROVINCES_CSV): provinces are named from the file`);
    return undefined;
  }
  return readProvincesCsv(configured);
}

runScript('geodata:import', run, (err) => (err instanceof ValidationError ? err.issues.map((issue) => `  ${issue.message}`) : []));
