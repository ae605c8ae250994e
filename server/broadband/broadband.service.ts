import type { CommunesRepo } from '../communes/communes.repo';
import type { Scope } from '../provinces/scope';
import { NotFoundError } from '../errors';
import type { Principal } from '../auth/tokens.service';
import type { ImportsRepo } from '../stations/imports.repo';
import { createOffThread, type OffThread } from '../jobs/off-thread';
import { assertMayUploadBroadband, importBroadband, type BroadbandImportRequest } from './broadband.import';
import type { BroadbandRepo } from './broadband.repo';
import { communeFiber, latestPerOperator, provinceFiber } from './fiber';

export interface BroadbandServiceDeps {
  broadband: BroadbandRepo;
  imports: ImportsRepo;
  communes: Pick<CommunesRepo, 'list'>;
  /** Called after an upload that wrote (history snapshots hook in here). */
  afterWrite?: (importId: number) => Promise<{ id: number } | void>;
  maxRows?: number;
  /** Worker threads for parsing uploads; one of its own (started on first use) when absent. */
  offThread?: OffThread;
}

export function createBroadbandService(deps: BroadbandServiceDeps) {
  const offThread = deps.offThread ?? createOffThread();
  return {
    /** Throws 401/403 for what the token and query alone decide, before the file is received. */
    assertMayUpload: (principal: Principal, operator?: string | null) => assertMayUploadBroadband(principal, operator),

    async importFile(req: BroadbandImportRequest) {
      const report = await importBroadband({ ...deps, offThread }, req);
      const snapshot = !req.dryRun && deps.afterWrite ? await deps.afterWrite(report.importId) : undefined;
      return { ...report, snapshotId: snapshot ? snapshot.id : null };
    },

    /** Households on fiber per commune (latest figures of each operator on or before `asOf`) and for the province. */
    async figures(filter: { asOf?: string; commune?: string; scope?: Scope } = {}) {
      const all = await deps.communes.list();
      const communes = filter.scope ? all.filter((c) => c.provinceCode === filter.scope) : all;
      if (filter.commune && !communes.some((c) => c.code === filter.commune)) throw new NotFoundError(`no commune with code ${filter.commune}`);
      const codes = new Set(communes.map((c) => c.code));
      const latest = latestPerOperator((await deps.broadband.records(filter)).filter((r) => codes.has(r.communeCode)), filter.asOf);
      const perCommune = communeFiber(latest, new Map(communes.map((c) => [c.code, c.households])));
      const names = new Map(communes.map((c) => [c.code, c.name]));
      const { demo } = await deps.broadband.counts();
      return {
        asOf: filter.asOf ?? null,
        synthetic: demo > 0,
        province: provinceFiber(perCommune, communes.length),
        communes: perCommune.map((c) => ({ ...c, name: names.get(c.communeCode) ?? '' })),
      };
    },

    communeRecords: (code: string) => deps.broadband.communeRecords(code),

    async imports(filter: { operator?: string; limit: number; beforeId?: number }) {
      const items = await deps.imports.list({ ...filter, kind: 'broadband' });
      return { items, nextCursor: items.length === filter.limit ? String(items[items.length - 1].id) : null };
    },
  };
}

export type BroadbandService = ReturnType<typeof createBroadbandService>;
