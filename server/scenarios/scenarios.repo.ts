import type { Knex } from 'knex';
import type { ScenarioChange } from './changes';

export interface ScenarioRecord {
  id: number;
  name: string;
  changes: ScenarioChange[];
  fromPlanId: number | null;
  ownerOperator: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface ScenariosRepo {
  insert(s: { name: string; changes: readonly ScenarioChange[]; fromPlanId: number | null; ownerOperator: string | null; createdBy: string }): Promise<number>;
  get(id: number): Promise<ScenarioRecord | null>;
  list(ownerOperator: string | null): Promise<Array<Omit<ScenarioRecord, 'changes'> & { changesCount: number }>>;
  update(id: number, patch: { name?: string; changes?: readonly ScenarioChange[] }): Promise<void>;
  remove(id: number): Promise<boolean>;
}

const COLUMNS = `id::int AS id, name, from_plan_id::int AS "fromPlanId", owner_operator AS "ownerOperator", created_by AS "createdBy",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt",
  to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "updatedAt"`;

export function createScenariosRepo(knex: Knex): ScenariosRepo {
  return {
    async insert(s) {
      const { rows } = await knex.raw(
        'INSERT INTO scenarios (name, changes, from_plan_id, owner_operator, created_by) VALUES (?, ?::jsonb, ?, ?, ?) RETURNING id::int AS id',
        [s.name, JSON.stringify(s.changes), s.fromPlanId, s.ownerOperator, s.createdBy],
      );
      return rows[0].id;
    },
    async get(id) {
      const { rows } = await knex.raw(`SELECT ${COLUMNS}, changes FROM scenarios WHERE id = ?`, [id]);
      return rows[0] ?? null;
    },
    async list(ownerOperator) {
      const { rows } = await knex.raw(
        `SELECT ${COLUMNS}, jsonb_array_length(changes)::int AS "changesCount" FROM scenarios
          WHERE ?::text IS NULL OR owner_operator = ? ORDER BY id DESC`,
        [ownerOperator, ownerOperator],
      );
      return rows;
    },
    async update(id, patch) {
      await knex.raw(
        `UPDATE scenarios SET name = coalesce(?, name), changes = coalesce(?::jsonb, changes), updated_at = now() WHERE id = ?`,
        [patch.name ?? null, patch.changes ? JSON.stringify(patch.changes) : null, id],
      );
    },
    async remove(id) {
      const { rowCount } = await knex.raw('DELETE FROM scenarios WHERE id = ?', [id]);
      return (rowCount ?? 0) > 0;
    },
  };
}
