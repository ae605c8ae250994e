import { Router } from 'express';
import { sendAnswer } from '../http/json-answer';
import { ProvinceListQuerySchema, ProvinceListSchema, ProvinceParamsSchema, ProvinceSchema, ProvincesGeoJsonSchema } from './provinces.schema';
import type { ProvincesService } from './provinces.service';

export function provincesRoutes(service: ProvincesService): Router {
  const router = Router();

  router.get('/provinces', async (req, res) => {
    const { format } = ProvinceListQuerySchema.parse(req.query);
    if (format === 'geojson') {
      sendAnswer(req, res, ProvincesGeoJsonSchema, await service.featureCollection(), { geojson: true });
      return;
    }
    sendAnswer(req, res, ProvinceListSchema, await service.list());
  });

  router.get('/provinces/:code', async (req, res) => {
    const { code } = ProvinceParamsSchema.parse(req.params);
    sendAnswer(req, res, ProvinceSchema, await service.get(code));
  });

  return router;
}
