import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';
import { PlanCreateSchema, PlanGetQuerySchema, PlanListSchema, PlanParamsSchema, PlanSchema } from '../plans/plans.schema';
import {
  CreatedSchema, ScenarioCoverageQuerySchema, ScenarioCoverageSchema, ScenarioCreateSchema, ScenarioEvalQuerySchema, ScenarioListSchema,
  ScenarioParamsSchema, ScenarioPatchSchema, ScenarioSchema, ScenarioSummarySchema,
} from '../scenarios/scenarios.schema';
import type { ApiOperation } from './registry';

const json = (description: string, schema: ZodType, example: unknown): ResponseConfig => ({ description, content: { 'application/json': { schema, example } } });
const DRAFTS = 'Scenarios and plans are drafts: reading them always needs a token (whatever PUBLIC_READS says); an operator\'s token sees only its own.';

const CHANGES = [
  { kind: 'add', lon: 105.40, lat: 21.32, operator: 'viettel', technology: '5G', bandMhz: 2600, heightM: 30 },
  { kind: 'upgrade', stationId: 42, technology: '5G' },
  { kind: 'off', stationId: 43, technology: '2G' },
];
const SCENARIO = { id: 7, name: 'Việt Trì 5G', changes: CHANGES, fromPlanId: null, ownerOperator: null, createdBy: 'token:3 planner', createdAt: '2026-12-01T08:00:00.000Z', updatedAt: '2026-12-01T08:00:00.000Z' };
const POP = { id: 'even-spread', description: "each commune's population spread evenly over its area" };
const TERRAIN = { id: 'srtm', tiles: ['N21E105.hgt'], sha256: '3dc9a93a…', source: 'NASA/USGS SRTM 3″ heights (public domain)' };
const TECH = { areaPct: 12.4, populationPct: 24.4, coveredKm2: 1110.4, coveredPopulation: 979926, areaKm2: 9353.2, population: 4014299 };
const SITE = { rank: 1, kind: 'upgrade', stationId: 42, lon: 105.40, lat: 21.32, operator: 'viettel', technology: '5G', bandMhz: 2600, heightM: 36, communeCode: '07900', peopleAdded: 5120, areaAddedKm2: 1.1, cumulative: { value: 24.5, coveredPopulation: 985046, coveredKm2: 1111.5 } };
const FIGURE = { value: 24.41, coveredPopulation: 979926, population: 4014299, coveredKm2: 1110.4, areaKm2: 9353.2, met: false };
const PLAN = {
  id: 3, status: 'done', percent: 100, request: { target: 'pt-2026-5g-coverage', technology: '5G', weight: 'population', threshold: 65, operator: 'all', candidates: 'both', maxSites: null, scope: null },
  result: {
    technology: '5G', metric: '5g_population_pct', threshold: 65, operator: 'all', candidatesKind: 'both', scope: null, populationModel: POP, terrainModel: TERRAIN, modelVersion: 'hata-38901-rows25m-305c06e5f0-even-dem3dc9a93a', asOf: '2026-12-02',
    before: FIGURE, after: { ...FIGURE, value: 65.002, coveredPopulation: 2609375, met: true }, reached: true, sitesNeeded: 737, reason: null,
    candidates: { upgrade: 9372, new: 41154, total: 50526 }, grids: { demandSpacingM: 100, demandPoints: 935359, newSiteSpacing: 'square grid per commune missing the target, spaced by the footprint radius' },
    sites: [SITE], communes: [{ code: '07900', before: 40.1, after: 71.3, metBefore: false, metAfter: true }], timings: { setupMs: 2669, greedyMs: 739, totalMs: 5300 },
  },
  error: null, ownerOperator: null, createdBy: 'token:3 planner', createdAt: '2026-12-02T08:00:00.000Z', finishedAt: '2026-12-02T08:00:06.000Z',
};

