import crypto from 'node:crypto';
import { assertCanWriteOperator, describePrincipal, type Principal } from '../auth/tokens.service';
import type { CommunesRepo } from '../communes/communes.repo';
import { ForbiddenError, InvalidFileError, type IssueLocation } from '../errors';
import type { ImportsRepo } from '../stations/imports.repo';
import type { BroadbandCounts, BroadbandRepo } from './broadband.repo';
import { MAX_BROADBAND_ROWS, type BroadbandFormat } from './broadband.schema';
import { parseBroadbandFile } from './broadband.parse';
import { validateBroadband } from './broadband.validate';

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
  maxRows?: number;
  today?: () => string;
}

const MAX_ISSUES_IN_REPORT = 1000;

/**
 * One upload of fixed-broadband figures, all or nothing, with the rules of station uploads: a
 * token is needed, an operator's token writes only its own figures, every problem is reported with
 * its row and column, and the attempt is kept in the import history (kind 'broadband').
 */
export async function importBroadband(deps: BroadbandImportDeps, req: BroadbandImportRequest): Promise<BroadbandImportReport> {
  const principal = req.principal;
  if (principal.kind === 'anonymous') assertCanWriteOperator(principal, req.operator ?? 'any'); // throws 401
  if (principal.kind === 'token' && principal.role === 'planner') throw new ForbiddenError('a planner token reads; uploading broadband figures needs an operator or admin token');
  const isOperator = principal.kind === 'token' && principal.role === 'operator';
  if (isOperator && req.operator && req.operator !== principal.operator) {
    throw new ForbiddenError(`this token uploads only ${principal.operator}'s figures, not ${req.operator}'s`);
  }
  const uploader = isOperator ? principal.operator : (req.operator ?? null);

  const importId = await deps.imports.start({
    kind: 'broadband', tokenId: principal.kind === 'token' ? principal.tokenId : null, actor: describePrincipal(principal),
    operator: uploader, fileName: req.fileName, sha256: crypto.createHash('sha256').update(req.data).digest('hex'),
    bytes: req.data.length, format: req.format ?? null, mode: 'merge', dryRun: req.dryRun,
  });
  try {
    const table = parseBroadbandFile(req.data, { format: req.format, contentType: req.contentType, maxRows: deps.maxRows ?? MAX_BROADBAND_ROWS });
    const [communes, operators] = await Promise.all([deps.communes.list(), deps.broadband.operators()]);
    const { rows, issues } = validateBroadband(table, {
      communes: new Map(communes.map((c) => [c.code, { name: c.name, fullName: c.fullName, households: c.households }])),
      operators, uploader, uploaderIsOperator: isOperator, today: (deps.today ?? today)(),
    });
    const sorted = [...issues].sort((a, b) => (a.row ?? -1) - (b.row ?? -1) || (a.column ?? '').localeCompare(b.column ?? ''));
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
