import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { BroadbandImportListQuerySchema, BroadbandImportQuerySchema, BroadbandQuerySchema } from '../broadband/broadband.schema';
import { CommuneGetQuerySchema, CommuneListQuerySchema, CommuneParamsSchema } from '../communes/communes.schema';
import { CommuneCoverageQuerySchema, CoverageQuerySchema, GapsQuerySchema as CommuneGapsQuerySchema, JobParamsSchema, LayerQuerySchema, PointQuerySchema } from '../coverage/coverage.schema';
import { IdParamsSchema, ImportListQuerySchema, ImportQuerySchema, StationListQuerySchema } from '../stations/stations.query';
import { GapsQuerySchema, HistoryQuerySchema, ProvinceHistoryQuerySchema, SummaryQuerySchema } from '../summary/summary.schema';
import { ListQuerySchema, TargetInputSchema, TargetParamsSchema, TargetPatchSchema } from '../targets/targets.schema';
import { TileParams, TileQuery } from '../tiles/tiles.routes';
import type { ApiOperation } from './registry';

// ---- response helpers -------------------------------------------------------------------------

const object = { type: 'object' as const };
const json = (description: string, example: unknown, schema: object = object): ResponseConfig => ({
  description, content: { 'application/json': { schema, example } },
});
const geojson = (description: string, example: unknown): ResponseConfig => ({
  description: `${description} With \`format=geojson\` (or always, for GeoJSON routes): \`application/geo+json\`.`,
  content: { 'application/geo+json': { schema: object, example } },
});
const jsonOrFormats = (description: string, example: unknown, formats: Array<'csv' | 'geojson'>, geoExample?: unknown): ResponseConfig => ({
  description: `${description}${formats.length ? ` Other representations with \`format=\`: ${formats.join(', ')}.` : ''}`,
  content: {
    'application/json': { schema: object, example },
    ...(formats.includes('csv') ? { 'text/csv': { schema: { type: 'string' as const }, example: CSV_EXAMPLE } } : {}),
    ...(formats.includes('geojson') ? { 'application/geo+json': { schema: object, example: geoExample ?? FEATURE_COLLECTION } } : {}),
  },
});

const CSV_EXAMPLE = 'communeCode,communeName,technology,operator,areaPct\n07900,Việt Trì,4G,all,98.4\n';
const POLYGON = { type: 'Polygon', coordinates: [[[105.38, 21.30], [105.42, 21.30], [105.42, 21.34], [105.38, 21.30]]] };
const COMMUNE = { code: '07900', name: 'Việt Trì', fullName: 'Phường Việt Trì', kind: 'phuong', population: 104300, households: 31200, areaKm2: 27.4 };
const FEATURE_COLLECTION = { type: 'FeatureCollection', features: [{ type: 'Feature', id: '07900', properties: { code: '07900', name: 'Việt Trì' }, geometry: POLYGON }] };
const STATION = {
  id: 42, operator: 'viettel', siteCode: 'VTT-PTO-0042', name: 'Việt Trì Tower', lon: 105.40, lat: 21.32, communeCode: '07900', heightM: 36, isDemo: false,
  radios: [{ id: 77, technology: '4G', bandMhz: 1800, azimuthDeg: 120, beamwidthDeg: 65, radiusM: null, rangeHintM: null, status: 'active', commissionedOn: '2019-05-01', decommissionedOn: null }],
};
const IMPORT_REPORT = {
  importId: 12, dryRun: true, format: 'csv', mode: 'merge', rows: 1,
  counts: { stationsInserted: 1, stationsUpdated: 0, radiosInserted: 1, radiosUpdated: 0, radiosUnchanged: 0, radiosDecommissioned: 0 },
  issues: [], jobId: null,
};
const IMPORT_RECORD = {
  id: 12, kind: 'stations', actor: 'token:viettel-ops', operator: 'viettel', fileName: 'sites.csv', sha256: 'e3b0c44298fc1c149afbf4c8996fb924…', bytes: 2048,
  format: 'csv', mode: 'merge', dryRun: false, status: 'succeeded', counts: { radiosInserted: 1 }, report: {}, startedAt: '2026-01-15T08:00:00.000Z',
};
const JOB = { id: 3, kind: 'coverage', status: 'running', phase: 'computing', percent: 40, startedAt: '2026-01-15T08:00:00.000Z', finishedAt: null, result: null, error: null };
const FIGURE = { communeCode: '07900', technology: '4G', operator: 'all', areaKm2: 27.4, coveredKm2: 26.9, areaPct: 98.2, population: 104300, coveredPopulation: 104100, populationPct: 99.8 };
const TARGET = {
  id: 1, code: 'pt-2026-fiber-households', title: 'Fiber to 80% of households by 2026', metric: 'fiber_households_pct', threshold: 80, deadlineYear: 2026, scope: 'province',
  source: { document: 'Provincial digital transformation plan', date: '2024-03-01', quote: null, url: null }, notes: null,
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', updatedBy: 'admin',
};
const CSV_UPLOAD = 'site_code,name,lon,lat,technology,band_mhz\nVTT-PTO-0042,Việt Trì Tower,105.40,21.32,4G,1800\n';
const BROADBAND_CSV = 'commune_code,as_of,households_passed,subscriptions\n07900,2025-12-31,28000,19500\n';

const upload = (example: string, formats: string, json?: unknown): ApiOperation['body'] => ({
  description: `The file, as the raw body or as the multipart field \`file\`. Formats: ${formats}; the format is guessed from the name or content type unless \`format=\` says it.`,
  required: true,
  content: {
    'text/csv': { schema: { type: 'string' }, example },
    'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } },
    ...(json ? { 'application/json': { schema: object, example: json } } : {}),
  },
});

