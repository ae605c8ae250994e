import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Config } from './config';
import type { Database } from './db/database';
import { notFoundRoute, problemHandler } from './http/problem';
import { healthRoutes } from './health/health.routes';
import { communesRoutes } from './communes/communes.routes';
import { createCommunesRepo } from './communes/communes.repo';
import { createCommunesService } from './communes/communes.service';

export interface AppDeps {
  db: Database;
  config: Readonly<Config>;
  logger?: Logger;
}

/** Builds the service. Never listens: server/main.ts and the tests do that. */
export function createApp({ db, config, logger }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  if (logger) app.use(pinoHttp({ logger, quietReqLogger: true }));

  const communes = createCommunesService(createCommunesRepo(db.knex));

  const api = express.Router();
  api.use(express.json({ limit: '1mb' }));
  api.use(healthRoutes(db));
  api.use(communesRoutes(communes));
  api.use(notFoundRoute);
  app.use('/api', api);

  const indexHtml = path.join(config.clientDir, 'index.html');
  if (fs.existsSync(indexHtml)) {
    app.use(express.static(config.clientDir, { index: 'index.html', maxAge: '1h' }));
  } else {
    app.get('/', (_req, res) => {
      res.type('text/plain').send('phusong API is running; the map is not built yet: run `npm run build`.\n');
    });
  }
  app.use(notFoundRoute);
  app.use(problemHandler);
  return app;
}
