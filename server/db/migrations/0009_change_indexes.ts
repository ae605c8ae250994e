import type { Knex } from 'knex';

/**
 * "Has anything changed since the last coverage run?" is asked on every coverage read: index it.
 * `data_versions` counts committed station writes (bumped inside the writing transaction, so the
 * order of commits is the order of versions): in-memory caches are keyed by it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE TABLE data_versions (name text PRIMARY KEY, version bigint NOT NULL DEFAULT 0)');
  await knex.raw("INSERT INTO data_versions (name) VALUES ('stations')");
  await knex.raw('CREATE INDEX radios_updated_at_idx ON radios (updated_at)');
  await knex.raw('CREATE INDEX stations_updated_at_idx ON stations (updated_at)');
  await knex.raw('CREATE INDEX communes_imported_at_idx ON communes (imported_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE IF EXISTS data_versions');
  for (const name of ['radios_updated_at_idx', 'stations_updated_at_idx', 'communes_imported_at_idx']) await knex.raw(`DROP INDEX IF EXISTS ${name}`);
}
