import fs from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { normaliseCode } from './parse-communes';
import type { CensusFormerCommune, FormerCommuneLink } from './households';

/**
 * The files of a province folder (GEODATA_DIR), found by name so another province's folder
 * can follow the same pattern:
 * - `*-wards-2025.geojson`: full-resolution commune boundaries (the `-simplified` one is ignored:
 *   display geometry is simplified by PostGIS at import so every province gets the same);
 * - `census2019-*.csv`: 2019 census population and households per former commune;
 * - `*old-to-new*.csv`: former commune → new commune.
 */
export interface ProvinceGeodata {
  boundariesFile: string;
  census: CensusFormerCommune[];
  links: FormerCommuneLink[];
}

export async function findBoundariesFile(dir: string): Promise<string> {
  const names = await listDir(dir);
  const file = names.find((n) => /-wards-\d{4}\.geojson$/.test(n)) ?? names.find((n) => n.endsWith('.geojson') && !n.includes('simplified'));
  if (!file) throw new Error(`no commune boundary file (*-wards-2025.geojson) in ${dir}; set GEODATA_DIR`);
  return path.join(dir, file);
}

/** Census and links of the folder; empty lists when the folder has none. */
export async function readHouseholdSources(dir: string): Promise<Pick<ProvinceGeodata, 'census' | 'links'>> {
  const names = await listDir(dir);
  const censusName = names.find((n) => /^census2019.*\.csv$/.test(n));
  const linksName = names.find((n) => /old-to-new.*\.csv$/.test(n));
  const census = censusName ? (await readCsv(path.join(dir, censusName))).map(toCensus) : [];
  const links = linksName ? (await readCsv(path.join(dir, linksName))).map(toLink).filter((l): l is FormerCommuneLink => l !== null) : [];
  return { census: census.filter((c): c is CensusFormerCommune => c !== null), links };
}

function toCensus(r: Record<string, string>): CensusFormerCommune | null {
  const population = Number(r.dan_so_2019);
  const households = Number(r.so_ho_2019);
  if (!Number.isFinite(population) || !Number.isFinite(households) || households <= 0) return null;
  const matched = r.match && r.match !== 'unmatched' && !r.match.startsWith('ambiguous');
  return { formerProvince: r.tinh_2019 ?? '', population, households, newCode: matched ? normaliseCode(r.ma_xa_moi) : null };
}

function toLink(r: Record<string, string>): FormerCommuneLink | null {
  const newCode = normaliseCode(r.ma_xa_moi);
  return newCode && r.tinh_cu ? { newCode, formerProvince: r.tinh_cu } : null;
}

async function readCsv(file: string): Promise<Array<Record<string, string>>> {
  return parse(await fs.readFile(file, 'utf8'), { columns: true, bom: true, skip_empty_lines: true, trim: true });
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await fs.readdir(dir)).sort();
  } catch {
    throw new Error(`the geodata folder ${dir} does not exist; set GEODATA_DIR to the province folder`);
  }
}
