import type { Knex } from 'knex';

export type PlanStatus = 'queued' | 'running' | 'done' | 'failed';

export interface PlanRecord<Req = unknown, Res = unknown> {
  id: number;
  status: PlanStatus;
  request: Req;
  result: Res | null;
  error: string | null;
  ownerOperator: string | null;
  createdBy: string;
  createdAt: string;
  finishedAt: string | null;
}

export interface PlansRepo {
  insert(p: { request: unknown; ownerOperator: string | null; createdBy: string }): Promise<number>;
  get(id: number): Promise<PlanRecord | null>;
  list(ownerOperator: string | null): Promise<Array<Omit<PlanRecord, 'result'> & { summary: unknown }>>;
  setStatus(id: number, status: PlanStatus): Promise<void>;
  finish(id: number, outcome: { result: unknown } | { error: string }): Promise<void>;
}

const TS = (col: string, as: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "${as}"`;
const COLUMNS = `id::int AS id, status, request, error, owner_operator AS "ownerOperator", created_by AS "createdBy", ${TS('created_at', 'createdAt')}, ${TS('finished_at', 'finishedAt')}`;

export function createPlansRepo(knex: Knex): PlansRepo {
  return {
    async insert(p) {
      const { rows } = await knex.raw('INSERT INTO plans (request, owner_operator, created_by) VALUES (?::jsonb, ?, ?) RETURNING id::int AS id', [JSON.stringify(p.request), p.ownerOperator, p.createdBy]);
      return rows[0].id;
    },
    async get(id) {
      const { rows } = await knex.raw(`SELECT ${COLUMNS}, result FROM plans WHERE id = ?`, [id]);
      return rows[0] ?? null;
    },
    async list(ownerOperator) {
      // The list carries each plan's headline figures, not its sites.
      const { rows } = await knex.raw(
        `SELECT ${COLUMNS}, CASE WHEN result IS NULL THEN NULL ELSE jsonb_build_object(
            'reached', result->'reached', 'sitesNeeded', result->'sitesNeeded', 'sites', jsonb_array_length(result->'sites'),
            'before', result->'before'->'value', 'after', result->'after'->'value') END AS summary
           FROM plans WHERE ?::text IS NULL OR owner_operator = ? ORDER BY id DESC`,
        [ownerOperator, ownerOperator],
      );
      return rows;
    },
    async setStatus(id, status) {
      await knex.raw('UPDATE plans SET status = ? WHERE id = ?', [status, id]);
    },
    async finish(id, outcome) {
      if ('result' in outcome) await knex.raw(`UPDATE plans SET status = 'done', result = ?::jsonb, finished_at = now() WHERE id = ?`, [JSON.stringify(outcome.result), id]);
      else await knex.raw(`UPDATE plans SET status = 'failed', error = ?, finished_at = now() WHERE id = ?`, [outcome.error, id]);
    },
  };
}