// ---- every route of the service ---------------------------------------------------------------

export const API_OPERATIONS: readonly ApiOperation[] = [
  // Health
  {
    method: 'get', path: '/api/health', tag: 'Health', access: 'public', summary: 'Service and database status',
    responses: { 200: json('The database answers.', { status: 'ok', database: 'embedded', postgis: '3.5.2' }) },
  },

  // Stations
  {
    method: 'post', path: '/api/stations/import', tag: 'Stations', access: 'operator', summary: 'Upload a station file',
    description: 'Validates and stores the stations and radios of a file (CSV, XLSX, OpenCelliD CSV, GeoJSON). An operator token imports only its own operator; ' +
      '`dryRun=true` validates without writing. A write starts a coverage recompute of the communes it touches.',
    query: ImportQuerySchema, examples: { query: { dryRun: 'true', operator: 'viettel', mode: 'merge', format: 'csv' } },
    body: upload(CSV_UPLOAD, 'csv, xlsx, opencellid, geojson'),
    responses: { 200: json('Dry run: what the import would do.', IMPORT_REPORT), 201: json('Imported.', { ...IMPORT_REPORT, dryRun: false, jobId: 4 }) },
    errors: [413, 422],
  },
  {
    method: 'get', path: '/api/stations', tag: 'Stations', access: 'read', summary: 'List stations',
    description: 'Stations with their radios, by pages of `limit`; pass `nextCursor` as `cursor` for the next page. `bbox` is minLon,minLat,maxLon,maxLat.',
    query: StationListQuerySchema, examples: { query: { bbox: '105.2,21.2,105.5,21.5', technology: '4G', limit: '100' } },
    responses: {
      200: jsonOrFormats('A page of stations.', { items: [STATION], nextCursor: '42' }, ['geojson'],
        { type: 'FeatureCollection', nextCursor: null, features: [{ type: 'Feature', id: 42, properties: { id: 42, operator: 'viettel' }, geometry: { type: 'Point', coordinates: [105.4, 21.32] } }] }),
    },
  },
  {
    method: 'get', path: '/api/stations/{id}', tag: 'Stations', access: 'read', summary: 'One station',
    params: IdParamsSchema, examples: { params: { id: '42' } },
    responses: { 200: json('The station and its radios.', STATION) }, errors: [404],
  },
  {
    method: 'get', path: '/api/imports', tag: 'Stations', access: 'read', summary: 'List station imports',
    query: ImportListQuerySchema, examples: { query: { operator: 'viettel', limit: '20' } },
    responses: { 200: json('Import records, newest first.', { items: [IMPORT_RECORD], nextCursor: null }) },
  },
  {
    method: 'get', path: '/api/imports/{id}', tag: 'Stations', access: 'read', summary: 'One import record',
    params: IdParamsSchema, examples: { params: { id: '12' } },
    responses: { 200: json('The import record and its report.', IMPORT_RECORD) }, errors: [404],
  },

  // Broadband
  {
    method: 'post', path: '/api/broadband/import', tag: 'Broadband', access: 'operator', summary: 'Upload fiber figures',
    description: 'Households passed and subscriptions per commune and date, as CSV or JSON (`{ "rows": [...] }`). `dryRun=true` validates without writing.',
    query: BroadbandImportQuerySchema, examples: { query: { dryRun: 'true', operator: 'viettel', format: 'csv' } },
    body: upload(BROADBAND_CSV, 'csv, json', { rows: [{ communeCode: '07900', asOf: '2025-12-31', householdsPassed: 28000, subscriptions: 19500 }] }),
    responses: { 200: json('Dry run: what the import would do.', { importId: 13, dryRun: true, rows: 1, issues: [] }), 201: json('Imported.', { importId: 13, dryRun: false, rows: 1, issues: [] }) },
    errors: [413, 422],
  },
  {
    method: 'get', path: '/api/broadband', tag: 'Broadband', access: 'read', summary: 'Fiber figures per commune and for the province',
    query: BroadbandQuerySchema, examples: { query: { asOf: '2025-12-31', commune: '07900', format: 'json' } },
    responses: {
      200: jsonOrFormats('Latest figures of each operator at `asOf`.', {
        asOf: '2025-12-31', synthetic: false, province: { households: 412000, fiberPct: 71.5 },
        communes: [{ communeCode: '07900', name: 'Việt Trì', asOf: '2025-12-31', households: 31200, subscriptions: 19500, householdsPassed: 28000, fiberPct: 62.5, passedPct: 89.7, exceeds100: false, isDemo: false, operators: [{ operator: 'viettel' }] }],
      }, ['csv', 'geojson']),
    },
  },
  {
    method: 'get', path: '/api/broadband/imports', tag: 'Broadband', access: 'read', summary: 'List broadband imports',
    query: BroadbandImportListQuerySchema, examples: { query: { operator: 'viettel', limit: '20' } },
    responses: { 200: json('Import records, newest first.', { items: [{ ...IMPORT_RECORD, kind: 'broadband' }], nextCursor: null }) },
  },

  // Communes
  {
    method: 'get', path: '/api/communes', tag: 'Communes', access: 'read', summary: 'List communes',
    query: CommuneListQuerySchema, examples: { query: { format: 'json' } },
    responses: { 200: jsonOrFormats('Every commune of the province; with `format=geojson`, their display geometries (`geometry=overview`: simplified further, for the whole-province view).', { count: 1, items: [COMMUNE] }, ['geojson']) },
  },
  {
    method: 'get', path: '/api/communes/{code}', tag: 'Communes', access: 'read', summary: 'One commune with its boundary',
    params: CommuneParamsSchema, query: CommuneGetQuerySchema, examples: { params: { code: '07900' }, query: { geometry: 'display' } },
    responses: { 200: geojson('A GeoJSON Feature; `geometry=display` is simplified for the map.', { type: 'Feature', id: '07900', properties: { ...COMMUNE, provinceCode: '25' }, geometry: POLYGON }) },
    errors: [404],
  },
  {
    method: 'get', path: '/api/communes/{code}/coverage', tag: 'Coverage', access: 'read', summary: 'Coverage of one commune',
    description: 'Per technology for all operators, then per operator: every operator with a radio of that technology (on air or not) is listed, ' +
      'at 0 % on a date it had none on air. `asOf` computes the figures of a past date on demand (rate-limited as an expensive read).',
    params: CommuneParamsSchema, query: CommuneCoverageQuerySchema, examples: { params: { code: '07900' }, query: { asOf: '2025-06-30' } },
    responses: {
      200: json('Figures in percent, km² and people.', {
        code: '07900', name: 'Việt Trì', computedAt: '2026-01-15T08:00:00.000Z', asOf: '2026-01-15', modelVersion: 'v3', stale: false,
        technologies: { '4G': { areaPct: 98.2, populationPct: 99.8, coveredAreaKm2: 26.9, coveredPopulation: 104100 } },
        operators: { viettel: { '4G': { areaPct: 97.1, populationPct: 99.5, coveredAreaKm2: 26.6, coveredPopulation: 103800 } } },
      }),
    },
    errors: [404, 429],
  },
  {
    method: 'get', path: '/api/communes/{code}/gaps', tag: 'Coverage', access: 'read', summary: 'Uncovered part of a commune',
    params: CommuneParamsSchema, query: CommuneGapsQuerySchema, examples: { params: { code: '07900' }, query: { technology: '5G', operator: 'all' } },
    responses: {
      200: geojson('A Feature whose geometry is the part of the commune no radio of that technology reaches.', {
        type: 'Feature', id: '07900', geometry: POLYGON,
        properties: { code: '07900', name: 'Việt Trì', technology: '5G', operator: 'all', asOf: '2026-01-15', uncoveredKm2: 12.3, areaKm2: 27.4, attribution: 'Boundaries: …' },
      }),
    },
    errors: [404, 429],
  },
  {
    method: 'get', path: '/api/coverage', tag: 'Coverage', access: 'read', summary: 'Coverage figures of every commune',
    description: '`operator=all` (the default in the figures) is the union of every operator\'s footprint. Every date gives the same rows: ' +
      'one per commune and technology for `all` and for each operator with a radio of that technology (on air or not), 0 % where it had none on air. ' +
      '`asOf` computes the figures of a past date on demand (rate-limited as an expensive read).',
    query: CoverageQuerySchema, examples: { query: { technology: '4G', operator: 'all', format: 'json' } },
    responses: {
      200: jsonOrFormats('Province roll-up and one figure per commune, technology and operator.', {
        computedAt: '2026-01-15T08:00:00.000Z', asOf: '2026-01-15', modelVersion: 'v3', stale: false,
        province: [{ technology: '4G', operator: 'all', areaPct: 91.2, populationPct: 98.7 }], communes: [FIGURE],
      }, ['csv', 'geojson']),
    },
    errors: [429],
  },
  {
    method: 'get', path: '/api/coverage/point', tag: 'Coverage', access: 'read', summary: 'Which technologies reach a point',
    query: PointQuerySchema, examples: { query: { lon: '105.40', lat: '21.32' } },
    responses: { 200: json('Technologies and operators whose footprint contains the point.', { lon: 105.4, lat: 21.32, asOf: '2026-01-15', communeCode: '07900', covered: [{ technology: '4G', operator: 'viettel' }] }) },
    errors: [429],
  },
  {
    method: 'get', path: '/api/coverage/layer', tag: 'Coverage', access: 'read', summary: 'Coverage footprint as a layer',
    description: 'The union of the footprints of the radios in `bbox` (minLon,minLat,maxLon,maxLat). Rate-limited as an expensive read.',
    query: LayerQuerySchema, examples: { query: { bbox: '105.2,21.2,105.5,21.5', technology: '4G', operator: 'viettel' } },
    responses: {
      200: geojson('A FeatureCollection with zero or one feature.', {
        type: 'FeatureCollection', features: [{ type: 'Feature', geometry: POLYGON, properties: { technology: '4G', operator: 'viettel', asOf: '2026-01-15', radios: 37 } }],
      }),
    },
    errors: [429],
  },
  {
    method: 'get', path: '/api/coverage/runs/latest', tag: 'Coverage', access: 'read', summary: 'Last coverage computation',
    responses: { 200: json('The last run, or null before the first one.', { runId: 9, scope: 'full', communes: 148, radios: 5210, durationMs: 41200, inputsDigest: 'sha256:…', finishedAt: '2026-01-15T08:01:00.000Z' }) },
  },
  {
    method: 'post', path: '/api/coverage/recompute', tag: 'Coverage', access: 'admin', summary: 'Recompute all coverage (admin)',
    description: 'Starts a background job; follow it at the `Location` header (`/api/coverage/jobs/{id}`).',
    responses: { 202: { ...json('The job, queued or running.', { ...JOB, status: 'queued', phase: 'loading', percent: 0 }), headers: { Location: { description: 'URL of the job', schema: { type: 'string' } } } } },
  },
  {
    method: 'get', path: '/api/coverage/jobs/{id}', tag: 'Coverage', access: 'read', summary: 'Progress of a recompute job',
    params: JobParamsSchema, examples: { params: { id: '3' } },
    responses: { 200: json('The job: status, phase, percent, and its result once succeeded.', JOB) }, errors: [404],
  },

  // Targets
  {
    method: 'get', path: '/api/targets', tag: 'Targets', access: 'read', summary: 'List targets',
    query: ListQuerySchema, examples: { query: { format: 'json' } },
    responses: { 200: jsonOrFormats('Every planning target.', { count: 1, items: [TARGET] }, ['csv']) },
  },
  {
    method: 'get', path: '/api/targets/{id}', tag: 'Targets', access: 'read', summary: 'One target, by id or code',
    params: TargetParamsSchema, examples: { params: { id: 'pt-2026-fiber-households' } },
    responses: { 200: json('The target.', TARGET) }, errors: [404],
  },
  {
    method: 'post', path: '/api/targets', tag: 'Targets', access: 'admin', summary: 'Create a target (admin)',
    body: {
      required: true,
      content: {
        'application/json': {
          schema: TargetInputSchema,
          example: { code: 'pt-2030-5g-area', title: '5G over 90% of the area by 2030', metric: '5g_area_pct', threshold: 90, deadlineYear: 2030, scope: 'province', source: { document: 'Provincial plan 2021–2030', date: '2023-12-20' } },
        },
      },
    },
    responses: { 201: { ...json('Created; `Location` names it.', { ...TARGET, id: 7, code: 'pt-2030-5g-area' }), headers: { Location: { description: 'URL of the target', schema: { type: 'string' } } } } },
    errors: [409, 429],
  },
  {
    method: 'patch', path: '/api/targets/{id}', tag: 'Targets', access: 'admin', summary: 'Change a target (admin)',
    description: 'Any field of a target; the source\'s fields one by one. At least one field.',
    params: TargetParamsSchema, examples: { params: { id: 'pt-2026-fiber-households' } },
    body: { required: true, content: { 'application/json': { schema: TargetPatchSchema, example: { notes: 'checked against the 2025 plan' } } } },
    responses: { 200: json('The target as changed.', { ...TARGET, notes: 'checked against the 2025 plan' }) },
    errors: [404, 409, 429],
  },
  {
    method: 'get', path: '/api/reported', tag: 'Targets', access: 'read', summary: 'Figures reported by authorities',
    query: ListQuerySchema, examples: { query: { format: 'csv' } },
    responses: {
      200: jsonOrFormats('Stated figures with their sources.', {
        count: 1, items: [{ id: 1, code: 'pt-2024-4g-pop', label: '4G population coverage', value: 99, unit: '%', qualifier: 'more_than', metric: '4g_population_pct', operator: null, area: 'province', asOf: '2024-12-31', source: { document: 'Provincial report 2024', date: '2025-01-10', quote: null }, notes: null }],
      }, ['csv']),
    },
  },

  // Summary
  {
    method: 'get', path: '/api/gaps', tag: 'Summary', access: 'read', summary: 'Communes short of a target',
    description: 'Give `target` (id or code) or both `metric` and `threshold`, never both kinds. Communes are listed largest shortfall first.',
    query: GapsQuerySchema, examples: { query: { metric: '4g_population_pct', threshold: '95' } },
    responses: {
      200: jsonOrFormats('Shortfall per commune.', {
        metric: '4g_population_pct', threshold: 95, target: null, asOf: '2026-01-15',
        items: [{ code: '08050', name: 'Xuân Sơn', value: 81.2, threshold: 95, shortfallPts: 13.8, population: 6100, households: 1500, peopleToReach: 842, householdsToReach: 207, uncoveredKm2: 120.4, uncoveredPopulation: 1147, areaToReachKm2: null }],
      }, ['csv', 'geojson']),
    },
    errors: [404, 429],
  },
  {
    method: 'get', path: '/api/summary', tag: 'Summary', access: 'read', summary: 'Targets and reported figures against computed ones',
    query: SummaryQuerySchema, examples: { query: { format: 'json' } },
    responses: {
      200: jsonOrFormats('Each target with its status, each reported figure with the computed one.', {
        asOf: '2026-01-15', targets: [{ ...TARGET, status: { value: 71.5, met: false, distancePts: 8.5 } }], reported: [],
      }, ['csv']),
    },
  },
  {
    method: 'get', path: '/api/summary/history', tag: 'Summary', access: 'read', summary: 'History of the province\'s figures',
    query: ProvinceHistoryQuerySchema, examples: { query: { metric: '4g_area_pct', from: '2025-01-01', to: '2025-12-31' } },
    responses: {
      200: jsonOrFormats('Dated snapshots, oldest first.', { items: [{ snapshotId: 5, takenAt: '2025-06-30T10:00:00.000Z', asOf: '2025-06-30', trigger: 'recompute', runId: 8, importId: null, figures: { '4g_area_pct': 90.1 } }] }, ['csv']),
    },
  },
  {
    method: 'get', path: '/api/communes/{code}/history', tag: 'Summary', access: 'read', summary: 'History of a commune\'s figures',
    params: CommuneParamsSchema, query: HistoryQuerySchema, examples: { params: { code: '07900' }, query: { metric: 'fiber_households_pct', limit: '100' } },
    responses: {
      200: jsonOrFormats('Dated snapshots, oldest first, and the targets that apply.', {
        code: '07900', items: [{ snapshotId: 5, takenAt: '2025-06-30T10:00:00.000Z', asOf: '2025-06-30', trigger: 'broadband', runId: null, importId: 13, figures: { fiber_households_pct: 62.5 } }], targets: [],
      }, ['csv', 'geojson']),
    },
    errors: [404],
  },
  {
    method: 'get', path: '/api/communes/{code}/report', tag: 'Summary', access: 'read', summary: 'Printable report of a commune',
    params: CommuneParamsSchema, examples: { params: { code: '07900' } },
    responses: { 200: { description: 'A self-contained HTML page (print it to PDF from the browser).', content: { 'text/html': { schema: { type: 'string' }, example: '<!doctype html><html lang="vi"><head><title>Việt Trì — coverage report</title>…' } } } },
    errors: [404],
  },

  // Tiles
  {
    method: 'get', path: '/tiles/stations/{z}/{x}/{y}.pbf', tag: 'Tiles', access: 'read', summary: 'Station vector tile',
    description: 'Mapbox Vector Tile (layer `stations`) of the stations in tile z/x/y (x and y below 2^z, z ≤ 22). From zoom 9 one point per site: '
      + '`id, operator, siteCode, name, technologies, t2G…t5G, active, isDemo`. Below zoom 9, clusters of the sites on air: one point per operator and '
      + '32 px cell at its sites\' mean position, `cluster: true, operator, count, n2G…n5G` (sites with each technology) and the same `t2G…t5G` flags. '
      + 'With `asOf`, only radios built by that day count and `active` means on air that day. Cached for 60 s.',
    params: TileParams, query: TileQuery, examples: { params: { z: '10', x: '811', y: '448' }, query: { asOf: '2025-12-24' } },
    responses: {
      200: { description: 'The tile.', content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', contentMediaType: 'application/vnd.mapbox-vector-tile' }, example: '(binary protobuf)' } } },
      204: { description: 'No station in this tile.' },
    },
  },

  // Meta
  {
    method: 'get', path: '/api/openapi.json', tag: 'Meta', access: 'read', summary: 'This API description (OpenAPI 3.1)',
    responses: { 200: json('The OpenAPI document, generated from the request schemas.', { openapi: '3.1.0', info: { title: 'phusong API', version: '0.1.0' }, paths: {} }) },
  },
  {
    method: 'get', path: '/api/docs', tag: 'Meta', access: 'read', summary: 'This API description as a page',
    responses: { 200: { description: 'Server-rendered HTML, no script.', content: { 'text/html': { schema: { type: 'string' }, example: '<!doctype html><html lang="en"><head><title>phusong API</title>…' } } } },
  },
];
