import { NotFoundError } from '../errors';
import type { ImportsRepo } from './imports.repo';
import { importStations, type ImportPhase, type StationImportRequest } from './stations.import';
import type { StationFilter, StationsRepo, WriteResult } from './stations.repo';

export interface StationsServiceDeps {
  stations: StationsRepo;
  imports: ImportsRepo;
  /** Called after a write that changed something (coverage recompute hooks in here). */
  afterWrite?: (write: WriteResult, importId: number) => Promise<{ id: number } | void>;
  maxRows?: number;
}

export function createStationsService(deps: StationsServiceDeps) {
  return {
    async importFile(req: StationImportRequest, onPhase?: (phase: ImportPhase) => void) {
      const { write, ...report } = await importStations({ stations: deps.stations, imports: deps.imports, maxRows: deps.maxRows }, req, onPhase);
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
