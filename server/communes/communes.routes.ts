import { Router } from 'express';
import { sendJson } from '../http/json-answer';
import { CommuneGetQuerySchema, CommuneListQuerySchema, CommuneParamsSchema } from './communes.schema';
import type { CommunesService } from './communes.service';

export function communesRoutes(service: CommunesService): Router {
  const router = Router();

  router.get('/communes', async (req, res) => {
    const { format, geometry } = CommuneListQuerySchema.parse(req.query);
    if (format === 'geojson') {
      sendJson(req, res, await service.featureCollection(geometry), 'application/geo+json');
      return;
    }
    const items = await service.list();
    res.json({ count: items.length, items });
  });

  router.get('/communes/:code', async (req, res) => {
    const { code } = CommuneParamsSchema.parse(req.params);
    const { geometry } = CommuneGetQuerySchema.parse(req.query);
    res.type('application/geo+json').json(await service.get(code, geometry));
  });

  return router;
}
