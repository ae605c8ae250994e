import { Router } from 'express';
import { principalOf } from '../auth/auth.middleware';
import { assertAdmin } from '../auth/tokens.service';
import { CommuneParamsSchema, BOUNDARY_ATTRIBUTION } from '../communes/communes.schema';
import type { CommunesService } from '../communes/communes.service';
import { toCsv } from '../http/csv';
import { sendJson } from '../http/json-answer';
import type { Jobs } from '../jobs/jobs';
import { ALL_OPERATORS, type CoverageFigure } from './engine/index';
import type { CoverageService } from './coverage.service';
import { CommuneCoverageQuerySchema, CoverageQuerySchema, GapsQuerySchema, JobParamsSchema, LayerQuerySchema, PointQuerySchema } from './coverage.schema';

const CSV_COLUMNS = ['communeCode', 'communeName', 'technology', 'operator', 'areaKm2', 'coveredKm2', 'areaPct', 'population', 'coveredPopulation', 'populationPct'] as const;

export function coverageRoutes(coverage: CoverageService, communes: CommunesService, jobs: Jobs): Router {
  const router = Router();
  const answers = new WeakMap<readonly CoverageFigure[], object>();

  router.get('/communes/:code/coverage', async (req, res) => {
    const { code } = CommuneParamsSchema.parse(req.params);
    const { asOf } = CommuneCoverageQuerySchema.parse(req.query);
    const result = await coverage.figures({ commune: code, asOf });
    // Today's figures are the service's cached array until the data change: shape and serialise them once.
    let answer = answers.get(result.figures);
    if (!answer) {
      answer = {
        code, name: await coverage.communeName(code), computedAt: result.computedAt, asOf: result.asOf, modelVersion: result.modelVersion, stale: result.stale,
        technologies: byTechnology(result.figures.filter((f) => f.operator === ALL_OPERATORS)),
        operators: Object.fromEntries(
          [...new Set(result.figures.map((f) => f.operator).filter((o) => o !== ALL_OPERATORS))].sort()
            .map((op) => [op, byTechnology(result.figures.filter((f) => f.operator === op))]),
        ),
      };
      answers.set(result.figures, answer);
    }
    sendJson(req, res, answer);
  });

  router.get('/communes/:code/gaps', async (req, res) => {
    const { code } = CommuneParamsSchema.parse(req.params);
    const q = GapsQuerySchema.parse(req.query);
    const gap = await coverage.gaps(code, q.technology, q.operator, q.asOf);
    res.type('application/geo+json').json({
      type: 'Feature', id: code, geometry: gap.geometry,
      properties: { code, name: gap.name, technology: gap.technology, operator: gap.operator, asOf: gap.asOf, uncoveredKm2: gap.uncoveredKm2, areaKm2: gap.areaKm2, attribution: BOUNDARY_ATTRIBUTION },
    });
  });

  router.get('/coverage', async (req, res) => {
    const q = CoverageQuerySchema.parse(req.query);
    const result = await coverage.figures({ technology: q.technology, operator: q.operator, asOf: q.asOf });
    const names = new Map((await communes.list()).map((c) => [c.code, c.name]));
    const meta = { computedAt: result.computedAt, asOf: result.asOf, modelVersion: result.modelVersion, stale: result.stale };
    if (q.format === 'csv') {
      res.type('text/csv; charset=utf-8').attachment(`coverage-${result.asOf}.csv`)
        .send(toCsv(CSV_COLUMNS, result.figures.map((f) => ({ ...f, communeName: names.get(f.communeCode) ?? '' }))));
      return;
    }
    if (q.format === 'geojson') {
      const fc = await communes.featureCollection();
      const figuresByCode = new Map<string, CoverageFigure[]>();
      for (const f of result.figures) figuresByCode.set(f.communeCode, [...(figuresByCode.get(f.communeCode) ?? []), f]);
      res.type('application/geo+json').json({
        ...fc, ...meta,
        features: fc.features.map((feature) => ({
          ...feature,
          properties: { ...feature.properties, coverage: (figuresByCode.get(feature.properties.code) ?? []).map(({ communeCode: _c, ...f }) => f) },
        })),
      });
      return;
    }
    res.json({ ...meta, province: coverage.rollup(result.figures), communes: result.figures });
  });

  router.get('/coverage/point', async (req, res) => {
    const q = PointQuerySchema.parse(req.query);
    res.json(await coverage.point(q.lon, q.lat, q.asOf));
  });

  router.get('/coverage/layer', async (req, res) => {
    const q = LayerQuerySchema.parse(req.query);
    const layer = await coverage.layer(q.bbox, q.technology, q.operator, q.asOf);
    res.type('application/geo+json').json({
      type: 'FeatureCollection',
      features: layer.geometry ? [{ type: 'Feature', geometry: layer.geometry, properties: { technology: layer.technology, operator: layer.operator, asOf: layer.asOf, radios: layer.radios } }] : [],
    });
  });

  router.get('/coverage/runs/latest', async (_req, res) => {
    res.json(await coverage.lastRun());
  });

  router.post('/coverage/recompute', async (req, res) => {
    assertAdmin(principalOf(req));
    const job = jobs.start('coverage', (progress) => coverage.recompute({ trigger: 'api' }, (p) => progress(p.phase, p.percent)));
    res.status(202).location(`/api/coverage/jobs/${job.id}`).json(job);
  });

  router.get('/coverage/jobs/:id', async (req, res) => {
    const { id } = JobParamsSchema.parse(req.params);
    res.json(jobs.get(id));
  });

  return router;
}

function byTechnology(figures: CoverageFigure[]) {
  return Object.fromEntries(figures.map((f) => [f.technology, {
    areaPct: round(f.areaPct), populationPct: round(f.populationPct), coveredAreaKm2: round(f.coveredKm2), coveredPopulation: Math.round(f.coveredPopulation),
  }]));
}

const round = (n: number) => Math.round(n * 1000) / 1000;
