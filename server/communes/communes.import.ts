import { ValidationError, type IssueLocation } from '../errors';
import type { CommuneInput } from './communes.schema';
import type { CommunesRepo } from './communes.repo';
import { estimateHouseholds, type CensusFormerCommune, type FormerCommuneLink } from './import/households';
import { DEFAULT_FIELDS, parseCommuneFile, type CommuneFieldMap, type FeatureRejection } from './import/parse-communes';

export interface CommuneImportOptions {
  fields?: Partial<CommuneFieldMap>;
  provinceCode?: string;
  provinceName?: string;
  /** Import the good features even when some are rejected (default: refuse the whole file). */
  skipInvalid?: boolean;
  census?: readonly CensusFormerCommune[];
  links?: readonly FormerCommuneLink[];
}

export interface CommuneImportReport {
  features: number;
  inserted: number;
  updated: number;
  repaired: FeatureRejection[];
  rejected: FeatureRejection[];
  warnings: FeatureRejection[];
}

/**
 * Loads a province's commune boundaries: parse, let PostGIS judge each geometry, estimate
 * households, then upsert everything by code in one transaction. A file with a rejected feature
 * changes nothing unless `skipInvalid` is set.
 */
export async function importCommunes(repo: CommunesRepo, text: string, options: CommuneImportOptions = {}): Promise<CommuneImportReport> {
  const fields = { ...DEFAULT_FIELDS, ...options.fields };
  const parsed = parseCommuneFile(text, fields, { provinceCode: options.provinceCode, provinceName: options.provinceName });
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
  const { inserted, updated } = await repo.upsertAll(rows);
  return { features: parsed.communes.length + parsed.rejected.length, inserted, updated, repaired, rejected, warnings: parsed.warnings };
}

function toIssue(r: FeatureRejection, codeField: string): IssueLocation {
  return { severity: 'error', row: r.index, column: r.code === null ? codeField : 'geometry', message: `feature ${r.index}${r.code ? ` (${r.code})` : ''}: ${r.reason}` };
}
