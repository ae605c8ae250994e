import type { Knex } from 'knex';

/**
 * The versions of every dataset (`data_versions`: stations bumped by the stations write, the
 * others by statement triggers, migration 0010) as one comparable string. Caches of views keyed
 * by it can never serve a figure older than the last committed write; reading it is one tiny
 * query.
 */
export async function readDataVersions(knex: Knex): Promise<string> {
  const { rows } = await knex.raw("SELECT string_agg(name || '=' || version, ',' ORDER BY name) AS v FROM data_versions");
  return String(rows[0]?.v ?? '');
}
