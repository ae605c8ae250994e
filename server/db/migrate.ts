import type { Knex } from 'knex';
import { MIGRATIONS } from './migrations/index';

export class PostgisMissingError extends Error {
  constructor() {
    super(
      'PostGIS is not installed on the database server: install it there (Debian/Ubuntu: apt-get install postgresql-15-postgis-3, matching the server version), or unset DATABASE_URL to use the embedded database',
    );
    this.name = 'PostgisMissingError';
  }
}

const source: Knex.MigrationSource<readonly [string, Knex.Migration]> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

/** Checks that PostGIS can be created, then runs every pending migration. */
export async function migrateToLatest(knex: Knex): Promise<string[]> {
  const { rows } = await knex.raw<{ rows: Array<{ available: boolean }> }>(
    "SELECT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') AS available",
  );
  if (!rows[0]?.available) throw new PostgisMissingError();
  const [, applied] = (await knex.migrate.latest({ migrationSource: source })) as [number, string[]];
  return applied;
}

export async function postgisVersion(knex: Knex): Promise<string> {
  const { rows } = await knex.raw<{ rows: Array<{ v: string }> }>('SELECT postgis_lib_version() AS v');
  return rows[0].v;
}