export const PLAN_OPERATIONS: readonly ApiOperation[] = [
  {
    method: 'post', path: '/api/scenarios', tag: 'Coverage', access: 'operator', summary: 'Create a scenario (station changes, or a plan\'s sites)',
    description: 'A named set of station changes (`add` a planned site, `upgrade` an existing site with a technology, take radios `off` air), or `fromPlan` to take a finished plan\'s sites. ' +
      'A planner or an admin for any operator; an operator\'s token for its own operator only. Bad changes: 422 with the index (`row`) and field (`column`) of each, and nothing is stored.',
    body: { required: true, content: { 'application/json': { schema: ScenarioCreateSchema, example: { name: 'Việt Trì 5G', changes: CHANGES } } } },
    responses: { 201: json('Created; `Location` names it.', CreatedSchema, { id: 7 }) },
    errors: [404, 422],
  },
  {
    method: 'get', path: '/api/scenarios', tag: 'Coverage', access: 'read', summary: 'List scenarios', description: DRAFTS,
    responses: { 200: json('Newest first, without their changes.', ScenarioListSchema, { count: 1, items: [{ ...SCENARIO, changes: undefined, changesCount: 3 }] }) },
  },
  {
    method: 'get', path: '/api/scenarios/{id}', tag: 'Coverage', access: 'read', summary: 'One scenario with its changes', description: DRAFTS,
    params: ScenarioParamsSchema, examples: { params: { id: '7' } },
    responses: { 200: json('The scenario.', ScenarioSchema, SCENARIO) }, errors: [404],
  },
  {
    method: 'patch', path: '/api/scenarios/{id}', tag: 'Coverage', access: 'operator', summary: 'Rename a scenario or replace its changes',
    params: ScenarioParamsSchema, examples: { params: { id: '7' } },
    body: { required: true, content: { 'application/json': { schema: ScenarioPatchSchema, example: { name: 'Việt Trì 5G, phase 1' } } } },
    responses: { 200: json('The scenario as stored now.', ScenarioSchema, SCENARIO) }, errors: [404, 422],
  },
  {
    method: 'delete', path: '/api/scenarios/{id}', tag: 'Coverage', access: 'operator', summary: 'Delete a scenario',
    params: ScenarioParamsSchema, examples: { params: { id: '7' } },
    responses: { 204: { description: 'Deleted.' } }, errors: [404],
  },
  {
    method: 'get', path: '/api/scenarios/{id}/summary', tag: 'Coverage', access: 'read', summary: 'The province with a scenario applied, as /api/summary',
    description: `Computed by the coverage engine with the scenario's changes applied to the stations on air today (or \`asOf\`): each technology's figures, the coverage targets met or not, and the difference from the baseline per commune and metric. ${DRAFTS}`,
    params: ScenarioParamsSchema, query: ScenarioEvalQuerySchema, examples: { params: { id: '7' }, query: {} },
    responses: {
      200: json('Figures with the scenario, the baseline and their difference.', ScenarioSummarySchema, {
        scenario: { id: 7, name: 'Việt Trì 5G', changes: 3 }, asOf: '2026-12-02', computedAt: '2026-12-02T08:00:00.000Z', modelVersion: 'hata-38901-rows25m-305c06e5f0-even-dem3dc9a93a', populationModel: POP, terrainModel: TERRAIN, evaluationMs: 240,
        skipped: [], notes: [], province: { communes: 148, population: 4014299, areaKm2: 9353.2 },
        coverage: { technologies: { '5G': TECH }, operators: {} }, baseline: { technologies: { '5G': TECH } },
        difference: { technologies: { '5G': { areaPct: 0.1, populationPct: 0.2, coveredPopulation: 8000, coveredKm2: 3.1 } } },
        targets: [{ id: 1, code: 'pt-2026-5g-coverage', title: '5G coverage', metric: '5g_population_pct', threshold: 65, scope: 'province', status: { value: 24.6, met: false, distancePts: -40.4, communesBelow: 120, peopleToReach: 1621777 }, baseline: { value: 24.4, met: false } }],
        communes: [{ code: '07900', name: 'Việt Trì', metrics: { '5g_population_pct': { value: 45.2, baseline: 40.1, difference: 5.1 } } }],
      }),
    },
    errors: [404, 429],
  },
  {
    method: 'get', path: '/api/scenarios/{id}/coverage', tag: 'Coverage', access: 'read', summary: 'Every commune with a scenario applied, as /api/coverage',
    description: `Each figure with its baseline and the difference. ${DRAFTS}`,
    params: ScenarioParamsSchema, query: ScenarioCoverageQuerySchema, examples: { params: { id: '7' }, query: { technology: '5G', operator: 'all' } },
    responses: {
      200: json('Figures per commune and province roll-ups.', ScenarioCoverageSchema, {
        scenario: { id: 7, name: 'Việt Trì 5G' }, computedAt: '2026-12-02T08:00:00.000Z', asOf: '2026-12-02', modelVersion: 'hata-38901-rows25m-305c06e5f0-even-dem3dc9a93a', stale: false, populationModel: POP, terrainModel: TERRAIN,
        province: [], communes: [{ communeCode: '07900', technology: '5G', operator: 'all', areaKm2: 27.4, coveredKm2: 12.4, areaPct: 45.2, population: 104300, coveredPopulation: 47150, populationPct: 45.2, baseline: { areaPct: 40.1, populationPct: 40.1, coveredPopulation: 41820, coveredKm2: 11 }, difference: { areaPct: 5.1, populationPct: 5.1, coveredPopulation: 5330, coveredKm2: 1.4 } }],
      }),
    },
    errors: [404, 429],
  },
  {
    method: 'post', path: '/api/plans', tag: 'Coverage', access: 'operator', summary: 'Suggest the sites that reach a coverage target (background job)',
    description: 'Greedy maximum coverage of people (lazy evaluation) over upgrade candidates (sites of the operator without the technology) and new sites on a grid over the communes that miss the target; ' +
      'every figure is the coverage engine\'s. A planner or an admin for any operator (or `all`); an operator\'s token for its own operator only (403 before any work). Poll `GET /api/plans/{id}`.',
    body: { required: true, content: { 'application/json': { schema: PlanCreateSchema, example: { target: 'pt-2026-5g-coverage', operator: 'all', candidates: 'both', scope: 'province' } } } },
    responses: { 202: json('Queued; `Location` names it.', CreatedSchema, { id: 3 }) },
    errors: [404],
  },
  {
    method: 'get', path: '/api/plans', tag: 'Coverage', access: 'read', summary: 'List plans', description: DRAFTS,
    responses: { 200: json('Newest first, with their headline figures.', PlanListSchema, { count: 1, items: [{ ...PLAN, result: undefined, summary: { reached: true, sitesNeeded: 737, sites: 737, before: 24.41, after: 65.002 } }] }) },
  },
  {
    method: 'get', path: '/api/plans/{id}', tag: 'Coverage', access: 'read', summary: 'A plan: its progress, then the sites in build order',
    description: `\`status\` queued, running (with \`percent\`), done or failed; \`format=csv\` or \`format=geojson\` export a finished plan's sites. ${DRAFTS}`,
    params: PlanParamsSchema, query: PlanGetQuerySchema, examples: { params: { id: '3' }, query: { format: 'json' } },
    responses: {
      200: {
        description: 'The plan. With `format=csv`: one row per site; with `format=geojson`: one point per site.',
        content: {
          'application/json': { schema: PlanSchema, example: PLAN },
          'text/csv': { schema: { type: 'string' }, example: 'rank,kind,stationId,lon,lat,operator,technology,bandMhz,heightM,communeCode,peopleAdded,areaAddedKm2,cumulativeValue,cumulativePopulation\n1,upgrade,42,105.400000,21.320000,viettel,5G,2600,36,07900,5120,1.1,24.5,985046\n' },
          'application/geo+json': { schema: { type: 'object' }, example: { type: 'FeatureCollection', features: [{ type: 'Feature', id: 1, geometry: { type: 'Point', coordinates: [105.4, 21.32] }, properties: { rank: 1, kind: 'upgrade' } }] } },
        },
      },
    },
    errors: [404],
  },
];
