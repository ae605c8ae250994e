import { Router } from 'express';
import { principalOf } from '../auth/auth.middleware';
import { toCsv } from '../http/csv';
import { ValidationError } from '../errors';
import { PLAN_CSV_COLUMNS, planCsvRows, planGeoJson } from './plans.export';
import { PlanCreateSchema, PlanGetQuerySchema, PlanParamsSchema } from './plans.schema';
import type { PlansService } from './plans.service';
import type { PlanResult } from './planner';

export function plansRoutes(plans: PlansService): Router {
  const router = Router();

  router.post('/plans', async (req, res) => {
    const body = PlanCreateSchema.parse(req.body ?? {});
    const created = await plans.create(principalOf(req), body);
    res.status(202).location(`/api/plans/${created.id}`).json(created);
  });

  router.get('/plans', async (req, res) => {
    res.json(await plans.list(principalOf(req)));
  });

  router.get('/plans/:id', async (req, res) => {
    const { id } = PlanParamsSchema.parse(req.params);
    const { format } = PlanGetQuerySchema.parse(req.query);
    const plan = await plans.get(principalOf(req), id);
    if (format === 'json') return void res.json(plan);
    if (plan.status !== 'done' || !plan.result) throw new ValidationError(`plan ${id} is ${plan.status}: only a finished plan can be exported`);
    const result = plan.result as PlanResult;
    if (format === 'csv') return void res.type('text/csv; charset=utf-8').attachment(`plan-${id}.csv`).send(toCsv(PLAN_CSV_COLUMNS, planCsvRows(result)));
    res.type('application/geo+json').attachment(`plan-${id}.geojson`).json(planGeoJson(id, result));
  });

  return router;
}
