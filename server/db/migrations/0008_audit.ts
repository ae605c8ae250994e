import type { Knex } from 'knex';

/** Every write request, whatever its outcome: who, what, when (and the request id to find its logs). */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE audit_log (
      id bigserial PRIMARY KEY,
      at timestamptz NOT NULL DEFAULT now(),
      actor text NOT NULL,
      token_id bigint REFERENCES api_tokens (id),
      method text NOT NULL,
      path text NOT NULL,
      status integer NOT NULL,
      request_id text,
      detail jsonb
    )`);
  await knex.raw('CREATE INDEX audit_log_at_idx ON audit_log (at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS audit_log');
}
