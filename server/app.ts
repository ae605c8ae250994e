import express from 'express';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Database } from './db/database';
import { notFoundRoute, problemHandler } from './http/problem';
import { clientPage } from './http/client-page';
import { corsPolicy, rateLimiter, securityHeaders } from './http/security';
import { requestId } from './http/request-id';
import { requestLog } from './http/request-log';
import { compress } from './http/compress';
import { auditWrites } from './audit/audit.middleware';
import { createAuditRepo } from './audit/audit.repo';
import { healthRoutes } from './health/health.routes';
import { authenticate } from './auth/auth.middleware';
import { communesRoutes } from './communes/communes.routes';
import { stationsRoutes } from './stations/stations.routes';
import { tilesRoutes } from './tiles/tiles.routes';
import { coverageRoutes } from './coverage/coverage.routes';
import { createJobs, type Jobs } from './jobs/jobs';
import { broadbandRoutes } from './broadband/broadband.routes';
import { targetsRoutes } from './targets/targets.routes';
import { provincesRoutes } from './provinces/provinces.routes';
import { summaryRoutes } from './summary/summary.routes';
import { scenariosRoutes } from './scenarios/scenarios.routes';
import { plansRoutes } from './plans/plans.routes';
import { openApiRoutes } from './openapi/openapi';
import { populationRoutes } from './population/population.routes';
import { createServices, type Services } from './services';
import { NO_INPUTS } from './coverage/coverage.inputs';

export interface AppDeps {
  db: Database;
  config: Readonly<Config>;
  logger?: Logger;
  /** Background jobs (recompute); main.ts passes its own to wait for them at shutdown. */
  jobs?: Jobs;
  /** Services built by the caller (main.ts shares them with its start-up work); built here otherwise. */
  services?: Services;
}

/** Builds the service. Never listens: server/main.ts and the tests do that. */
export function createApp({ db, config, logger, services, jobs = services?.jobs ?? createJobs() }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestId);
  if (logger) app.use(requestLog(logger));
  app.use(compress());
  app.use(securityHeaders(config));
  const cors = corsPolicy(config);
  if (cors) app.use(['/api', '/tiles'], cors);
  const writeLimit = rateLimiter(config.rateLimitWrites, 'writes');
  const readLimit = rateLimiter(config.rateLimitExpensiveReads, 'expensive reads');

  const { tokens, communes, provinces, coverage, stations, broadband, targets, summary, tiles: stationTiles, scenarios, plans, population } =
    services ?? createServices(db, jobs, { ...NO_INPUTS, populationRaster: config.populationRaster });

  const api = express.Router();
  api.use(healthRoutes(db));
  // Audit first: a write refused for a bad token is recorded too (as anonymous).
  api.use(auditWrites(createAuditRepo(db.knex), logger));
  api.use(authenticate(tokens, { publicReads: config.publicReads }));
  api.use((req, res, next) => {
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    // On-demand computations: a past date, a commune's gaps, a footprint layer, a scenario's figures, the density layer.
    const expensive = isRead && (typeof req.query.asOf === 'string' || /\/gaps$|\/coverage\/layer$|^\/scenarios\/[^/]+\/(summary|coverage)$|\/population\/density$/.test(req.path));
    const limiter = isRead ? (expensive ? readLimit : null) : writeLimit;
    if (limiter) limiter(req, res, next);
    else next();
  });
  // The hot reads first (none reads a body), so they do not walk the upload routes on every request.
  api.use(coverageRoutes(coverage, communes, jobs));
  api.use(summaryRoutes(summary, communes));
  api.use(provincesRoutes(provinces));
  api.use(populationRoutes(population));
  api.use(stationsRoutes(stations, { maxUploadBytes: config.maxUploadBytes }));
  api.use(broadbandRoutes(broadband, communes, { maxUploadBytes: config.maxUploadBytes }));
  api.use(express.json({ limit: '1mb' }));
  api.use(communesRoutes(communes));
  api.use(targetsRoutes(targets));
  api.use(scenariosRoutes(scenarios));
  api.use(plansRoutes(plans));
  // GET /api/openapi.json and /api/docs, generated once from the routes' zod schemas.
  api.use(openApiRoutes());
  api.use(notFoundRoute);
  app.use('/api', api);

  const tiles = express.Router();
  tiles.use(authenticate(tokens, { publicReads: config.publicReads }));
  tiles.use(tilesRoutes(stationTiles));
  tiles.use(notFoundRoute);
  app.use('/tiles', tiles);

  const page = clientPage(config, () => communes.resolveScope());
  if (page) app.use(page);
  else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('phusong API is running; the map is not built yet: run `npm run build`.\n');
    });
  }
  app.use(notFoundRoute);
  app.use(problemHandler(logger));
  return app;
}
