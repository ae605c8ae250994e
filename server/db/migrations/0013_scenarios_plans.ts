import type { Knex } from 'knex';

/**
 * Scenarios (named sets of station changes, never mixed into the official figures) and plans
 * (suggested sites for a target, computed in the background). `owner_operator` is the operator
 * of the token that made one (null for planners and admins): an operator sees only its own.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE plans (
      id bigserial PRIMARY KEY,
      status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
      request jsonb NOT NULL,
      result jsonb,
      error text,
      owner_operator text REFERENCES operators (code),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`);
  await knex.raw(`
    CREATE TABLE scenarios (
      id bigserial PRIMARY KEY,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
      changes jsonb NOT NULL,
      from_plan_id bigint REFERENCES plans (id) ON DELETE SET NULL,
      owner_operator text REFERENCES operators (code),
      created_by text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS scenarios');
  await knex.raw('DROP TABLE IF EXISTS plans');
}
