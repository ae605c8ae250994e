import express, { Router, type RequestHandler } from 'express';
import multer from 'multer';
import { principalOf } from '../auth/auth.middleware';
import { BOUNDARY_ATTRIBUTION } from '../communes/communes.schema';
import type { CommunesService } from '../communes/communes.service';
import { TooLargeError } from '../errors';
import { toCsv } from '../http/csv';
import { sendAnswer } from '../http/json-answer';
import { ImportRecordPageSchema } from '../stations/stations.schema';
import { BroadbandFiguresSchema, BroadbandGeoJsonSchema, BroadbandImportListQuerySchema, BroadbandImportQuerySchema, BroadbandImportReportSchema, BroadbandQuerySchema } from './broadband.schema';
import type { BroadbandService } from './broadband.service';

const CSV_COLUMNS = [
  'communeCode', 'communeName', 'asOf', 'operators', 'households', 'subscriptions', 'householdsPassed', 'householdsPassedSum', 'ports',
  'fiberPct', 'fiberPctRaw', 'passedPct', 'passedPctUpper', 'exceeds100', 'synthetic',
] as const;

export function broadbandRoutes(service: BroadbandService, communes: CommunesService, options: { maxUploadBytes: number }): Router {
  const router = Router();
  // As for station uploads: multipart field `file`, or the raw body (CSV or JSON).
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: options.maxUploadBytes, files: 1, fields: 20 } }).single('file');
  const raw = express.raw({ type: () => true, limit: options.maxUploadBytes });
  const receiveFile: RequestHandler = (req, res, next) => {
    (req.is('multipart/form-data') ? upload : raw)(req, res, (err?: unknown) => {
      if (err && typeof err === 'object' && ((err as { code?: string }).code === 'LIMIT_FILE_SIZE' || (err as { status?: number }).status === 413)) {
        next(new TooLargeError(`the file is larger than ${Math.round(options.maxUploadBytes / 1048576)} MB`));
      } else next(err);
    });
  };

  // The token and the query decide 401/403 before a byte of the file is read.
  const mayUpload: RequestHandler = (req, _res, next) => {
    service.assertMayUpload(principalOf(req), BroadbandImportQuerySchema.parse(req.query).operator);
    next();
  };

  router.post('/broadband/import', mayUpload, receiveFile, async (req, res) => {
    const query = BroadbandImportQuerySchema.parse(req.query);
    const report = await service.importFile({
      data: req.file?.buffer ?? (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)),
      fileName: req.file?.originalname ?? req.get('x-file-name') ?? null,
      contentType: req.file?.mimetype ?? req.get('content-type') ?? null,
      principal: principalOf(req), format: query.format, dryRun: query.dryRun, operator: query.operator ?? null,
    });
    sendAnswer(req, res, BroadbandImportReportSchema, report, { status: query.dryRun ? 200 : 201 });
  });

  router.get('/broadband', async (req, res) => {
    const q = BroadbandQuerySchema.parse(req.query);
    const scope = await communes.resolveScope(q.province);
    const figures = await service.figures({ asOf: q.asOf, commune: q.commune, scope });
    if (q.format === 'csv') {
      const rows = figures.communes.map((c) => ({
        ...c, communeName: c.name, operators: c.operators.map((o) => o.operator).join(' '), synthetic: c.isDemo ? 'yes' : 'no', exceeds100: c.exceeds100 ? 'yes' : 'no',
      }));
      res.type('text/csv; charset=utf-8').attachment(`broadband-${q.asOf ?? 'latest'}.csv`).send(toCsv(CSV_COLUMNS, rows));
      return;
    }
    if (q.format === 'geojson') {
      const fc = await communes.featureCollection('display', scope);
      const byCode = new Map(figures.communes.map(({ communeCode, name: _n, ...f }) => [communeCode, f]));
      sendAnswer(req, res, BroadbandGeoJsonSchema, {
        ...fc, attribution: BOUNDARY_ATTRIBUTION, synthetic: figures.synthetic, province: figures.province,
        features: fc.features.filter((f) => !q.commune || f.properties.code === q.commune)
          .map((f) => ({ ...f, properties: { ...f.properties, broadband: byCode.get(f.properties.code) ?? null } })),
      }, { geojson: true });
      return;
    }
    sendAnswer(req, res, BroadbandFiguresSchema, figures);
  });

  router.get('/broadband/imports', async (req, res) => {
    const q = BroadbandImportListQuerySchema.parse(req.query);
    sendAnswer(req, res, ImportRecordPageSchema, await service.imports({ operator: q.operator, limit: q.limit, beforeId: q.cursor }));
  });

  return router;
}
