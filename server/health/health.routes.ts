import { Router } from 'express';
import type { Database } from '../db/database';
import { postgisVersion } from '../db/migrate';
import { sendAnswer } from '../http/json-answer';
import { HealthDownSchema, HealthSchema } from './health.schema';

export function healthRoutes(db: Database): Router {
  const router = Router();
  router.get('/health', async (req, res) => {
    try {
      sendAnswer(req, res, HealthSchema, { status: 'ok', database: db.engine, postgis: await postgisVersion(db.knex) });
    } catch {
      res.set('Retry-After', '5');
      sendAnswer(req, res, HealthDownSchema, { status: 'unavailable', database: db.engine, postgis: null, detail: 'the database is unreachable' }, { status: 503 });
    }
  });
  return router;
}
