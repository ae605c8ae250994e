import http from 'node:http';
import pino from 'pino';
import { createApp } from './app';
import { openMigratedDatabase } from './bootstrap';
import { loadConfig } from './config';
import { PostgisMissingError } from './db/migrate';
import { createCommunesRepo } from './communes/communes.repo';
import { ensureDefaultProvince } from './communes/default-province';

async function main(): Promise<void> {
  const config = loadConfig();
  const log = pino({ level: config.logLevel, base: { service: 'phusong' } });
  const started = Date.now();
  const db = await openMigratedDatabase(config, log);

  const loaded = await ensureDefaultProvince(createCommunesRepo(db.knex), config.geodataDir);
  if (loaded) log.info({ file: loaded.file, inserted: loaded.inserted, repaired: loaded.repaired.length }, 'default province loaded');

  const server = http.createServer(createApp({ db, config, logger: log }));
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ url: `http://localhost:${port}`, engine: db.engine, startupMs: Date.now() - started }, 'phusong listening');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // Stop accepting, let in-flight requests finish, then close the database.
    server.close();
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.once('close', resolve));
    await db.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof PostgisMissingError) {
    console.error(`phusong: ${err.message}`);
  } else {
    console.error(`phusong: could not start: ${err instanceof Error ? err.message : String(err)}`);
    if (process.env.LOG_LEVEL === 'debug') console.error(err);
  }
  process.exit(1);
});
