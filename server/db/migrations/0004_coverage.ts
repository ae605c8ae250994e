import type { Knex } from 'knex';

/**
 * Coverage results. `commune_coverage` holds the current figures (one row per commune,
 * technology and operator or 'all'), each stamped with the run that computed it, the model
 * version and the digest of the inputs; `coverage_runs` keeps every run.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE TABLE coverage_runs (
      id bigserial PRIMARY KEY,
      started_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      as_of date NOT NULL,
      model_version text NOT NULL,
      inputs_digest text,
      scope text NOT NULL CHECK (scope IN ('full', 'communes')),
      communes integer NOT NULL DEFAULT 0,
      radios integer NOT NULL DEFAULT 0,
      duration_ms integer,
      trigger text NOT NULL,
      import_id bigint REFERENCES imports (id),
      status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'succeeded', 'failed'))
    )`);
  await knex.raw(`
    CREATE TABLE commune_coverage (
      commune_code text NOT NULL REFERENCES communes (code) ON UPDATE CASCADE ON DELETE CASCADE,
      technology text NOT NULL CHECK (technology IN ('2G', '3G', '4G', '5G')),
      operator text NOT NULL,
      area_km2 double precision NOT NULL,
      covered_km2 double precision NOT NULL,
      area_pct double precision NOT NULL,
      population double precision NOT NULL,
      covered_population double precision NOT NULL,
      population_pct double precision NOT NULL,
      run_id bigint NOT NULL REFERENCES coverage_runs (id),
      PRIMARY KEY (commune_code, technology, operator)
    )`);
  await knex.raw('CREATE INDEX commune_coverage_tech_op_idx ON commune_coverage (technology, operator)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS commune_coverage');
  await knex.raw('DROP TABLE IF EXISTS coverage_runs');
}
