import fs from 'node:fs/promises';
import type { CommunesRepo } from './communes.repo';
import { importCommunes, type CommuneImportReport } from './communes.import';
import { findBoundariesFile, readHouseholdSources } from './import/geodata-dir';

/** Imports a province folder (GEODATA_DIR) with its household sources. */
export async function importProvinceFolder(repo: CommunesRepo, dir: string): Promise<CommuneImportReport & { file: string }> {
  const file = await findBoundariesFile(dir);
  const [text, sources] = await Promise.all([fs.readFile(file, 'utf8'), readHouseholdSources(dir)]);
  return { file, ...(await importCommunes(repo, text, sources)) };
}

/** On an empty database, loads the default province; otherwise leaves the data as it is. */
export async function ensureDefaultProvince(repo: CommunesRepo, dir: string): Promise<(CommuneImportReport & { file: string }) | null> {
  if ((await repo.count()) > 0) return null;
  return importProvinceFolder(repo, dir);
}
