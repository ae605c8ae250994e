import type { Knex } from 'knex';
import type { BroadbandRow } from './broadband.schema';
import type { FiberRecord } from './fiber';

export interface BroadbandCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

export interface BroadbandRepo {
  operators(): Promise<Array<{ code: string; name: string }>>;
  /**
   * Upserts by (commune, operator, date) in one transaction. With `dryRun` the same statements
   * run and are rolled back, so the counts are exact.
   */
  write(rows: readonly BroadbandRow[], options: { dryRun: boolean; importId: number | null; actor: string; isDemo?: boolean }): Promise<BroadbandCounts>;
  /** Every record dated on or before `asOf` (all when absent), optionally of one commune. */
  records(filter: { asOf?: string; commune?: string }): Promise<FiberRecord[]>;
  /** The records of one commune with who wrote them, oldest first. */
  communeRecords(code: string): Promise<Array<FiberRecord & { importId: number | null; actor: string; updatedAt: Date }>>;
  counts(): Promise<{ total: number; demo: number }>;
}

class DryRunRollback extends Error {
  constructor(readonly counts: BroadbandCounts) {
    super('dry run');
  }
}

const RECORD_COLUMNS = `commune_code AS "communeCode", operator, to_char(as_of, 'YYYY-MM-DD') AS "asOf", households_passed AS "householdsPassed",
  subscriptions, ports, is_demo AS "isDemo"`;
const BATCH_ROWS = 2000;

export function createBroadbandRepo(knex: Knex): BroadbandRepo {
  return {
    async operators() {
      return (await knex.raw('SELECT code, name FROM operators ORDER BY code')).rows;
    },

    async write(rows, options) {
      try {
        return await knex.transaction(async (trx) => {
          const counts: BroadbandCounts = { inserted: 0, updated: 0, unchanged: 0 };
          for (let i = 0; i < rows.length; i += BATCH_ROWS) {
            const batch = rows.slice(i, i + BATCH_ROWS).map((r) => ({
              c: r.communeCode, o: r.operator, d: r.asOf, p: r.householdsPassed, s: r.subscriptions, n: r.ports,
            }));
            // A row whose figures are the same is left alone (not returned): it counts as unchanged.
            const { rows: written } = await trx.raw<{ rows: Array<{ inserted: boolean }> }>(
              `INSERT INTO broadband (commune_code, operator, as_of, households_passed, subscriptions, ports, is_demo, import_id, actor)
               SELECT x.c, x.o, x.d, x.p, x.s, x.n, ?, ?, ? FROM json_to_recordset(?::json) AS x(c text, o text, d date, p int, s int, n int)
               ON CONFLICT (commune_code, operator, as_of) DO UPDATE SET
                 households_passed = EXCLUDED.households_passed, subscriptions = EXCLUDED.subscriptions, ports = EXCLUDED.ports,
                 is_demo = EXCLUDED.is_demo, import_id = EXCLUDED.import_id, actor = EXCLUDED.actor, updated_at = now()
               WHERE (broadband.households_passed, broadband.subscriptions, broadband.ports, broadband.is_demo)
                     IS DISTINCT FROM (EXCLUDED.households_passed, EXCLUDED.subscriptions, EXCLUDED.ports, EXCLUDED.is_demo)
               RETURNING (xmax = 0) AS inserted`,
              [options.isDemo ?? false, options.importId, options.actor, JSON.stringify(batch)],
            );
            const inserted = written.filter((w) => w.inserted).length;
            counts.inserted += inserted;
            counts.updated += written.length - inserted;
            counts.unchanged += batch.length - written.length;
          }
          if (options.dryRun) throw new DryRunRollback(counts);
          return counts;
        });
      } catch (err) {
        if (err instanceof DryRunRollback) return err.counts;
        throw err;
      }
    },

    async records(filter) {
      const where: string[] = [];
      const bindings: Knex.Value[] = [];
      if (filter.asOf) { where.push('as_of <= ?::date'); bindings.push(filter.asOf); }
      if (filter.commune) { where.push('commune_code = ?'); bindings.push(filter.commune); }
      const { rows } = await knex.raw(
        `SELECT ${RECORD_COLUMNS} FROM broadband ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY commune_code, operator, as_of`,
        bindings,
      );
      return rows;
    },

    async communeRecords(code) {
      const { rows } = await knex.raw(
        `SELECT ${RECORD_COLUMNS}, import_id AS "importId", actor, updated_at AS "updatedAt" FROM broadband WHERE commune_code = ? ORDER BY as_of, operator`,
        [code],
      );
      return rows;
    },

    async counts() {
      const { rows } = await knex.raw('SELECT count(*) AS total, count(*) FILTER (WHERE is_demo) AS demo FROM broadband');
      return rows[0];
    },
  };
}
