import { assertCanWriteOperator, describePrincipal, type Principal } from '../auth/tokens.service';
import { ForbiddenError, InvalidFileError, type IssueLocation } from '../errors';
import { LOCATE_BATCH_SHARED, mergeIssues, sortIssues, validateLocations, type PointLocator } from './import/index';
import type { OffThread } from '../jobs/off-thread';
import { parseStationFileOffThread, sha256Hex } from './import/parse-off-thread';
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
 * What can be decided before the file is read: a token is needed (401), a planner's reads only
 * (403), an operator's writes only its own stations (403 when `operator` names another). Routes
 * call it before receiving the body; `importStations` again, for its other callers.
 */
export function assertMayUploadStations(principal: Principal, operator?: string | null): void {
  if (principal.kind === 'anonymous') assertCanWriteOperator(principal, operator ?? 'any'); // throws 401
  if (principal.kind === 'token' && principal.role === 'planner') {
    throw new ForbiddenError('a planner token reads; uploading stations needs an operator or admin token');
  }
  if (operator) assertCanWriteOperator(principal, operator);
}

/**
 * One upload, all or nothing: parse, validate every row (including where it stands), then write
 * in one transaction. Any error: nothing is written and InvalidFileError lists every problem.
 * The attempt is recorded in the import history whatever its outcome. Parsing and row checks run
 * in a worker thread (`offThread`); the event loop only waits for them.
 */
export async function importStations(
  deps: { stations: StationsRepo; imports: ImportsRepo; offThread: OffThread; maxRows?: number },
  req: StationImportRequest,
  onPhase: (phase: ImportPhase) => void = () => {},
): Promise<StationImportReport & { write: WriteResult }> {
  const principal = req.principal;
  assertMayUploadStations(principal, req.operator);
  // An operator's token uploads its own list; an admin may name the operator of a file without
  // an `operator` column.
  const uploader = principal.kind === 'token' && principal.role === 'operator' ? principal.operator : (req.operator ?? null);
  const tokenId = principal.kind === 'token' ? principal.tokenId : null;
  if (uploader) assertCanWriteOperator(principal, uploader);
  const knownOperators = (await deps.stations.operators()).map((o) => o.code);

  const importId = await deps.imports.start({
    kind: 'stations', tokenId, actor: describePrincipal(principal),
    operator: uploader, fileName: req.fileName, sha256: await sha256Hex(req.data),
    bytes: req.data.length, format: req.format ?? null, mode: req.mode, dryRun: req.dryRun,
  });
  const reject = async (issues: IssueLocation[], message: string): Promise<never> => {
    const errors = issues.filter((i) => i.severity === 'error');
    await deps.imports.finish(importId, 'rejected', { errors: errors.length, warnings: issues.length - errors.length }, { issues: issues.slice(0, MAX_WARNINGS_IN_REPORT) });
    throw new InvalidFileError(message, issues, issues.length, importId);
  };

  try {
    onPhase('validating');
    const parsed = await parseStationFileOffThread(deps.offThread, {
      data: req.data, format: req.format, filename: req.fileName ?? undefined, contentType: req.contentType ?? undefined,
      operator: uploader, knownOperators, maxRows: deps.maxRows,
    });
    // In report order from the worker; the spatial ones are merged in, not sorted again.
    let issues: IssueLocation[] = parsed.issues;
    // Where each position stands is asked once: validation checks it, the write stores it.
    const communeAt = new Map<string, string | null>();
    const locate: PointLocator['locate'] = async (points) => {
      const located = await deps.stations.locate(points);
      located.forEach((l, k) => communeAt.set(positionKey(points[k]), l.communeCode));
      return located;
    };
    if (!issues.some((i) => i.severity === 'error')) {
      issues = mergeIssues(issues, sortIssues(await validateLocations(parsed.rows, { locate }, { batchPoints: LOCATE_BATCH_SHARED })));
    }
    const errorCount = issues.filter((i) => i.severity === 'error').length;
    if (errorCount) {
      await reject(issues, `${errorCount} error${errorCount > 1 ? 's' : ''} in the file; nothing was written`);
    }
    const operators = [...new Set(parsed.rows.map((r) => r.operator))].sort();
    for (const operator of operators) assertCanWriteOperator(principal, operator);
    // `replace` decommissions what the file lacks: for an operator's token, its own list; for an
    // admin, the operators present in the file (or the one named).
    const replaceScope = uploader ? [uploader] : operators;

    onPhase('writing');
    const write = await deps.stations.write(parsed.rows, { mode: req.mode, operators: replaceScope, dryRun: req.dryRun, importId: req.dryRun ? null : importId, communeAt, grouped: parsed.grouped });
    const warnings = issues;
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
