import { Router } from 'express';
import type { Database } from '../db/database';
import { postgisVersion } from '../db/migrate';

export function healthRoutes(db: Database): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    try {
      res.json({ status: 'ok', database: db.engine, postgis: await postgisVersion(db.knex) });
    } catch {
      res.status(503).set('Retry-After', '5').json({ status: 'unavailable', database: db.engine, postgis: null, detail: 'the database is unreachable' });
    }
  });
  return router;
}
