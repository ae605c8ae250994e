import type { Knex } from 'knex';

/**
 * Coverage figures say how each commune's people were spread (by the population grid, or evenly)
 * and what share of the commune had terrain heights (null: no heights configured).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE commune_coverage
    ADD COLUMN population_spread text NOT NULL DEFAULT 'even' CHECK (population_spread IN ('grid', 'even')),
    ADD COLUMN terrain_pct double precision`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE commune_coverage DROP COLUMN population_spread, DROP COLUMN terrain_pct');
}
