import fs from 'node:fs/promises';
import path from 'node:path';
import knexFactory from 'knex';
import type { TestProject } from 'vitest/node';

/** One id per test run: database helpers build their templates under it, teardown removes them. */
export default function setup(project: TestProject) {
  const runId = `${Date.now().toString(36)}${process.pid}`;
  project.provide('runId', runId);
  return async () => {
    await fs.rm(path.resolve('.tmp', `run-${runId}`), { recursive: true, force: true });
    const url = process.env.TEST_DATABASE_URL;
    if (!url) return;
    const knex = knexFactory({ client: 'pg', connection: url, pool: { min: 0, max: 1 } });
    try {
      const { rows } = await knex.raw<{ rows: Array<{ datname: string }> }>(
        'SELECT datname FROM pg_database WHERE datname LIKE ?', [`phusong_%_${runId}%`]);
      for (const { datname } of rows) await knex.raw(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    } finally {
      await knex.destroy();
    }
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    runId: string;
  }
}
