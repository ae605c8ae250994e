import type { Knex } from 'knex';

/**
 * Dated snapshots: after every coverage recompute and every broadband upload, the figures of each
 * commune and of the province (metric → value, names of server/targets/metrics.ts) are kept, so
 * progress toward the targets can be drawn. `commune_code` NULL is the province.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE snapshots (
      id bigserial PRIMARY KEY,
      taken_at timestamptz NOT NULL DEFAULT clock_timestamp(),
      as_of date NOT NULL,
      trigger text NOT NULL CHECK (trigger IN ('recompute', 'broadband')),
      run_id bigint REFERENCES coverage_runs (id),
      import_id bigint REFERENCES imports (id),
      model_version text
    )`);
  await knex.raw(`
    CREATE TABLE snapshot_figures (
      snapshot_id bigint NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
      commune_code text REFERENCES communes (code) ON UPDATE CASCADE ON DELETE CASCADE,
      figures jsonb NOT NULL
    )`);
  await knex.raw(`CREATE UNIQUE INDEX snapshot_figures_key ON snapshot_figures (snapshot_id, (coalesce(commune_code, '')))`);
  await knex.raw('CREATE INDEX snapshot_figures_commune_idx ON snapshot_figures (commune_code, snapshot_id)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS snapshot_figures');
  await knex.raw('DROP TABLE IF EXISTS snapshots');
}
