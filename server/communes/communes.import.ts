import { ValidationError, type IssueLocation } from '../errors';
import type { CommuneInput } from './communes.schema';
import type { CommunesRepo, KeptCommune } from './communes.repo';
import type { ProvinceInput } from '../provinces/provinces.schema';
import { cooperate } from '../stations/import/cooperate';
import { createOffThread, type OffThread } from '../jobs/off-thread';
import { estimateHouseholds, type CensusFormerCommune, type FormerCommuneLink } from './import/households';
import { DEFAULT_FIELDS, type CommuneFieldMap, type FeatureRejection, type ParsedCommune, type ParsedCommuneFile } from './import/parse-communes';
import type { CommuneParseInput, ParsedCommuneText } from './import/parse.worker';

export interface CommuneImportOptions {
  fields?: Partial<CommuneFieldMap>;
  provinceCode?: string;
  provinceName?: string;
  /**
   * The provinces list (provinces-2025.csv): names and kind of each province the file touches,
   * which also renames a province already held. A feature of a province not in it is rejected.
   */
  provinces?: readonly ProvinceInput[];
  /** Replace stored communes even where their boundary is finer than the file's. */
  replace?: boolean;
  /** Import the good features even when some are rejected (default: refuse the whole file). */
  skipInvalid?: boolean;
  census?: readonly CensusFormerCommune[];
  links?: readonly FormerCommuneLink[];
  /** Worker threads for the parse; a pool of its own, closed at the end, when absent. */
  offThread?: OffThread;
}

export interface CommuneImportReport {
  features: number;
  inserted: number;
  updated: number;
  repaired: FeatureRejection[];
  rejected: FeatureRejection[];
  warnings: FeatureRejection[];
  /** Stored communes left as they were: their boundary is finer (more vertices) than the file's. */
  kept: KeptCommune[];
  /** The provinces of the imported communes, by code. */
  provinces: string[];
}

const COMMUNES_TASK = new URL('./import/parse.worker.ts', import.meta.url).href;

/**
 * Loads a province's commune boundaries: parse (in a worker thread: a province file is megabytes
 * of JSON), let PostGIS judge each geometry, estimate households, then upsert everything by code
 * in one transaction. A file with a rejected feature changes nothing unless `skipInvalid` is set.
 */
export async function importCommunes(repo: CommunesRepo, text: string, options: CommuneImportOptions = {}): Promise<CommuneImportReport> {
  const fields = { ...DEFAULT_FIELDS, ...options.fields };
  const parsed = await parseOffThread(options.offThread, { text, fields, overrides: { provinceCode: options.provinceCode, provinceName: options.provinceName } });
  const checks = await repo.checkGeometries(parsed.communes.map((c) => ({ index: c.index, geometry: c.geometry })));
  const rejected = [...parsed.rejected];
  const repaired: FeatureRejection[] = [];
  const keep = new Set<number>();
  for (const check of checks) {
    const code = parsed.communes.find((c) => c.index === check.index)?.code ?? null;
    if (!check.readable) rejected.push({ index: check.index, code, reason: `geometry not readable: ${check.reason}` });
    else if (check.empty) rejected.push({ index: check.index, code, reason: 'empty geometry' });
    else {
      keep.add(check.index);
      if (!check.valid) repaired.push({ index: check.index, code, reason: `repaired with ST_MakeValid: ${check.reason}` });
    }
  }
  if (options.provinces) {
    const listed = new Set(options.provinces.map((p) => p.code));
    for (const c of parsed.communes) {
      if (keep.has(c.index) && !listed.has(c.provinceCode)) {
        keep.delete(c.index);
        rejected.push({ index: c.index, code: c.code, reason: `province "${c.provinceCode}" is not in the provinces list` });
      }
    }
  }
  rejected.sort((a, b) => a.index - b.index);
  if (rejected.length && !options.skipInvalid) {
    throw new ValidationError(
      `${rejected.length} of ${parsed.communes.length + parsed.rejected.length} features rejected; nothing was imported`,
      rejected.map((r) => toIssue(r, fields.code)),
    );
  }
  const communes = parsed.communes.filter((c) => keep.has(c.index));
  if (communes.length === 0) throw new ValidationError('no importable commune in the file; nothing was imported');
  const households = estimateHouseholds(communes, options.census ?? [], options.links ?? []);
  const rows: CommuneInput[] = communes.map(({ index: _index, ...c }) => {
    const h = households.get(c.code)!;
    return { ...c, households: h.households, householdSize: h.householdSize, householdsMethod: h.method };
  });
  const { inserted, updated, kept } = await repo.upsertAll(rows, { provinces: options.provinces, replace: options.replace });
  const provinces = [...new Set(rows.map((r) => r.provinceCode))].sort();
  return { features: parsed.communes.length + parsed.rejected.length, inserted, updated, repaired, rejected, warnings: parsed.warnings, kept, provinces };
}

function toIssue(r: FeatureRejection, codeField: string): IssueLocation {
  return { severity: 'error', row: r.index, column: r.code === null ? codeField : 'geometry', message: `feature ${r.index}${r.code ? ` (${r.code})` : ''}: ${r.reason}` };
}

async function parseOffThread(given: OffThread | undefined, input: CommuneParseInput): Promise<ParsedCommuneFile> {
  const offThread = given ?? createOffThread();
  try {
    const { done, lists } = await offThread.run<Omit<ParsedCommuneFile, 'communes'> & { fault: string | null }>(COMMUNES_TASK, input);
    if (done.fault !== null) throw new ValidationError(done.fault);
    const tick = cooperate({ every: 1 });
    const communes: ParsedCommune[] = [];
    // One commune's geometry at a time, giving the event loop its turns in between.
    for (const { geometryJson, ...c } of (lists.communes ?? []) as ParsedCommuneText[]) {
      communes.push({ ...c, geometry: JSON.parse(geometryJson) });
      await tick();
    }
    return { communes, rejected: done.rejected, warnings: done.warnings };
  } finally {
    if (!given) await offThread.close();
  }
}
