import { Router } from 'express';
import { z } from 'zod';
import type { TilesRepo } from './tiles.repo';

const MAX_ZOOM = 22;

/** Path of `GET /tiles/stations/:z/:x/:y.pbf`; also described in server/openapi. */
export const TileParams = z
  .object({ z: z.coerce.number().int().min(0).max(MAX_ZOOM), x: z.coerce.number().int().min(0), y: z.coerce.number().int().min(0) })
  .refine((t) => t.x < 2 ** t.z && t.y < 2 ** t.z, { message: 'x and y must be below 2^z', path: ['x'] });

export function tilesRoutes(tiles: TilesRepo): Router {
  const router = Router();
  router.get('/stations/:z/:x/:y.pbf', async (req, res) => {
    const { z: zoom, x, y } = TileParams.parse(req.params);
    const tile = await tiles.stations(zoom, x, y);
    res.set('Cache-Control', 'public, max-age=60').type('application/vnd.mapbox-vector-tile');
    if (tile.length === 0) {
      res.status(204).end();
      return;
    }
    res.send(tile);
  });
  return router;
}
