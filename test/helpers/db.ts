import fs from 'node:fs/promises';
import path from 'node:path';
import knexFactory from 'knex';
import { inject } from 'vitest';
import { openDatabase, type Database, type EngineName } from '../../server/db/database';
import { migrateToLatest } from '../../server/db/migrate';
import { loadConfig, type Config } from '../../server/config';
import { createCommunesRepo } from '../../server/communes/communes.repo';
import { importProvinceFolder } from '../../server/communes/default-province';

/**
 * Real PostGIS for tests, on both engines: the embedded one always, the server one when
 * TEST_DATABASE_URL is set. Each suite gets its own database, copied from a template that is
 * migrated and holds the default province (built once per run), or an empty one.
 */
export const ENGINES: EngineName[] = process.env.TEST_DATABASE_URL ? ['embedded', 'server'] : ['embedded'];

export interface TestDatabase extends Database {
  config: Readonly<Config>;
}

let counter = 0;

/**
 * Where the shared geodata is, when the environment says so (a checkout that does not sit beside
 * it, e.g. a second worktree); otherwise the configuration's defaults. Nothing else of the
 * environment reaches a test's configuration.
 */
export const GEODATA_ENV: Readonly<Record<string, string>> = Object.fromEntries(
  ['GEODATA_DIR', 'PROVINCES_CSV', 'NATIONAL_COMMUNES', 'POPULATION_RASTER', 'TERRAIN_DIR'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])),
);

export async function openTestDatabase(engine: EngineName, contents: 'empty' | 'province' = 'province'): Promise<TestDatabase> {
  const runId = inject('runId');
  const id = `${process.pid}_${counter++}`;
  if (engine === 'embedded') {
    const dir = path.resolve('.tmp', `run-${runId}`, `db-${id}`);
    if (contents === 'province') await fs.cp(await embeddedTemplate(runId), dir, { recursive: true });
    const config = loadConfig({ ...GEODATA_ENV, DATA_DIR: dir, LOG_LEVEL: 'silent' });
    const db = await openDatabase({ databaseUrl: null, dataDir: dir });
    return withCleanup({ ...db, config }, () => fs.rm(dir, { recursive: true, force: true }));
  }
  const name = `phusong_t${id}_${runId}`;
  await adminQuery(`CREATE DATABASE "${name}"${contents === 'province' ? ` TEMPLATE "${await serverTemplate(runId)}"` : ''}`);
  const url = databaseUrl(name);
  const config = loadConfig({ ...GEODATA_ENV, DATABASE_URL: url, LOG_LEVEL: 'silent' });
  const db = await openDatabase({ databaseUrl: url, dataDir: config.dataDir });
  return withCleanup({ ...db, config }, () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** A fresh copy of the embedded template folder, not opened: for tests that start their own processes on it. */
export async function embeddedDataDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const runId = inject('runId');
  const dir = path.resolve('.tmp', `run-${runId}`, `dir-${process.pid}_${counter++}`);
  await fs.cp(await embeddedTemplate(runId), dir, { recursive: true });
  return { dir, remove: () => fs.rm(dir, { recursive: true, force: true }) };
}

function withCleanup(db: TestDatabase, cleanup: () => Promise<unknown>): TestDatabase {
  return { ...db, close: async () => { await db.close(); await cleanup(); } };
}

/**
 * The templates, built once per run whichever test file asks first: test files run two at a time,
 * so each is built aside under a name of its own and then published by one atomic rename (a
 * folder's, a database's); a file that lost the race drops its copy and takes the published one.
 */
const templates = new Map<string, Promise<string>>();
const once = (key: string, build: () => Promise<string>) => {
  let t = templates.get(key);
  if (!t) templates.set(key, (t = build()));
  return t;
};
const exists = (file: string) => fs.access(file).then(() => true, () => false);

function embeddedTemplate(runId: string): Promise<string> {
  return once(`embedded|${runId}`, async () => {
    const dir = path.resolve('.tmp', `run-${runId}`, 'template');
    if (await exists(path.join(dir, 'ready'))) return dir;
    const aside = `${dir}-${process.pid}`;
    await fs.rm(aside, { recursive: true, force: true });
    const db = await openDatabase({ databaseUrl: null, dataDir: aside });
    await fillTemplate(db);
    await db.close();
    await fs.writeFile(path.join(aside, 'ready'), '');
    try {
      await fs.rename(aside, dir);
    } catch (err) {
      if (!(await exists(path.join(dir, 'ready')))) throw err;
      await fs.rm(aside, { recursive: true, force: true });
    }
    return dir;
  });
}

function serverTemplate(runId: string): Promise<string> {
  return once(`server|${runId}`, async () => {
    const name = `phusong_tpl_${runId}`;
    const present = async () => (await adminQuery<{ rows: unknown[] }>('SELECT 1 FROM pg_database WHERE datname = ?', [name])).rows.length > 0;
    if (await present()) return name;
    // Named so that the global teardown drops it too (phusong_%_<runId>%).
    const aside = `phusong_tplb${process.pid}_${runId}`;
    await adminQuery(`DROP DATABASE IF EXISTS "${aside}"`);
    await adminQuery(`CREATE DATABASE "${aside}"`);
    const db = await openDatabase({ databaseUrl: databaseUrl(aside), dataDir: '' });
    await fillTemplate(db);
    await db.close();
    try {
      await adminQuery(`ALTER DATABASE "${aside}" RENAME TO "${name}"`);
    } catch (err) {
      if (!(await present())) throw err;
      await adminQuery(`DROP DATABASE IF EXISTS "${aside}" WITH (FORCE)`);
    }
    return name;
  });
}

async function fillTemplate(db: Database) {
  await migrateToLatest(db.knex);
  await importProvinceFolder(createCommunesRepo(db.knex), loadConfig(GEODATA_ENV).geodataDir);
}

function databaseUrl(name: string): string {
  const url = new URL(process.env.TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

async function adminQuery<T = unknown>(sql: string, bindings: readonly unknown[] = []): Promise<T> {
  const knex = knexFactory({ client: 'pg', connection: process.env.TEST_DATABASE_URL!, pool: { min: 0, max: 1 } });
  try {
    return (await knex.raw(sql, bindings as never)) as T;
  } finally {
    await knex.destroy();
  }
}
