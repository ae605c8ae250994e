import type { Knex } from 'knex';

/**
 * Any statement that writes stations or radios, whoever runs it (a script, psql), bumps
 * `station_rows`, so the caches keyed by `data_versions` see it. `stations` stays the count of
 * committed writes through the service (one per write, which the incremental recompute relies on).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw("INSERT INTO data_versions (name) VALUES ('station_rows') ON CONFLICT (name) DO NOTHING");
  for (const table of ['stations', 'radios']) {
    await knex.raw(
      `CREATE TRIGGER ${table}_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('station_rows')`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['stations', 'radios']) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_bump_version ON ${table}`);
  await knex.raw("DELETE FROM data_versions WHERE name = 'station_rows'");
}
