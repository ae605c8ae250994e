import crypto from 'node:crypto';
import { assertCanWriteOperator, describePrincipal, type Principal } from '../auth/tokens.service';
import { InvalidFileError, type IssueLocation } from '../errors';
import { parseStationFile, validateLocations, type PointLocator } from './import/index';
import type { ImportsRepo } from './imports.repo';
import { positionKey, type ImportMode, type StationFormat } from './stations.schema';
import type { ImportCounts, StationsRepo, WriteResult } from './stations.repo';

export interface StationImportRequest {
  data: Buffer;
  fileName: string | null;
  contentType: string | null;
  principal: Principal;
  format?: StationFormat;
  mode: ImportMode;
  dryRun: boolean;
  /** An admin uploading one operator's list without an `operator` column. */
  operator?: string | null;
}

export interface StationImportReport {
  importId: number;
  status: 'succeeded';
  dryRun: boolean;
  format: StationFormat;
  mode: ImportMode;
  rows: number;
  operators: string[];
  counts: ImportCounts;
  warnings: IssueLocation[];
  warningsTotal: number;
  touchedCommunes: string[];
}

export type ImportPhase = 'validating' | 'writing' | 'done';

const MAX_WARNINGS_IN_REPORT = 1000;

/**
 * One upload, all or nothing: parse, validate every row (including where it stands), then write
 * in one transaction. Any error: nothing is written and InvalidFileError lists every problem.
 * The attempt is recorded in the import history whatever its outcome.
 */
export async function importStations(
  deps: { stations: StationsRepo; imports: ImportsRepo; maxRows?: number },
  req: StationImportRequest,
  onPhase: (phase: ImportPhase) => void = () => {},
): Promise<StationImportReport & { write: WriteResult }> {
  const principal = req.principal;
  if (principal.kind === 'anonymous') assertCanWriteOperator(principal, req.operator ?? 'any'); // throws 401
  // An operator's token uploads its own list; an admin may name the operator of a file without
  // an `operator` column. Naming another operator with an operator's token is refused.
  if (req.operator) assertCanWriteOperator(principal, req.operator);
  const uploader = principal.kind === 'token' && principal.role === 'operator' ? principal.operator : (req.operator ?? null);
  const tokenId = principal.kind === 'token' ? principal.tokenId : null;
  if (uploader) assertCanWriteOperator(principal, uploader);
  const knownOperators = (await deps.stations.operators()).map((o) => o.code);

  const importId = await deps.imports.start({
    kind: 'stations', tokenId, actor: describePrincipal(principal),
    operator: uploader, fileName: req.fileName, sha256: crypto.createHash('sha256').update(req.data).digest('hex'),
    bytes: req.data.length, format: req.format ?? null, mode: req.mode, dryRun: req.dryRun,
  });
  const reject = async (issues: IssueLocation[], message: string): Promise<never> => {
    const errors = issues.filter((i) => i.severity === 'error');
    await deps.imports.finish(importId, 'rejected', { errors: errors.length, warnings: issues.length - errors.length }, { issues: issues.slice(0, MAX_WARNINGS_IN_REPORT) });
    throw new InvalidFileError(message, issues, issues.length, importId);
  };

  try {
    onPhase('validating');
    const parsed = await parseStationFile(req.data, {
      format: req.format, filename: req.fileName ?? undefined, contentType: req.contentType ?? undefined,
      operator: uploader, knownOperators, maxRows: deps.maxRows,
    });
    const issues = [...parsed.issues];
    // Where each position stands is asked once: validation checks it, the write stores it.
    const communeAt = new Map<string, string | null>();
    const locate: PointLocator['locate'] = async (points) => {
      const located = await deps.stations.locate(points);
      located.forEach((l, k) => communeAt.set(positionKey(points[k]), l.communeCode));
      return located;
    };
    if (!issues.some((i) => i.severity === 'error')) {
      issues.push(...(await validateLocations(parsed.rows, { locate })));
    }
    const errorCount = issues.filter((i) => i.severity === 'error').length;
    if (errorCount) {
      await reject(sortIssues(issues), `${errorCount} error${errorCount > 1 ? 's' : ''} in the file; nothing was written`);
    }
    const operators = [...new Set(parsed.rows.map((r) => r.operator))].sort();
    for (const operator of operators) assertCanWriteOperator(principal, operator);
    // `replace` decommissions what the file lacks: for an operator's token, its own list; for an
    // admin, the operators present in the file (or the one named).
    const replaceScope = uploader ? [uploader] : operators;

    onPhase('writing');
    const write = await deps.stations.write(parsed.rows, { mode: req.mode, operators: replaceScope, dryRun: req.dryRun, importId: req.dryRun ? null : importId, communeAt });
    const warnings = sortIssues(issues);
    const report: StationImportReport = {
      importId, status: 'succeeded', dryRun: req.dryRun, format: parsed.format, mode: req.mode, rows: parsed.rows.length, operators,
      counts: write.counts, warnings: warnings.slice(0, MAX_WARNINGS_IN_REPORT), warningsTotal: warnings.length, touchedCommunes: write.touchedCommunes,
    };
    await deps.imports.finish(importId, 'succeeded', write.counts, { ...report, warnings: report.warnings });
    onPhase('done');
    return { ...report, write };
  } catch (err) {
    if (!(err instanceof InvalidFileError)) {
      await deps.imports.finish(importId, 'failed', {}, { error: err instanceof Error ? err.name : 'error' }).catch(() => {});
    }
    throw err;
  }
}

function sortIssues(issues: IssueLocation[]): IssueLocation[] {
  return [...issues].sort((a, b) => (a.row ?? -1) - (b.row ?? -1) || (a.column ?? '').localeCompare(b.column ?? ''));
}
