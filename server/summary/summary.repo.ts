import type { Knex } from 'knex';
import type { Technology } from '../coverage/engine/index';
import { MERGER_DATE } from '../targets/metrics';
import type { SiteTotals } from './indicators';
import { readDataVersions } from '../db/data-versions';
import { ON_AIR_SQL } from '../stations/on-air';

export interface SiteCounts {
  asOf: string;
  totals: SiteTotals;
  /** Sites on air per operator and technology (a site with 4G and 5G counts in both). */
  byOperator: Record<string, Partial<Record<Technology | 'sites', number>>>;
  byTechnology: Partial<Record<Technology, number>>;
}

export interface SummaryRepo {
  /** Sites (stations) with at least one radio on air on `asOf`, optionally in one commune or province. */
  siteCounts(asOf: string, where?: StationsWhere): Promise<SiteCounts>;
  /** Demo (synthetic) and real stations, in all or in one commune or province. */
  stationKinds(where?: StationsWhere): Promise<{ demo: number; real: number }>;
  /** The versions of every dataset the views read (`data_versions`), as one comparable string. */
  dataVersions(): Promise<string>;
}


/** One commune's stations, one province's (a station outside every commune counts with the nearest one's province), or all. */
export interface StationsWhere {
  commune?: string;
  province?: string;
}

function stationsWhere(where: StationsWhere, alias: string): { sql: string; bindings: string[] } {
  if (where.commune) return { sql: `${alias}.commune_code = ?`, bindings: [where.commune] };
  if (where.province) return { sql: `${alias}.province_code = ?`, bindings: [where.province] };
  return { sql: 'true', bindings: [] };
}

export function createSummaryRepo(knex: Knex): SummaryRepo {
  return {
    async siteCounts(asOf, where = {}) {
      const only = stationsWhere(where, 's');
      const bindings: Knex.Value[] = [asOf, asOf, ...only.bindings];
      const active = `SELECT s.id, s.operator, r.technology FROM radios r JOIN stations s ON s.id = r.station_id WHERE ${ON_AIR_SQL} AND ${only.sql}`;
      const grouped = await knex.raw<{ rows: Array<{ operator: string | null; technology: Technology | null; sites: number }> }>(
        `SELECT operator, technology, count(DISTINCT id) AS sites FROM (${active}) a GROUP BY GROUPING SETS ((operator, technology), (operator), (technology))`,
        bindings,
      );
      const totals = await knex.raw<{ rows: Array<Record<string, number>> }>(
        `SELECT count(DISTINCT a.id) AS sites_count,
                count(DISTINCT a.id) FILTER (WHERE a.technology IN ('3G', '4G')) AS sites_3g4g_count,
                count(DISTINCT a.id) FILTER (WHERE a.technology = '4G') AS sites_4g_count,
                count(DISTINCT a.id) FILTER (WHERE a.technology = '5G') AS sites_5g_count,
                count(DISTINCT a.id) FILTER (WHERE a.technology = '5G' AND
                  (SELECT min(r5.commissioned_on) FROM radios r5 WHERE r5.station_id = a.id AND r5.technology = '5G') >= ?::date) AS sites_5g_new_count
           FROM (${active}) a`,
        [MERGER_DATE, ...bindings],
      );
      const byOperator: SiteCounts['byOperator'] = {};
      const byTechnology: SiteCounts['byTechnology'] = {};
      for (const g of grouped.rows) {
        if (g.operator && g.technology) (byOperator[g.operator] ??= {})[g.technology] = g.sites;
        else if (g.operator) (byOperator[g.operator] ??= {}).sites = g.sites;
        else if (g.technology) byTechnology[g.technology] = g.sites;
      }
      return { asOf, totals: totals.rows[0] as SiteTotals, byOperator, byTechnology };
    },

    dataVersions: () => readDataVersions(knex),

    async stationKinds(where = {}) {
      const only = stationsWhere(where, 's');
      const { rows } = await knex.raw(
        `SELECT count(*) FILTER (WHERE is_demo) AS demo, count(*) FILTER (WHERE NOT is_demo) AS real FROM stations s WHERE ${only.sql}`,
        only.bindings,
      );
      return rows[0];
    },
  };
}
