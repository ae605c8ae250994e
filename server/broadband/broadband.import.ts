import { assertCanWriteOperator, describePrincipal, type Principal } from '../auth/tokens.service';
import type { CommunesRepo } from '../communes/communes.repo';
import { ForbiddenError, InvalidFileError, type IssueLocation } from '../errors';
import type { ImportsRepo } from '../stations/imports.repo';
import type { OffThread } from '../jobs/off-thread';
import { sha256Hex } from '../stations/import/parse-off-thread';
import type { BroadbandCounts, BroadbandRepo } from './broadband.repo';
import { MAX_BROADBAND_ROWS, type BroadbandFormat, type BroadbandRow } from './broadband.schema';
import type { BroadbandParseInput } from './broadband.worker';

export interface BroadbandImportRequest {
  data: Buffer;
  fileName: string | null;
  contentType: string | null;
  principal: Principal;
  format?: BroadbandFormat;
  dryRun: boolean;
  /** An admin uploading one operator's figures without an `operator` column. */
  operator?: string | null;
}

export interface BroadbandImportReport {
  importId: number;
  status: 'succeeded';
  dryRun: boolean;
  format: BroadbandFormat;
  rows: number;
  operators: string[];
  communes: string[];
  counts: BroadbandCounts;
  warnings: IssueLocation[];
  warningsTotal: number;
}

export interface BroadbandImportDeps {
  broadband: BroadbandRepo;
  imports: ImportsRepo;
  communes: Pick<CommunesRepo, 'list'>;
  /** Worker threads: parsing and row checks run there. */
  offThread: OffThread;
  maxRows?: number;
  today?: () => string;
}

const MAX_ISSUES_IN_REPORT = 1000;

const BROADBAND_TASK = new URL('./broadband.worker.ts', import.meta.url).href;

/**
 * What the token and the query decide before the file is read: a token is needed (401), a
 * planner's reads only (403), an operator's uploads only its own figures (403 for `operator` naming another).
 */
export function assertMayUploadBroadband(principal: Principal, operator?: string | null): void {
  if (principal.kind === 'anonymous') assertCanWriteOperator(principal, operator ?? 'any'); // throws 401
  if (principal.kind === 'token' && principal.role === 'planner') throw new ForbiddenError('a planner token reads; uploading broadband figures needs an operator or admin token');
  if (principal.kind === 'token' && principal.role === 'operator' && operator && operator !== principal.operator) {
    throw new ForbiddenError(`this token uploads only ${principal.operator}'s figures, not ${operator}'s`);
  }
}

/**
 * One upload of fixed-broadband figures, all or nothing, with the rules of station uploads: a
 * token is needed, an operator's token writes only its own figures, every problem is reported with
 * its row and column, and the attempt is kept in the import history (kind 'broadband'). The file
 * is parsed and checked in a worker thread.
 */
export async function importBroadband(deps: BroadbandImportDeps, req: BroadbandImportRequest): Promise<BroadbandImportReport> {
  const principal = req.principal;
  assertMayUploadBroadband(principal, req.operator);
  const isOperator = principal.kind === 'token' && principal.role === 'operator';
  const uploader = isOperator ? principal.operator : (req.operator ?? null);

  const importId = await deps.imports.start({
    kind: 'broadband', tokenId: principal.kind === 'token' ? principal.tokenId : null, actor: describePrincipal(principal),
    operator: uploader, fileName: req.fileName, sha256: await sha256Hex(req.data),
    bytes: req.data.length, format: req.format ?? null, mode: 'merge', dryRun: req.dryRun,
  });
  try {
    const [communes, operators] = await Promise.all([deps.communes.list(), deps.broadband.operators()]);
    const input: BroadbandParseInput = {
      data: req.data, format: req.format, contentType: req.contentType, maxRows: deps.maxRows ?? MAX_BROADBAND_ROWS,
      communes: communes.map((c) => [c.code, { name: c.name, fullName: c.fullName, households: c.households }]),
      operators, uploader, uploaderIsOperator: isOperator, today: (deps.today ?? today)(),
    };
    const { done: table, lists } = await deps.offThread.run<{ format: BroadbandFormat }>(BROADBAND_TASK, input);
    const rows = (lists.rows ?? []) as BroadbandRow[];
    // In report order from the worker.
    const sorted = (lists.issues ?? []) as IssueLocation[];
    const errors = sorted.filter((i) => i.severity === 'error').length;
    if (errors) {
      await deps.imports.finish(importId, 'rejected', { errors, warnings: sorted.length - errors }, { issues: sorted.slice(0, MAX_ISSUES_IN_REPORT) });
      throw new InvalidFileError(`${errors} error${errors > 1 ? 's' : ''} in the file; nothing was written`, sorted, sorted.length, importId);
    }
    const rowOperators = [...new Set(rows.map((r) => r.operator))].sort();
    for (const operator of rowOperators) assertCanWriteOperator(principal, operator);
    const counts = await deps.broadband.write(rows, { dryRun: req.dryRun, importId: req.dryRun ? null : importId, actor: describePrincipal(principal) });
    const report: BroadbandImportReport = {
      importId, status: 'succeeded', dryRun: req.dryRun, format: table.format, rows: rows.length, operators: rowOperators,
      communes: [...new Set(rows.map((r) => r.communeCode))].sort(), counts,
      warnings: sorted.slice(0, MAX_ISSUES_IN_REPORT), warningsTotal: sorted.length,
    };
    await deps.imports.finish(importId, 'succeeded', counts, report);
    return report;
  } catch (err) {
    if (!(err instanceof InvalidFileError)) {
      await deps.imports.finish(importId, 'failed', {}, { error: err instanceof Error ? err.name : 'error' }).catch(() => {});
    }
    throw err;
  }
}

const today = () => new Date().toISOString().slice(0, 10);
