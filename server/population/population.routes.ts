import { Router } from 'express';
import { sendJson } from '../http/json-answer';
import { PopulationDensityQuerySchema } from './population.schema';
import type { PopulationService } from './population.service';

export function populationRoutes(service: PopulationService): Router {
  const router = Router();

  // The dasymetric density, people/km², per piece of grid cell inside each commune.
  router.get('/population/density', async (req, res) => {
    const { bbox } = PopulationDensityQuerySchema.parse(req.query);
    sendJson(req, res, await service.density(bbox), 'application/geo+json');
  });

  return router;
}
