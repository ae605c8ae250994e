import express from 'express';
import compression from 'compression';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Database } from './db/database';
import { notFoundRoute, problemHandler } from './http/problem';
import { clientPage } from './http/client-page';
import { corsPolicy, rateLimiter, securityHeaders } from './http/security';
import { requestId } from './http/request-id';
import { auditWrites } from './audit/audit.middleware';
import { createAuditRepo } from './audit/audit.repo';
import { healthRoutes } from './health/health.routes';
import { authenticate } from './auth/auth.middleware';
import { createTokensRepo } from './auth/tokens.repo';
import { createTokensService } from './auth/tokens.service';
import { communesRoutes } from './communes/communes.routes';
import { createCommunesRepo } from './communes/communes.repo';
import { createCommunesService } from './communes/communes.service';
import { createStationsRepo } from './stations/stations.repo';
import { createImportsRepo } from './stations/imports.repo';
import { createStationsService } from './stations/stations.service';
import { stationsRoutes } from './stations/stations.routes';
import { createTilesRepo } from './tiles/tiles.repo';
import { tilesRoutes } from './tiles/tiles.routes';
import { createCoverageRepo } from './coverage/coverage.repo';
import { createCoverageService } from './coverage/coverage.service';
import { coverageRoutes } from './coverage/coverage.routes';
import { createJobs, type Jobs } from './jobs/jobs';
import { createBroadbandRepo } from './broadband/broadband.repo';
import { createBroadbandService } from './broadband/broadband.service';
import { broadbandRoutes } from './broadband/broadband.routes';
import { createTargetsRepo } from './targets/targets.repo';
import { createTargetsService } from './targets/targets.service';
import { targetsRoutes } from './targets/targets.routes';
import { historyFor } from './summary/history.service';
import { createSummaryRepo } from './summary/summary.repo';
import { createSummaryService } from './summary/summary.service';
import { summaryRoutes } from './summary/summary.routes';
import { openApiRoutes } from './openapi/openapi';

export interface AppDeps {
  db: Database;
  config: Readonly<Config>;
  logger?: Logger;
  /** Background jobs (recompute); main.ts passes its own to wait for them at shutdown. */
  jobs?: Jobs;
}

/** Builds the service. Never listens: server/main.ts and the tests do that. */
export function createApp({ db, config, logger, jobs = createJobs() }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestId);
  if (logger) app.use(pinoHttp({ logger, quietReqLogger: true, genReqId: (req) => (req as unknown as { id: string }).id }));
  app.use(compression());
  app.use(securityHeaders(config));
  const cors = corsPolicy(config);
  if (cors) app.use(['/api', '/tiles'], cors);
  const writeLimit = rateLimiter(config.rateLimitWrites, 'writes');
  const readLimit = rateLimiter(config.rateLimitExpensiveReads, 'expensive reads');

  const tokens = createTokensService(createTokensRepo(db.knex));
  const communes = createCommunesService(createCommunesRepo(db.knex));
  // Every recompute and every broadband upload keeps a dated snapshot of the figures (history).
  const history = historyFor(db.knex);
  const coverage = createCoverageService(createCoverageRepo(db.knex), { afterRecompute: (run) => history.snapshot({ trigger: 'recompute', runId: run.runId }) });
  const stations = createStationsService({
    stations: createStationsRepo(db.knex),
    imports: createImportsRepo(db.knex),
    // After a write, recompute only the communes the touched stations' footprints can reach.
    afterWrite: async (write, importId) => {
      const codes = await coverage.affectedCommunes(write.touchedStationIds);
      return jobs.start('coverage', (progress) => coverage.recompute({ codes, trigger: 'import', importId }, (p) => progress(p.phase, p.percent)));
    },
  });

  const broadband = createBroadbandService({
    broadband: createBroadbandRepo(db.knex), imports: createImportsRepo(db.knex), communes: createCommunesRepo(db.knex),
    afterWrite: (importId) => history.snapshot({ trigger: 'broadband', importId }),
  });
  const targets = createTargetsService(createTargetsRepo(db.knex));
  const summary = createSummaryService({ coverage, broadband, targets, communes, sites: createSummaryRepo(db.knex), history });

  const api = express.Router();
  api.use(healthRoutes(db));
  // Audit first: a write refused for a bad token is recorded too (as anonymous).
  api.use(auditWrites(createAuditRepo(db.knex), logger));
  api.use(authenticate(tokens, { publicReads: config.publicReads }));
  api.use((req, res, next) => {
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    // On-demand computations: a past date, a commune's gaps, a footprint layer.
    const expensive = isRead && (typeof req.query.asOf === 'string' || /\/gaps$|\/coverage\/layer$/.test(req.path));
    const limiter = isRead ? (expensive ? readLimit : null) : writeLimit;
    if (limiter) limiter(req, res, next);
    else next();
  });
  api.use(stationsRoutes(stations, { maxUploadBytes: config.maxUploadBytes }));
  api.use(broadbandRoutes(broadband, communes, { maxUploadBytes: config.maxUploadBytes }));
  api.use(express.json({ limit: '1mb' }));
  api.use(communesRoutes(communes));
  api.use(coverageRoutes(coverage, communes, jobs));
  api.use(targetsRoutes(targets));
  api.use(summaryRoutes(summary, communes));
  // GET /api/openapi.json and /api/docs, generated once from the routes' zod schemas.
  api.use(openApiRoutes());
  api.use(notFoundRoute);
  app.use('/api', api);

  const tiles = express.Router();
  tiles.use(authenticate(tokens, { publicReads: config.publicReads }));
  tiles.use(tilesRoutes(createTilesRepo(db.knex)));
  tiles.use(notFoundRoute);
  app.use('/tiles', tiles);

  const page = clientPage(config);
  if (page) app.use(page);
  else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('phusong API is running; the map is not built yet: run `npm run build`.\n');
    });
  }
  app.use(notFoundRoute);
  app.use(problemHandler);
  return app;
}
