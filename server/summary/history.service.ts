import type { Knex } from 'knex';
import { createBroadbandRepo, type BroadbandRepo } from '../broadband/broadband.repo';
import { communeFiber, latestPerOperator, provinceFiber } from '../broadband/fiber';
import { createCommunesRepo, type CommunesRepo } from '../communes/communes.repo';
import { createCoverageRepo, type CoverageRepo } from '../coverage/coverage.repo';
import { ALL_OPERATORS, provinceRollup } from '../coverage/engine/index';
import { communeValues, provinceValues } from './indicators';
import { COUNTRY, createSnapshotsRepo, type SeriesFilter, type SnapshotsRepo, type SnapshotTrigger } from './snapshots.repo';
import { createSummaryRepo, type SummaryRepo } from './summary.repo';

export interface HistoryDeps {
  coverage: Pick<CoverageRepo, 'figures' | 'lastRun'>;
  broadband: Pick<BroadbandRepo, 'records'>;
  communes: Pick<CommunesRepo, 'list'>;
  sites: Pick<SummaryRepo, 'siteCounts'>;
  snapshots: SnapshotsRepo;
  today?: () => string;
}

/**
 * Dated snapshots of every commune's and the province's figures. `snapshot` reads what is stored
 * (the last coverage figures, the latest fiber figures of each operator, the sites on air today):
 * it is called after each recompute and each broadband upload.
 */
export function createHistoryService(deps: HistoryDeps) {
  const today = deps.today ?? (() => new Date().toISOString().slice(0, 10));
  return {
    async snapshot(trigger: { trigger: SnapshotTrigger; runId?: number | null; importId?: number | null }): Promise<{ id: number }> {
      const asOf = today();
      const [communes, figures, run, records, sites] = await Promise.all([
        deps.communes.list(), deps.coverage.figures({ operator: ALL_OPERATORS }), deps.coverage.lastRun(),
        deps.broadband.records({ asOf }), deps.sites.siteCounts(asOf),
      ]);
      const fiber = communeFiber(latestPerOperator(records, asOf), new Map(communes.map((c) => [c.code, c.households])));
      const codes = communes.map((c) => c.code);
      const perCommune = communeValues(codes, figures, fiber);
      // Each province's roll-up; with several, the country's too (server/provinces/scope.ts).
      const provinces = [...new Set(communes.map((c) => c.provinceCode))].sort();
      const areas = await Promise.all(provinces.map(async (province) => {
        const own = new Set(communes.filter((c) => c.provinceCode === province).map((c) => c.code));
        const counts = provinces.length === 1 ? sites : await deps.sites.siteCounts(asOf, { province });
        return {
          provinceCode: province,
          figures: provinceValues(provinceRollup(figures.filter((f) => own.has(f.communeCode))), provinceFiber(fiber.filter((f) => own.has(f.communeCode)), own.size), counts.totals),
        };
      }));
      if (provinces.length > 1) {
        areas.push({ provinceCode: COUNTRY, figures: provinceValues(provinceRollup(figures), provinceFiber(fiber, communes.length), sites.totals) });
      }
      const id = await deps.snapshots.insert(
        { asOf, trigger: trigger.trigger, runId: trigger.runId ?? null, importId: trigger.importId ?? null, modelVersion: figures.length ? (run?.modelVersion ?? null) : null },
        [...areas, ...codes.map((code) => ({ communeCode: code, figures: perCommune.get(code)! }))],
      );
      return { id };
    },

    /** A commune's series, a province's, or (province null) the country's. */
    series: (area: { commune: string } | { province: string | null }, filter: SeriesFilter) =>
      deps.snapshots.series('commune' in area ? area : { province: area.province ?? COUNTRY }, filter),
    count: () => deps.snapshots.count(),
  };
}

export type HistoryService = ReturnType<typeof createHistoryService>;

/** The history service on a database, for main.ts and scripts that recompute outside createApp. */
export function historyFor(knex: Knex): HistoryService {
  return createHistoryService({
    coverage: createCoverageRepo(knex), broadband: createBroadbandRepo(knex), communes: createCommunesRepo(knex),
    sites: createSummaryRepo(knex), snapshots: createSnapshotsRepo(knex),
  });
}
