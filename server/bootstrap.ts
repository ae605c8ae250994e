import type { Logger } from 'pino';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import { migrateToLatest } from './db/migrate';

/**
 * Opens the configured database and brings its schema up to date. Shared by the service and
 * every command-line script, so `npm start` and `npm run …` always work on the same database.
 */
export async function openMigratedDatabase(config: Readonly<Config>, log?: Logger): Promise<Database> {
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    const applied = await migrateToLatest(db.knex);
    log?.info({ engine: db.engine, where: db.where, applied }, 'database ready');
    return db;
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }
}
