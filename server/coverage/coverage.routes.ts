import { Router } from 'express';
import type { z } from 'zod';
import { principalOf } from '../auth/auth.middleware';
import { assertAdmin } from '../auth/tokens.service';
import { CommuneParamsSchema, BOUNDARY_ATTRIBUTION } from '../communes/communes.schema';
import type { CommunesService } from '../communes/communes.service';
import { toCsv } from '../http/csv';
import { stampedCache } from '../db/versioned-cache';
import { sendAnswer } from '../http/json-answer';
import type { Jobs } from '../jobs/jobs';
import { ALL_OPERATORS, type CoverageFigure } from './engine/index';
import { staleFor, type CoverageService, type ServiceFigure } from './coverage.service';
import { JobSchema, type JobAnswer } from '../jobs/jobs.schema';
import {
  CommuneCoverageQuerySchema, CommuneCoverageSchema, CommuneGapFeatureSchema, CoverageGeoJsonSchema, CoverageLayerSchema, CoverageListSchema,
  CoveragePointSchema, CoverageQuerySchema, CoverageRunSchema, GapsQuerySchema, JobParamsSchema, LayerQuerySchema, PointQuerySchema,
} from './coverage.schema';

type CommuneCoverage = z.output<typeof CommuneCoverageSchema>;
type CoverageQuery = z.output<typeof CoverageQuerySchema>;
type TechFigures = CommuneCoverage['technologies'];

/** Answers kept at once: every commune of the country (3,321 since 1 July 2025), the lists, and room to spare. */
const MAX_COMMUNE_ANSWERS = 4096;
const today = () => new Date().toISOString().slice(0, 10);

const CSV_COLUMNS = [
  'communeCode', 'communeName', 'technology', 'operator', 'areaKm2', 'coveredKm2', 'areaPct', 'population', 'coveredPopulation', 'populationPct',
  'populationSpread', 'terrainPct', 'populationModel',
] as const;

/** The population model as one line for exports: its name and its credit. */
const populationCredit = (m: { name: string; attribution: string | null }) => (m.attribution ? `${m.name}; ${m.attribution}` : m.name);

