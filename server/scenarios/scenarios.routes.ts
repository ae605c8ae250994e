import { Router } from 'express';
import { principalOf } from '../auth/auth.middleware';
import { ScenarioCoverageQuerySchema, ScenarioCreateSchema, ScenarioEvalQuerySchema, ScenarioParamsSchema, ScenarioPatchSchema } from './scenarios.schema';
import type { ScenariosService } from './scenarios.service';

export function scenariosRoutes(scenarios: ScenariosService): Router {
  const router = Router();

  router.post('/scenarios', async (req, res) => {
    const body = ScenarioCreateSchema.parse(req.body ?? {});
    const created = await scenarios.create(principalOf(req), body);
    res.status(201).location(`/api/scenarios/${created.id}`).json(created);
  });

  router.get('/scenarios', async (req, res) => {
    res.json(await scenarios.list(principalOf(req)));
  });

  router.get('/scenarios/:id', async (req, res) => {
    const { id } = ScenarioParamsSchema.parse(req.params);
    res.json(await scenarios.get(principalOf(req), id));
  });

  router.patch('/scenarios/:id', async (req, res) => {
    const { id } = ScenarioParamsSchema.parse(req.params);
    res.json(await scenarios.patch(principalOf(req), id, ScenarioPatchSchema.parse(req.body ?? {})));
  });

  router.delete('/scenarios/:id', async (req, res) => {
    const { id } = ScenarioParamsSchema.parse(req.params);
    await scenarios.remove(principalOf(req), id);
    res.status(204).end();
  });

  router.get('/scenarios/:id/summary', async (req, res) => {
    const { id } = ScenarioParamsSchema.parse(req.params);
    const { asOf } = ScenarioEvalQuerySchema.parse(req.query);
    res.json(await scenarios.summary(principalOf(req), id, asOf));
  });

  router.get('/scenarios/:id/coverage', async (req, res) => {
    const { id } = ScenarioParamsSchema.parse(req.params);
    res.json(await scenarios.coverage(principalOf(req), id, ScenarioCoverageQuerySchema.parse(req.query)));
  });

  return router;
}
