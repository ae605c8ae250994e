import express, { Router, type RequestHandler } from 'express';
import multer from 'multer';
import { principalOf } from '../auth/auth.middleware';
import { NotFoundError, TooLargeError } from '../errors';
import type { StationsService } from './stations.service';
import { sendAnswer } from '../http/json-answer';
import { IdParamsSchema, ImportListQuerySchema, ImportQuerySchema, StationListQuerySchema } from './stations.query';
import { ImportRecordDetailSchema, ImportRecordPageSchema, StationDetailSchema, StationImportReportSchema, StationPageSchema, StationsGeoJsonSchema } from './stations.schema';

export function stationsRoutes(service: StationsService, options: { maxUploadBytes: number }): Router {
  const router = Router();
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: options.maxUploadBytes, files: 1, fields: 20 } }).single('file');
  const raw = express.raw({ type: () => true, limit: options.maxUploadBytes });
  // The file comes as multipart field `file`, or as the raw body.
  const receiveFile: RequestHandler = (req, res, next) => {
    const handler = req.is('multipart/form-data') ? upload : raw;
    handler(req, res, (err?: unknown) => {
      if (err && typeof err === 'object' && ((err as { code?: string }).code === 'LIMIT_FILE_SIZE' || (err as { status?: number }).status === 413)) {
        next(new TooLargeError(`the file is larger than ${Math.round(options.maxUploadBytes / 1048576)} MB`));
      } else next(err);
    });
  };

  // The token and the query decide 401/403 before a byte of the file is read.
  const mayUpload: RequestHandler = (req, _res, next) => {
    const query = ImportQuerySchema.parse(req.query);
    service.assertMayUpload(principalOf(req), query.operator);
    next();
  };

  router.post('/stations/import', mayUpload, receiveFile, async (req, res) => {
    const query = ImportQuerySchema.parse(req.query);
    const data = req.file?.buffer ?? (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    const report = await service.importFile({
      data,
      fileName: req.file?.originalname ?? req.get('x-file-name') ?? null,
      contentType: req.file?.mimetype ?? req.get('content-type') ?? null,
      principal: principalOf(req),
      format: query.format, mode: query.mode, dryRun: query.dryRun, operator: query.operator ?? null,
    });
    sendAnswer(req, res, StationImportReportSchema, report, { status: query.dryRun ? 200 : 201 });
  });

  router.get('/stations', async (req, res) => {
    const q = StationListQuerySchema.parse(req.query);
    const page = await service.list({ bbox: q.bbox, operator: q.operator, technology: q.technology, status: q.status, commune: q.commune, province: q.province, limit: q.limit, afterId: q.cursor });
    if (q.format === 'geojson') {
      sendAnswer(req, res, StationsGeoJsonSchema, {
        type: 'FeatureCollection', nextCursor: page.nextCursor,
        features: page.items.map(({ lon, lat, ...properties }) => ({ type: 'Feature' as const, id: properties.id, properties, geometry: { type: 'Point' as const, coordinates: [lon, lat] } })),
      }, { geojson: true });
      return;
    }
    sendAnswer(req, res, StationPageSchema, page);
  });

  router.get('/stations/:id', async (req, res) => {
    const { id } = IdParamsSchema.parse(req.params);
    sendAnswer(req, res, StationDetailSchema, await service.get(id));
  });

  router.get('/imports', async (req, res) => {
    const q = ImportListQuerySchema.parse(req.query);
    sendAnswer(req, res, ImportRecordPageSchema, await service.imports({ operator: q.operator, limit: q.limit, beforeId: q.cursor }));
  });

  router.get('/imports/:id', async (req, res) => {
    const { id } = IdParamsSchema.parse(req.params);
    const record = await service.importRecord(id);
    if (!record) throw new NotFoundError(`no import #${id}`);
    sendAnswer(req, res, ImportRecordDetailSchema, record);
  });

  return router;
}
