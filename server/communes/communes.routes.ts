import { Router } from 'express';
import { sendAnswer } from '../http/json-answer';
import { CommuneDetailFeatureSchema, CommuneGetQuerySchema, CommuneListQuerySchema, CommuneListSchema, CommuneParamsSchema, CommunesGeoJsonSchema } from './communes.schema';
import type { CommunesService } from './communes.service';

export function communesRoutes(service: CommunesService): Router {
  const router = Router();

  router.get('/communes', async (req, res) => {
    const { format, geometry, province } = CommuneListQuerySchema.parse(req.query);
    const scope = await service.resolveScope(province);
    if (format === 'geojson') {
      sendAnswer(req, res, CommunesGeoJsonSchema, await service.featureCollection(geometry, scope), { geojson: true });
      return;
    }
    const items = await service.list(scope);
    sendAnswer(req, res, CommuneListSchema, { count: items.length, items });
  });

  router.get('/communes/:code', async (req, res) => {
    const { code } = CommuneParamsSchema.parse(req.params);
    const { geometry } = CommuneGetQuerySchema.parse(req.query);
    sendAnswer(req, res, CommuneDetailFeatureSchema, await service.get(code, geometry), { geojson: true });
  });

  return router;
}
