import { Router } from 'express';
import { z } from 'zod';
import { CLUSTER_BELOW_ZOOM } from './tiles.repo';
import type { TilesService } from './tiles.service';

const MAX_ZOOM = 22;

/** Path of `GET /tiles/stations/:z/:x/:y.pbf` and `GET /tiles/communes/:z/:x/:y.pbf`; also described in server/openapi. */
export const TileParams = z
  .object({ z: z.coerce.number().int().min(0).max(MAX_ZOOM), x: z.coerce.number().int().min(0), y: z.coerce.number().int().min(0) })
  .refine((t) => t.x < 2 ** t.z && t.y < 2 ** t.z, { message: 'x and y must be below 2^z', path: ['x'] });

/** `v`: any value, a cache-buster the map changes after an import of communes. */
export const CommuneTileQuery = z.object({ v: z.string().max(64).optional() });

const MVT = 'application/vnd.mapbox-vector-tile';

/** `asOf`: the stations as on that day; `v`: any value, a cache-buster the map changes after an upload. */
export const TileQuery = z.object({
  asOf: z.iso.date({ message: 'asOf is a date, YYYY-MM-DD' }).refine((d) => d >= '1990-01-01' && d <= '2100-12-31', 'asOf out of range').optional(),
  v: z.string().max(64).optional(),
});

export function tilesRoutes(tiles: TilesService): Router {
  const router = Router();
  router.get('/stations/:z/:x/:y.pbf', async (req, res) => {
    const { z: zoom, x, y } = TileParams.parse(req.params);
    const { asOf } = TileQuery.parse(req.query);
    const tile = await tiles.stations(zoom, x, y, { asOf });
    res.set('Cache-Control', 'public, max-age=60').set('X-Tile-Kind', zoom < CLUSTER_BELOW_ZOOM ? 'clusters' : 'sites').type(MVT);
    if (tile.length === 0) {
      res.status(204).end();
      return;
    }
    res.send(tile);
  });
  router.get('/communes/:z/:x/:y.pbf', async (req, res) => {
    const { z: zoom, x, y } = TileParams.parse(req.params);
    CommuneTileQuery.parse(req.query);
    const tile = await tiles.communes(zoom, x, y);
    res.set('Cache-Control', 'public, max-age=60').type(MVT);
    if (tile.length === 0) {
      res.status(204).end();
      return;
    }
    res.send(tile);
  });
  return router;
}
