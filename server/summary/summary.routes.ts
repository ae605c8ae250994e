import { Router, type Response } from 'express';
import { BOUNDARY_ATTRIBUTION, CommuneParamsSchema } from '../communes/communes.schema';
import type { CommunesService } from '../communes/communes.service';
import { toCsv } from '../http/csv';
import { sendAnswer } from '../http/json-answer';
import { renderCommuneReport } from './report.html';
import {
  CommuneHistoryFeatureSchema, CommuneHistorySchema, GapsGeoJsonSchema, GapsQuerySchema, GapsSchema, HISTORY_METRICS, HistoryQuerySchema,
  ProvinceHistoryQuerySchema, ProvinceHistorySchema, SummaryQuerySchema, SummarySchema,
} from './summary.schema';
import type { SummaryService } from './summary.service';

const GAP_CSV = ['code', 'name', 'metric', 'value', 'threshold', 'shortfallPts', 'population', 'households', 'peopleToReach', 'householdsToReach', 'uncoveredKm2', 'uncoveredPopulation', 'areaToReachKm2'] as const;
const SUMMARY_CSV = ['kind', 'code', 'label', 'metric', 'operator', 'scope', 'deadlineYear', 'qualifier', 'stated', 'unit', 'computed', 'computedAsOf', 'met', 'distancePts', 'source', 'sourceDate'] as const;
const POINT_CSV = ['snapshotId', 'takenAt', 'asOf', 'trigger', 'runId', 'importId'] as const;

export function summaryRoutes(service: SummaryService, communes: CommunesService): Router {
  const router = Router();
  const csv = (res: Response, name: string, columns: readonly string[], rows: Array<Record<string, unknown>>) =>
    res.type('text/csv; charset=utf-8').attachment(name).send(toCsv(columns, rows));

  router.get('/gaps', async (req, res) => {
    const q = GapsQuerySchema.parse(req.query);
    const gaps = await service.gaps(q);
    const scope = await communes.resolveScope(q.province);
    const name = `gaps-${gaps.target?.code ?? `${gaps.metric}-${gaps.threshold}`}`;
    if (q.format === 'csv') return void csv(res, `${name}.csv`, GAP_CSV, gaps.items.map((g) => ({ ...g, metric: gaps.metric })));
    if (q.format === 'geojson') {
      const fc = await communes.featureCollection('display', scope);
      const byCode = new Map(fc.features.map((f) => [f.properties.code, f]));
      const { items: _items, ...meta } = gaps;
      sendAnswer(req, res, GapsGeoJsonSchema, {
        ...fc, ...meta, attribution: BOUNDARY_ATTRIBUTION,
        // Largest shortfall first, as in the JSON list.
        features: gaps.items.filter((g) => byCode.has(g.code)).map((g, i) => {
          const f = byCode.get(g.code)!;
          return { ...f, properties: { ...f.properties, metric: gaps.metric, rank: i + 1, ...g } };
        }),
      }, { geojson: true });
      return;
    }
    sendAnswer(req, res, GapsSchema, gaps);
  });

  router.get('/summary', async (req, res) => {
    const { format, province } = SummaryQuerySchema.parse(req.query);
    const summary = await service.summary({ province });
    if (format === 'csv') {
      const rows = [
        ...summary.targets.map((t) => ({
          kind: 'target', code: t.code, label: t.title, metric: t.metric, scope: t.scope, deadlineYear: t.deadlineYear, qualifier: 'at_least', stated: t.threshold, unit: '%',
          computed: t.status.value, computedAsOf: summary.asOf, met: t.status.met === null ? 'no data' : t.status.met ? 'yes' : 'no', distancePts: t.status.distancePts,
          source: t.source.document, sourceDate: t.source.date,
        })),
        ...summary.reported.map((r) => ({
          kind: 'reported', code: r.code, label: r.label, metric: r.metric, operator: r.operator, qualifier: r.qualifier, stated: r.value, unit: r.unit,
          computed: r.computed?.value ?? null, computedAsOf: r.computed?.asOf ?? null, source: r.source.document, sourceDate: r.source.date,
        })),
      ];
      return void csv(res, `summary-${summary.asOf}.csv`, SUMMARY_CSV, rows);
    }
    sendAnswer(req, res, SummarySchema, summary);
  });

  router.get('/summary/history', async (req, res) => {
    const q = ProvinceHistoryQuerySchema.parse(req.query);
    const history = await service.provinceHistory(q);
    if (q.format === 'csv') return void csv(res, `${q.province ? `province-${q.province}` : 'province'}-history.csv`, ...seriesTable(history.items));
    sendAnswer(req, res, ProvinceHistorySchema, history);
  });

  router.get('/communes/:code/history', async (req, res) => {
    const { code } = CommuneParamsSchema.parse(req.params);
    const q = HistoryQuerySchema.parse(req.query);
    const history = await service.communeHistory(code, q);
    if (q.format === 'csv') return void csv(res, `history-${code}.csv`, ...seriesTable(history.items));
    if (q.format === 'geojson') {
      const feature = await communes.get(code, 'display');
      sendAnswer(req, res, CommuneHistoryFeatureSchema, { ...feature, properties: { ...feature.properties, history: history.items, targets: history.targets, attribution: BOUNDARY_ATTRIBUTION } }, { geojson: true });
      return;
    }
    sendAnswer(req, res, CommuneHistorySchema, history);
  });

  router.get('/communes/:code/report', async (req, res) => {
    const { code } = CommuneParamsSchema.parse(req.params);
    const html = renderCommuneReport(await service.communeReport(code));
    res.type('text/html; charset=utf-8').set('Cache-Control', 'no-store').send(html);
  });

  return router;
}

/** CSV columns and rows of a series: the point's columns, then one column per metric present. */
function seriesTable(items: Array<{ figures: Record<string, unknown> } & Record<string, unknown>>): [string[], Array<Record<string, unknown>>] {
  const present = new Set(items.flatMap((p) => Object.keys(p.figures)));
  const metrics = HISTORY_METRICS.filter((m) => present.has(m));
  return [[...POINT_CSV, ...metrics], items.map(({ figures, ...p }) => ({ ...p, ...figures }))];
}
