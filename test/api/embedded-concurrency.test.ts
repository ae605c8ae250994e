import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/database';
import { openTestDatabase, type TestDatabase } from '../helpers/db';

describe('the embedded engine under concurrent connections', () => {
  let owner: TestDatabase;
  let attached: Database;
  beforeAll(async () => {
    owner = await openTestDatabase('embedded', 'empty');
    attached = await openDatabase({ databaseUrl: null, dataDir: owner.config.dataDir });
  });
  afterAll(async () => {
    await attached?.close();
    await owner?.close();
  });

  it('keeps each parameterised query whole when connections interleave (owner pool and another process)', async () => {
    // Large parameters arrive in several TCP chunks: that is when another connection's messages
    // used to slip in between a Parse and its Bind.
    const big = 'x'.repeat(300_000);
    const queries = Array.from({ length: 120 }, (_, i) => {
      const db = i % 3 === 0 ? attached : owner;
      const text = i % 2 === 0 ? `${big}${i}` : `q${i}`;
      return db.knex.raw('SELECT ?::int AS v, length(?::text) AS n', [i, text]).then((r) => r.rows[0]);
    });
    const rows = await Promise.all(queries);
    rows.forEach((row, i) => expect(row).toEqual({ v: i, n: (i % 2 === 0 ? `${big}${i}` : `q${i}`).length }));
  });

  it('serves again after a failed statement', async () => {
    await expect(owner.knex.raw('SELECT * FROM no_such_table WHERE x = ?', [1])).rejects.toThrow(/no_such_table/);
    expect((await attached.knex.raw('SELECT ?::int AS v', [7])).rows[0].v).toBe(7);
  });
});