export function coverageRoutes(coverage: CoverageService, communes: CommunesService, jobs: Jobs): Router {
  const router = Router();
  // Today's answer of each commune, shaped once per version of the data (and day): the stored
  // figures it is made of change only with a write. Other dates are computed on demand.
  const cached = stampedCache(async () => `${today()}|${await communes.dataVersions()}`, MAX_COMMUNE_ANSWERS);
  /** The one rule for every answer here: today's (no date, or today's date) is kept until the data change, another date's computed. */
  const todays = <T>(asOf: string | undefined, key: string, compute: () => Promise<T>): Promise<T> =>
    (asOf && asOf !== today() ? compute() : cached(key, compute));
  const communeAnswer = async (code: string, asOf?: string): Promise<CommuneCoverage> => {
    const [result, name, list] = await Promise.all([coverage.figures({ commune: code, asOf }), coverage.communeName(code), communes.list()]);
    const own = result.figures[0];
    // A commune of unknown population has a share of its people covered (where people live), not a count.
    const commune = list.find((c) => c.code === code);
    const peopleKnown = commune?.population != null;
    const byTechnology = (figures: CoverageFigure[]) => techFigures(figures, peopleKnown);
    return {
      code, name, computedAt: result.computedAt, asOf: result.asOf, modelVersion: result.modelVersion, stale: staleFor(result, commune?.provinceCode ?? null),
      populationModel: result.populationModel, terrainModel: result.terrainModel,
      populationSpread: own?.populationSpread ?? 'even', terrainPct: own?.terrainPct ?? null,
      technologies: byTechnology(result.figures.filter((f) => f.operator === ALL_OPERATORS)),
      operators: Object.fromEntries(
        [...new Set(result.figures.map((f) => f.operator).filter((o) => o !== ALL_OPERATORS))].sort()
          .map((op) => [op, byTechnology(result.figures.filter((f) => f.operator === op))]),
      ),
    };
  };

  router.get('/communes/:code/coverage', async (req, res) => {
    const { code } = CommuneParamsSchema.parse(req.params);
    const { asOf } = CommuneCoverageQuerySchema.parse(req.query);
    const answer = await todays(asOf, code, () => communeAnswer(code, asOf));
    sendAnswer(req, res, CommuneCoverageSchema, answer);
  });

  router.get('/communes/:code/gaps', async (req, res) => {
    const { code } = CommuneParamsSchema.parse(req.params);
    const q = GapsQuerySchema.parse(req.query);
    const gap = await coverage.gaps(code, q.technology, q.operator, q.asOf);
    sendAnswer(req, res, CommuneGapFeatureSchema, {
      type: 'Feature', id: code, geometry: gap.geometry as z.output<typeof CommuneGapFeatureSchema>['geometry'],
      properties: {
        code, name: gap.name, technology: gap.technology, operator: gap.operator, asOf: gap.asOf, uncoveredKm2: gap.uncoveredKm2, areaKm2: gap.areaKm2,
        attribution: BOUNDARY_ATTRIBUTION, terrainModel: gap.terrainModel,
      },
    }, { geojson: true });
  });

  /** The figures of a list (a province, or the country), as every format of GET /coverage shapes them. */
  async function coverageList(q: CoverageQuery) {
    const scope = await communes.resolveScope(q.province);
    const own = await communes.list(scope);
    const names = new Map(own.map((c) => [c.code, c.name]));
    const all = await coverage.figures({ technology: q.technology, operator: q.operator, asOf: q.asOf });
    const result = scope === null ? all : { ...all, figures: all.figures.filter((f) => names.has(f.communeCode)) };
    const rows = withUnknownPeople(result.figures, new Set(own.filter((c) => c.population === null).map((c) => c.code)));
    const meta = {
      computedAt: result.computedAt, asOf: result.asOf, modelVersion: result.modelVersion, stale: staleFor(result, scope),
      populationModel: result.populationModel, terrainModel: result.terrainModel,
    };
    return { scope, names, rows, meta, figures: result.figures };
  }
  const listKey = (q: CoverageQuery) => `list|${q.format}|${q.province ?? ''}|${q.technology ?? ''}|${q.operator ?? ''}`;

  router.get('/coverage', async (req, res) => {
    const q = CoverageQuerySchema.parse(req.query);
    if (q.format === 'csv') {
      const { names, rows, meta } = await coverageList(q);
      // The population grid's credit travels with every exported row (CC BY asks for it).
      const credit = populationCredit(meta.populationModel);
      res.type('text/csv; charset=utf-8').attachment(`coverage-${meta.asOf}.csv`)
        .send(toCsv(CSV_COLUMNS, rows.map((f) => ({ ...f, communeName: names.get(f.communeCode) ?? '', populationModel: credit }))));
      return;
    }
    // Today's lists are kept like the communes' answers (a map polls them: why, test/bench/README.md, plans, 6 Dec).
    if (q.format === 'geojson') {
      const answer = await todays(q.asOf, listKey(q), async () => {
        const { scope, rows, meta } = await coverageList(q);
        const fc = await communes.featureCollection('display', scope);
        const figuresByCode = new Map<string, WireFigure[]>();
        for (const f of rows) figuresByCode.set(f.communeCode, [...(figuresByCode.get(f.communeCode) ?? []), f]);
        return {
          ...fc, ...meta,
          features: fc.features.map((feature) => ({
            ...feature,
            properties: { ...feature.properties, coverage: (figuresByCode.get(feature.properties.code) ?? []).map(({ communeCode: _c, ...f }) => f) },
          })),
        };
      });
      sendAnswer(req, res, CoverageGeoJsonSchema, answer, { geojson: true });
      return;
    }
    const answer = await todays(q.asOf, listKey(q), async () => {
      const { rows, meta, figures } = await coverageList(q);
      return { ...meta, province: coverage.rollup(figures), communes: rows };
    });
    sendAnswer(req, res, CoverageListSchema, answer);
  });

  router.get('/coverage/point', async (req, res) => {
    const q = PointQuerySchema.parse(req.query);
    sendAnswer(req, res, CoveragePointSchema, await coverage.point(q.lon, q.lat, q.asOf));
  });

  router.get('/coverage/layer', async (req, res) => {
    const q = LayerQuerySchema.parse(req.query);
    const layer = await coverage.layer(q.bbox, q.technology, q.operator, q.asOf);
    sendAnswer(req, res, CoverageLayerSchema, {
      type: 'FeatureCollection',
      features: layer.geometry
        ? [{
          type: 'Feature', geometry: layer.geometry as z.output<typeof CoverageLayerSchema>['features'][number]['geometry'],
          properties: { technology: layer.technology, operator: layer.operator, asOf: layer.asOf, radios: layer.radios, terrainModel: layer.terrainModel },
        }]
        : [],
    }, { geojson: true });
  });

  router.get('/coverage/runs/latest', async (req, res) => {
    sendAnswer(req, res, CoverageRunSchema.nullable(), await coverage.lastRun());
  });

  router.post('/coverage/recompute', async (req, res) => {
    assertAdmin(principalOf(req));
    const job = jobs.start('coverage', (progress) => coverage.recompute({ trigger: 'api' }, (p) => progress(p.phase, p.percent)));
    res.location(`/api/coverage/jobs/${job.id}`);
    sendAnswer(req, res, JobSchema, job as JobAnswer, { status: 202 });
  });

  router.get('/coverage/jobs/:id', async (req, res) => {
    const { id } = JobParamsSchema.parse(req.params);
    sendAnswer(req, res, JobSchema, jobs.get(id) as JobAnswer);
  });

  return router;
}

type WireFigure = Omit<ServiceFigure, 'population' | 'coveredPopulation'> & { population: number | null; coveredPopulation: number | null };

/**
 * A commune of unknown population (stored NULL) has no count of people, covered or not: the model
 * spread none over it, and 0 would read as an empty commune. Its shares (populationPct) stay.
 */
function withUnknownPeople(figures: readonly ServiceFigure[], unknown: ReadonlySet<string>): WireFigure[] {
  return figures.map((f) => (unknown.has(f.communeCode) ? { ...f, population: null, coveredPopulation: null } : f));
}

function techFigures(figures: CoverageFigure[], peopleKnown: boolean): TechFigures {
  return Object.fromEntries(figures.map((f) => [f.technology, {
    areaPct: round(f.areaPct), populationPct: round(f.populationPct), coveredAreaKm2: round(f.coveredKm2),
    coveredPopulation: peopleKnown ? Math.round(f.coveredPopulation) : null,
  }]));
}

const round = (n: number) => Math.round(n * 1000) / 1000;
