import type { Knex } from 'knex';

/**
 * Every table the summary and gaps views read bumps its row of `data_versions` in the writing
 * statement's transaction (statement-level triggers: one bump per statement, whatever wrote it:
 * the API, a CLI or psql). The views' cache is keyed by these versions, so it can never serve a
 * figure older than the last committed write.
 */
const WATCHED: ReadonlyArray<readonly [table: string, version: string]> = [
  ['communes', 'communes'],
  ['coverage_runs', 'coverage'],
  ['broadband', 'broadband'],
  ['targets', 'targets'],
  ['reported_figures', 'targets'],
  ['operators', 'operators'],
];

export async function up(knex: Knex): Promise<void> {
  await knex.raw(`
    CREATE FUNCTION bump_data_version() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO data_versions (name, version) VALUES (TG_ARGV[0], 1)
        ON CONFLICT (name) DO UPDATE SET version = data_versions.version + 1;
      RETURN NULL;
    END $$`);
  for (const [table, version] of WATCHED) {
    await knex.raw(`INSERT INTO data_versions (name) VALUES (?) ON CONFLICT (name) DO NOTHING`, [version]);
    await knex.raw(
      `CREATE TRIGGER ${table}_bump_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
         FOR EACH STATEMENT EXECUTE FUNCTION bump_data_version('${version}')`,
    );
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table] of WATCHED) await knex.raw(`DROP TRIGGER IF EXISTS ${table}_bump_version ON ${table}`);
  await knex.raw('DROP FUNCTION IF EXISTS bump_data_version()');
  await knex.raw("DELETE FROM data_versions WHERE name <> 'stations'");
}
