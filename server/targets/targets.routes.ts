import { Router } from 'express';
import { principalOf } from '../auth/auth.middleware';
import { assertAdmin } from '../auth/tokens.service';
import { toCsv } from '../http/csv';
import { sendAnswer } from '../http/json-answer';
import { ListQuerySchema, ReportedListSchema, TargetInputSchema, TargetListSchema, TargetParamsSchema, TargetPatchSchema, TargetSchema, type ReportedFigure, type Target } from './targets.schema';
import type { TargetsService } from './targets.service';

const TARGET_CSV = ['id', 'code', 'title', 'metric', 'threshold', 'deadlineYear', 'scope', 'provinceCode', 'sourceDocument', 'sourceDate', 'sourceQuote', 'sourceUrl', 'notes', 'updatedAt', 'updatedBy'] as const;
const REPORTED_CSV = ['id', 'code', 'label', 'qualifier', 'value', 'unit', 'metric', 'operator', 'area', 'provinceCode', 'asOf', 'sourceDocument', 'sourceDate', 'sourceQuote', 'notes'] as const;

export function targetsRoutes(service: TargetsService): Router {
  const router = Router();

  router.get('/targets', async (req, res) => {
    const { format, province } = ListQuerySchema.parse(req.query);
    const items = await service.list(province);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment('targets.csv').send(toCsv(TARGET_CSV, items.map(flatSource)));
      return;
    }
    sendAnswer(req, res, TargetListSchema, { count: items.length, items });
  });

  router.get('/targets/:id', async (req, res) => {
    const { id } = TargetParamsSchema.parse(req.params);
    sendAnswer(req, res, TargetSchema, await service.get(id));
  });

  router.post('/targets', async (req, res) => {
    assertAdmin(principalOf(req)); // before the body is read: 401/403 rather than 400
    const target = await service.create(principalOf(req), TargetInputSchema.parse(req.body));
    res.location(`/api/targets/${target.id}`);
    sendAnswer(req, res, TargetSchema, target, { status: 201 });
  });

  router.patch('/targets/:id', async (req, res) => {
    assertAdmin(principalOf(req));
    const { id } = TargetParamsSchema.parse(req.params);
    sendAnswer(req, res, TargetSchema, await service.update(principalOf(req), id, TargetPatchSchema.parse(req.body)));
  });

  router.get('/reported', async (req, res) => {
    const { format, province } = ListQuerySchema.parse(req.query);
    const items = await service.reported(province);
    if (format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment('reported.csv').send(toCsv(REPORTED_CSV, items.map(flatSource)));
      return;
    }
    sendAnswer(req, res, ReportedListSchema, { count: items.length, items });
  });

  return router;
}

function flatSource<T extends Target | ReportedFigure>({ source, ...rest }: T) {
  return { ...rest, sourceDocument: source.document, sourceDate: source.date, sourceQuote: source.quote, sourceUrl: 'url' in source ? source.url : null };
}
