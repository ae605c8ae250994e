import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE EXTENSION IF NOT EXISTS postgis');
}

export async function down(): Promise<void> {
  // Leave the extension: other schemas on a shared server may use it.
}
