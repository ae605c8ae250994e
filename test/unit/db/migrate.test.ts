import type { Knex } from 'knex';
import { describe, expect, it } from 'vitest';
import { migrateToLatest, PostgisMissingError } from '../../../server/db/migrate';

describe('migrateToLatest', () => {
  it('stops with one line saying how to install PostGIS when the server lacks it', async () => {
    const knex = { raw: async () => ({ rows: [{ available: false }] }) } as unknown as Knex;
    const err = await migrateToLatest(knex).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PostgisMissingError);
    expect((err as Error).message).toMatch(/^PostGIS is not installed on the database server: .*apt-get install postgresql-15-postgis-3/);
    expect((err as Error).message).not.toContain('\n');
  });
});
