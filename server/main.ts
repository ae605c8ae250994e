import http from 'node:http';
import pino from 'pino';
import { createApp } from './app';
import { openMigratedDatabase } from './bootstrap';
import { InvalidConfigError, loadConfig, type Config } from './config';
import { PostgisMissingError } from './db/migrate';
import { createCommunesRepo } from './communes/communes.repo';
import { ensureDefaultProvince } from './communes/default-province';
import { createStationsRepo } from './stations/stations.repo';
import { countRealStations, loadDemoStations } from './stations/demo/load-demo';
import { createBroadbandRepo } from './broadband/broadband.repo';
import { loadDemoBroadband } from './broadband/broadband.demo';
import { createJobs } from './jobs/jobs';
import { createServices } from './services';
import { loadCoverageInputs } from './coverage/coverage.inputs';

/** The configured LOG_LEVEL once loadConfig has accepted the environment: how much a failed start prints. */
let configuredLogLevel: Config['logLevel'] | null = null;

async function main(): Promise<void> {
  const config = loadConfig();
  configuredLogLevel = config.logLevel;
  const log = pino({ level: config.logLevel, base: { service: 'phusong' } });
  const started = Date.now();
  const db = await openMigratedDatabase(config, log);

  const loaded = await ensureDefaultProvince(createCommunesRepo(db.knex), config.geodataDir);
  if (loaded) log.info({ file: loaded.file, inserted: loaded.inserted, repaired: loaded.repaired.length }, 'default province loaded');

  if (config.demoData && (await createStationsRepo(db.knex).count()) === 0) {
    const demo = await loadDemoStations(db.knex, { populationRaster: config.populationRaster });
    log.info({ seed: demo.seed, placement: demo.placement, stations: demo.write.counts.stationsInserted, radios: demo.write.counts.radiosInserted }, 'SYNTHETIC demo stations loaded (DEMO_DATA=false to start without them)');
  }

  const inputs = await loadCoverageInputs(config);
  log.info({
    population: inputs.population ? `${inputs.population.model.name} (${inputs.population.model.attribution})` : 'even spread (POPULATION_RASTER empty)',
    terrain: inputs.terrain ? inputs.terrain.model.tiles.join(', ') : 'flat ground (TERRAIN_DIR empty or without tiles)',
  }, 'coverage inputs');
  const jobs = createJobs();
  const services = createServices(db, jobs, inputs);
  const { history, coverage, communes } = services;
  // Synthetic fiber figures only in a demo database: no real station, no broadband row yet.
  if (config.demoData && (await countRealStations(db.knex)) === 0 && (await createBroadbandRepo(db.knex).counts()).total === 0) {
    const fiber = await loadDemoBroadband(db.knex);
    const snapshot = await history.snapshot({ trigger: 'broadband' });
    log.info({ rows: fiber.inserted, snapshotId: snapshot.id }, 'SYNTHETIC demo fiber figures loaded (DEMO_DATA=false to start without them)');
  }

  const server = http.createServer(createApp({ db, config, logger: log, services }));
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ url: `http://localhost:${port}`, engine: db.engine, startupMs: Date.now() - started }, 'phusong listening');

  // The map page's first request is prepared now (cached per data version) rather than for the
  // first visitor: the communes' overview geometry for one province; with several the page opens
  // on the country and asks for the provinces with their figures instead (seconds for 34
  // provinces: test/bench/README.md), not for every commune of the country.
  void communes.resolveScope()
    .then((scope): Promise<unknown> => (scope === null ? services.provinces.featureCollection() : communes.featureCollection('overview')))
    .catch((err: unknown) => log.warn({ err }, 'the map page\'s first answer not prepared at start'));

  // Figures missing or computed from other inputs: recompute in the background, readable meanwhile.
  if (!(await coverage.storedIsCurrent())) {
    jobs.start('coverage', async (progress) => {
      const run = await coverage.recompute({ trigger: 'startup' }, (p) => progress(p.phase, p.percent));
      log.info({ runId: run.runId, radios: run.radios, durationMs: run.durationMs }, 'coverage recomputed');
      return run;
    });
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    // Stop accepting, let in-flight requests finish, then close the database.
    server.close();
    server.closeIdleConnections();
    await new Promise<void>((resolve) => server.once('close', resolve));
    await jobs.idle();
    await coverage.close();
    await db.close();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((err) => {
  // LOG_LEVEL=debug adds the stack, also when the configuration itself was refused.
  const logLevel = err instanceof InvalidConfigError ? err.logLevel : configuredLogLevel;
  if (err instanceof PostgisMissingError) {
    console.error(`phusong: ${err.message}`);
  } else {
    console.error(`phusong: could not start: ${err instanceof Error ? err.message : String(err)}`);
    if (logLevel === 'debug') console.error(err);
  }
  process.exit(1);
});
