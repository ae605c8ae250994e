import type { Principal } from '../auth/tokens.service';
import { NotFoundError } from '../errors';
import { createOffThread, type OffThread } from '../jobs/off-thread';
import type { ImportsRepo } from './imports.repo';
import { assertMayUploadStations, importStations, type ImportPhase, type StationImportRequest } from './stations.import';
import type { StationFilter, StationsRepo, WriteResult } from './stations.repo';

export interface StationsServiceDeps {
  stations: StationsRepo;
  imports: ImportsRepo;
  /** Called after a write that changed something (coverage recompute hooks in here). */
  afterWrite?: (write: WriteResult, importId: number) => Promise<{ id: number } | void>;
  maxRows?: number;
  /** Worker threads for parsing uploads; one of its own (started on first use) when absent. */
  offThread?: OffThread;
}

export function createStationsService(deps: StationsServiceDeps) {
  const offThread = deps.offThread ?? createOffThread();
  return {
    /** Throws 401/403 for what the token and query alone decide, before the file is received. */
    assertMayUpload: (principal: Principal, operator?: string | null) => assertMayUploadStations(principal, operator),

    async importFile(req: StationImportRequest, onPhase?: (phase: ImportPhase) => void) {
      const { write, ...report } = await importStations({ stations: deps.stations, imports: deps.imports, offThread, maxRows: deps.maxRows }, req, onPhase);
      const job = !req.dryRun && write.touchedStationIds.length && deps.afterWrite ? await deps.afterWrite(write, report.importId) : undefined;
      return { ...report, recomputeJobId: job ? job.id : null };
    },

    async list(filter: StationFilter) {
      const items = await deps.stations.list(filter);
      const nextCursor = items.length === filter.limit ? String(items[items.length - 1].id) : null;
      return { items, nextCursor };
    },

    async get(id: number) {
      const station = await deps.stations.get(id);
      if (!station) throw new NotFoundError(`no station #${id}`);
      return { ...station, history: await deps.stations.history(id) };
    },

    async imports(filter: { operator?: string; limit: number; beforeId?: number }) {
      const items = await deps.imports.list({ ...filter, kind: 'stations' });
      return { items, nextCursor: items.length === filter.limit ? String(items[items.length - 1].id) : null };
    },

    importRecord: (id: number) => deps.imports.get(id),
  };
}

export type StationsService = ReturnType<typeof createStationsService>;
