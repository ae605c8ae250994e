import type { Knex } from 'knex';
import type { MetricValues } from '../targets/metrics';

export type SnapshotTrigger = 'recompute' | 'broadband';

export interface SnapshotPoint {
  snapshotId: number;
  takenAt: Date;
  asOf: string;
  trigger: SnapshotTrigger;
  runId: number | null;
  importId: number | null;
  modelVersion: string | null;
  figures: MetricValues;
}

export interface SeriesFilter {
  from?: string;
  to?: string;
  limit: number;
}

export type SnapshotArea = { commune: string } | { province: string };

/** The province code of the country's own snapshot figures. */
export const COUNTRY = 'VN';

export interface SnapshotsRepo {
  /**
   * One snapshot, in one transaction: its figures for each commune (communeCode), each province
   * (provinceCode, no commune) and, held with several provinces, the country (provinceCode VN).
   */
  insert(meta: { asOf: string; trigger: SnapshotTrigger; runId: number | null; importId: number | null; modelVersion: string | null },
    figures: ReadonlyArray<{ communeCode: string; figures: MetricValues } | { provinceCode: string; figures: MetricValues }>): Promise<number>;
  /** Oldest first; the latest `limit` points within [from, to] (dates of `asOf`) of a commune, a province or (province VN) the country. */
  series(area: SnapshotArea, filter: SeriesFilter): Promise<SnapshotPoint[]>;
  count(): Promise<number>;
}

export function createSnapshotsRepo(knex: Knex): SnapshotsRepo {
  return {
    async insert(meta, figures) {
      return knex.transaction(async (trx) => {
        const { rows } = await trx.raw<{ rows: Array<{ id: number }> }>(
          'INSERT INTO snapshots (as_of, trigger, run_id, import_id, model_version) VALUES (?, ?, ?, ?, ?) RETURNING id',
          [meta.asOf, meta.trigger, meta.runId, meta.importId, meta.modelVersion],
        );
        const id = rows[0].id;
        await trx.raw(
          `INSERT INTO snapshot_figures (snapshot_id, commune_code, province_code, figures)
           SELECT ?, x.c, x.p, x.f FROM json_to_recordset(?::json) AS x(c text, p text, f jsonb)`,
          // A commune's row takes its commune's province (trigger of migration 0014).
          [id, JSON.stringify(figures.map((f) => ('communeCode' in f ? { c: f.communeCode, p: null, f: f.figures } : { c: null, p: f.provinceCode, f: f.figures })))],
        );
        return id;
      });
    },

    async series(area, filter) {
      const where = 'commune' in area ? ['f.commune_code = ?'] : ['f.province_code = ?', 'f.commune_code IS NULL'];
      const bindings: Knex.Value[] = ['commune' in area ? area.commune : area.province];
      if (filter.from) { where.push('s.as_of >= ?::date'); bindings.push(filter.from); }
      if (filter.to) { where.push('s.as_of <= ?::date'); bindings.push(filter.to); }
      const { rows } = await knex.raw(
        `SELECT * FROM (
           SELECT s.id AS "snapshotId", s.taken_at AS "takenAt", to_char(s.as_of, 'YYYY-MM-DD') AS "asOf", s.trigger, s.run_id AS "runId",
                  s.import_id AS "importId", s.model_version AS "modelVersion", f.figures
             FROM snapshot_figures f JOIN snapshots s ON s.id = f.snapshot_id
            WHERE ${where.join(' AND ')}
            ORDER BY s.id DESC LIMIT ?) p
         ORDER BY "snapshotId"`,
        [...bindings, filter.limit],
      );
      return rows;
    },

    async count() {
      return (await knex.raw('SELECT count(*) AS n FROM snapshots')).rows[0].n;
    },
  };
}
