import type { ResponseConfig } from '@asteasolutions/zod-to-openapi';
import { z, type ZodType } from 'zod';
import { BroadbandImportListQuerySchema, BroadbandImportQuerySchema, BroadbandQuerySchema } from '../broadband/broadband.schema';
import { CommuneGetQuerySchema, CommuneListQuerySchema, CommuneParamsSchema } from '../communes/communes.schema';
import { CommuneCoverageQuerySchema, CoverageQuerySchema, GapsQuerySchema as CommuneGapsQuerySchema, JobParamsSchema, LayerQuerySchema, PointQuerySchema } from '../coverage/coverage.schema';
import { IdParamsSchema, ImportListQuerySchema, ImportQuerySchema, StationListQuerySchema } from '../stations/stations.query';
import { ProvinceListQuerySchema, ProvinceListSchema, ProvinceParamsSchema, ProvinceSchema, ProvincesGeoJsonSchema } from '../provinces/provinces.schema';
import { GapsQuerySchema, HistoryQuerySchema, ProvinceHistoryQuerySchema, SummaryQuerySchema } from '../summary/summary.schema';
import { ListQuerySchema, TargetInputSchema, TargetParamsSchema, TargetPatchSchema } from '../targets/targets.schema';
import { CommuneTileQuery, TileParams, TileQuery } from '../tiles/tiles.routes';
import type { ApiOperation } from './registry';
import { PopulationDensityAnswerSchema, PopulationDensityQuerySchema } from '../population/population.schema';
import * as X from './examples';
import { HealthDownSchema, HealthSchema } from '../health/health.schema';
import { JobSchema } from '../jobs/jobs.schema';
import { ImportRecordDetailSchema, ImportRecordPageSchema, StationDetailSchema, StationImportReportSchema, StationPageSchema, StationsGeoJsonSchema } from '../stations/stations.schema';
import { BroadbandFiguresSchema, BroadbandGeoJsonSchema, BroadbandImportReportSchema } from '../broadband/broadband.schema';
import { CommuneDetailFeatureSchema, CommuneListSchema, CommunesGeoJsonSchema } from '../communes/communes.schema';
import {
  CommuneCoverageSchema, CommuneGapFeatureSchema, CoverageGeoJsonSchema, CoverageLayerSchema, CoverageListSchema, CoveragePointSchema, CoverageRunSchema,
} from '../coverage/coverage.schema';
import { ReportedListSchema, TargetListSchema, TargetSchema } from '../targets/targets.schema';
import { CommuneHistoryFeatureSchema, CommuneHistorySchema, GapsGeoJsonSchema, GapsSchema, ProvinceHistorySchema, SummarySchema } from '../summary/summary.schema';


// ---- response helpers -------------------------------------------------------------------------
// Every JSON and GeoJSON answer is documented by the zod schema of its domain (`*.schema.ts`), the
// one the route sends through (server/http/json-answer.ts `sendAnswer`), with an example of it.

type Media = [schema: ZodType, example: unknown];
const json = (description: string, [schema, example]: Media): ResponseConfig => ({ description, content: { 'application/json': { schema, example } } });
const geojson = (description: string, [schema, example]: Media): ResponseConfig => ({
  description: `${description} (\`application/geo+json\`)`, content: { 'application/geo+json': { schema, example } },
});
/** JSON, and other representations chosen with `format=`. */
const withFormats = (description: string, [schema, example]: Media, formats: { csv?: boolean; geojson?: Media }): ResponseConfig => ({
  description: `${description} Other representations with \`format=\`: ${[formats.csv ? 'csv' : null, formats.geojson ? 'geojson' : null].filter(Boolean).join(', ')}.`,
  content: {
    'application/json': { schema, example },
    ...(formats.csv ? { 'text/csv': { schema: { type: 'string' as const }, example: X.CSV_EXAMPLE } } : {}),
    ...(formats.geojson ? { 'application/geo+json': { schema: formats.geojson[0], example: formats.geojson[1] } } : {}),
  },
});

/** The OpenAPI document itself: its own format (OpenAPI 3.1), only its top level is checked here. */
const OpenApiDocumentSchema = z.looseObject({ openapi: z.string(), info: z.looseObject({ title: z.string(), version: z.string() }), paths: z.record(z.string(), z.unknown()) })
  .meta({ id: 'OpenApiDocument' });

const CSV_UPLOAD = 'site_code,name,lon,lat,technology,band_mhz\nVTT-PTO-0042,Việt Trì Tower,105.40,21.32,4G,1800\n';
const BROADBAND_CSV = 'commune_code,as_of,households_passed,subscriptions\n07900,2025-12-31,28000,19500\n';

const upload = (example: string, formats: string, json?: unknown): ApiOperation['body'] => ({
  description: `The file, as the raw body or as the multipart field \`file\`. Formats: ${formats}; the format is guessed from the name or content type unless \`format=\` says it.`,
  required: true,
  content: {
    'text/csv': { schema: { type: 'string' }, example },
    'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } },
    ...(json ? { 'application/json': { schema: { type: 'object' as const }, example: json } } : {}),
  },
});

// ---- every route of the service ---------------------------------------------------------------

export const API_OPERATIONS: readonly ApiOperation[] = [
  // Health
  {
    method: 'get', path: '/api/health', tag: 'Health', access: 'public', summary: 'Service and database status',
    responses: { 200: json('The database answers.', [HealthSchema, X.HEALTH]), 503: json('The database is unreachable (plain JSON for monitors; `Retry-After: 5`).', [HealthDownSchema, X.HEALTH_DOWN]) },
  },

  // Stations
  {
    method: 'post', path: '/api/stations/import', tag: 'Stations', access: 'operator', summary: 'Upload a station file',
    description: 'Validates and stores the stations and radios of a file (CSV, XLSX, OpenCelliD CSV, GeoJSON). An operator token imports only its own operator; ' +
      '`dryRun=true` validates without writing. A write starts a coverage recompute of the communes it touches.',
    query: ImportQuerySchema, examples: { query: { dryRun: 'true', operator: 'viettel', mode: 'merge', format: 'csv' } },
    body: upload(CSV_UPLOAD, 'csv, xlsx, opencellid, geojson'),
    responses: { 200: json('Dry run: what the import would do (the write ran and was rolled back).', [StationImportReportSchema, X.STATION_IMPORT]), 201: json('Imported; `recomputeJobId` is the coverage recompute it started.', [StationImportReportSchema, { ...X.STATION_IMPORT, dryRun: false, recomputeJobId: 4 }]) },
    errors: [413, 422],
  },
  {
    method: 'get', path: '/api/stations', tag: 'Stations', access: 'read', summary: 'List stations',
    description: 'Stations with their radios, by pages of `limit`; pass `nextCursor` as `cursor` for the next page. `bbox` is minLon,minLat,maxLon,maxLat.',
    query: StationListQuerySchema, examples: { query: { bbox: '105.2,21.2,105.5,21.5', technology: '4G', limit: '100' } },
    responses: { 200: withFormats('A page of stations.', [StationPageSchema, X.STATION_PAGE], { geojson: [StationsGeoJsonSchema, X.STATIONS_GEOJSON] }) },
  },
  {
    method: 'get', path: '/api/stations/{id}', tag: 'Stations', access: 'read', summary: 'One station',
    params: IdParamsSchema, examples: { params: { id: '42' } },
    responses: { 200: json('The station, its radios and its recorded changes.', [StationDetailSchema, X.STATION_DETAIL]) }, errors: [404],
  },
  {
    method: 'get', path: '/api/imports', tag: 'Stations', access: 'read', summary: 'List station imports',
    query: ImportListQuerySchema, examples: { query: { operator: 'viettel', limit: '20' } },
    responses: { 200: json('Import records, newest first.', [ImportRecordPageSchema, X.IMPORT_PAGE]) },
  },
  {
    method: 'get', path: '/api/imports/{id}', tag: 'Stations', access: 'read', summary: 'One import record',
    params: IdParamsSchema, examples: { params: { id: '12' } },
    responses: { 200: json('The import record and its stored report.', [ImportRecordDetailSchema, X.IMPORT_DETAIL]) }, errors: [404],
  },

  // Broadband
  {
    method: 'post', path: '/api/broadband/import', tag: 'Broadband', access: 'operator', summary: 'Upload fiber figures',
    description: 'Households passed and subscriptions per commune and date, as CSV or JSON (`{ "rows": [...] }`). `dryRun=true` validates without writing.',
    query: BroadbandImportQuerySchema, examples: { query: { dryRun: 'true', operator: 'viettel', format: 'csv' } },
    body: upload(BROADBAND_CSV, 'csv, json', { rows: [{ communeCode: '07900', asOf: '2025-12-31', householdsPassed: 28000, subscriptions: 19500 }] }),
    responses: { 200: json('Dry run: what the import would do.', [BroadbandImportReportSchema, X.BROADBAND_IMPORT]), 201: json('Imported; `snapshotId` is the history snapshot it added.', [BroadbandImportReportSchema, { ...X.BROADBAND_IMPORT, dryRun: false, snapshotId: 21 }]) },
    errors: [413, 422],
  },
  {
    method: 'get', path: '/api/broadband', tag: 'Broadband', access: 'read', summary: 'Fiber figures per commune and for the province',
    query: BroadbandQuerySchema, examples: { query: { asOf: '2025-12-31', commune: '07900', format: 'json' } },
    responses: { 200: withFormats('Latest figures of each operator at `asOf`, per commune and for the province.', [BroadbandFiguresSchema, X.BROADBAND], { csv: true, geojson: [BroadbandGeoJsonSchema, X.BROADBAND_GEOJSON] }) },
    // An unknown `commune`; `asOf` makes it an expensive read (rate-limited).
    errors: [404, 429],
  },
  {
    method: 'get', path: '/api/broadband/imports', tag: 'Broadband', access: 'read', summary: 'List broadband imports',
    query: BroadbandImportListQuerySchema, examples: { query: { operator: 'viettel', limit: '20' } },
    responses: { 200: json('Import records, newest first.', [ImportRecordPageSchema, { items: [{ ...X.IMPORT_PAGE.items[0], kind: 'broadband', mode: 'merge' }], nextCursor: null }]) },
  },

  // Communes
  {
    method: 'get', path: '/api/communes', errors: [404], tag: 'Communes', access: 'read', summary: 'List communes',
    query: CommuneListQuerySchema, examples: { query: { format: 'json' } },
    responses: { 200: withFormats('Every commune of the province; with `format=geojson`, their display geometries (`geometry=overview`: simplified further, for the whole-province view).', [CommuneListSchema, X.COMMUNE_LIST], { geojson: [CommunesGeoJsonSchema, X.COMMUNES_GEOJSON] }) },
  },
  {
    method: 'get', path: '/api/communes/{code}', tag: 'Communes', access: 'read', summary: 'One commune with its boundary',
    params: CommuneParamsSchema, query: CommuneGetQuerySchema, examples: { params: { code: '07900' }, query: { geometry: 'display' } },
    responses: { 200: geojson('A GeoJSON Feature; `geometry=display` is simplified for the map.', [CommuneDetailFeatureSchema, X.COMMUNE_DETAIL_FEATURE]) },
    errors: [404],
  },
  {
    method: 'get', path: '/api/communes/{code}/coverage', tag: 'Coverage', access: 'read', summary: 'Coverage of one commune',
    description: 'Per technology for all operators, then per operator: every operator with a radio of that technology (on air or not) is listed, ' +
      'at 0 % on a date it had none on air. `asOf` computes the figures of a past date on demand (rate-limited as an expensive read).',
    params: CommuneParamsSchema, query: CommuneCoverageQuerySchema, examples: { params: { code: '07900' }, query: { asOf: '2025-06-30' } },
    responses: { 200: json('Figures in percent, km² and people.', [CommuneCoverageSchema, X.COMMUNE_COVERAGE]) },
    errors: [404, 429],
  },
  {
    method: 'get', path: '/api/communes/{code}/gaps', tag: 'Coverage', access: 'read', summary: 'Uncovered part of a commune',
    params: CommuneParamsSchema, query: CommuneGapsQuerySchema, examples: { params: { code: '07900' }, query: { technology: '5G', operator: 'all' } },
    responses: { 200: geojson('A Feature whose geometry is the part of the commune no radio of that technology reaches (null: none).', [CommuneGapFeatureSchema, X.COMMUNE_GAP]) },
    errors: [404, 429],
  },
  {
    method: 'get', path: '/api/coverage', tag: 'Coverage', access: 'read', summary: 'Coverage figures of every commune',
    description: '`operator=all` (the default in the figures) is the union of every operator\'s footprint. Every date gives the same rows: ' +
      'one per commune and technology for `all` and for each operator with a radio of that technology (on air or not), 0 % where it had none on air. ' +
      '`asOf` computes the figures of a past date on demand (rate-limited as an expensive read).',
    query: CoverageQuerySchema, examples: { query: { technology: '4G', operator: 'all', format: 'json' } },
    responses: { 200: withFormats('Province roll-up and one figure per commune, technology and operator.', [CoverageListSchema, X.COVERAGE_LIST], { csv: true, geojson: [CoverageGeoJsonSchema, X.COVERAGE_GEOJSON] }) },
    errors: [429, 404],
  },
  {
    method: 'get', path: '/api/coverage/point', tag: 'Coverage', access: 'read', summary: 'Which technologies reach a point',
    query: PointQuerySchema, examples: { query: { lon: '105.40', lat: '21.32' } },
    responses: { 200: json('Technologies and operators whose footprint contains the point, with the nearest covering station of each.', [CoveragePointSchema, X.COVERAGE_POINT]) },
    errors: [429],
  },
  {
    method: 'get', path: '/api/coverage/layer', tag: 'Coverage', access: 'read', summary: 'Coverage footprint as a layer',
    description: 'The union of the footprints of the radios in `bbox` (minLon,minLat,maxLon,maxLat). Rate-limited as an expensive read.',
    query: LayerQuerySchema, examples: { query: { bbox: '105.2,21.2,105.5,21.5', technology: '4G', operator: 'viettel' } },
    responses: { 200: geojson('A FeatureCollection with zero or one feature.', [CoverageLayerSchema, X.COVERAGE_LAYER]) },
    errors: [429],
  },
  {
    method: 'get', path: '/api/population/density', tag: 'Coverage', access: 'read', summary: 'Population density layer',
    description: 'The dasymetric density (people per km²) of each piece of a population-grid cell inside each commune, as the coverage figures spread people, with the grid\'s credit. Optional `bbox` (minLon,minLat,maxLon,maxLat). Rate-limited as an expensive read.',
    query: PopulationDensityQuerySchema, examples: { query: { bbox: '105.38,21.3,105.42,21.34' } },
    responses: { 200: geojson('A FeatureCollection of cell pieces.', [PopulationDensityAnswerSchema, X.POPULATION_DENSITY]) },
    errors: [400, 429],
  },
  {
    method: 'get', path: '/api/coverage/runs/latest', tag: 'Coverage', access: 'read', summary: 'Last coverage computation',
    responses: { 200: json('The last run, or null before the first one.', [CoverageRunSchema.nullable(), X.COVERAGE_RUN]) },
  },
  {
    method: 'post', path: '/api/coverage/recompute', tag: 'Coverage', access: 'admin', summary: 'Recompute all coverage (admin)',
    description: 'Starts a background job; follow it at the `Location` header (`/api/coverage/jobs/{id}`).',
    responses: { 202: { ...json('The job, queued or running.', [JobSchema, { ...X.JOB, status: 'queued', phase: 'queued', percent: 0 }]), headers: { Location: { description: 'URL of the job', schema: { type: 'string' } } } } },
  },
  {
    method: 'get', path: '/api/coverage/jobs/{id}', tag: 'Coverage', access: 'read', summary: 'Progress of a recompute job',
    params: JobParamsSchema, examples: { params: { id: '3' } },
    responses: { 200: json('The job: status, phase, percent, and its result once succeeded.', [JobSchema, X.JOB_DONE]) }, errors: [404],
  },

  // Targets
  {
    method: 'get', path: '/api/targets', errors: [404], tag: 'Targets', access: 'read', summary: 'List targets',
    query: ListQuerySchema, examples: { query: { format: 'json' } },
    responses: { 200: withFormats('Every planning target.', [TargetListSchema, X.TARGET_LIST], { csv: true }) },
  },
  {
    method: 'get', path: '/api/targets/{id}', tag: 'Targets', access: 'read', summary: 'One target, by id or code',
    params: TargetParamsSchema, examples: { params: { id: 'pt-2026-fiber-households' } },
    responses: { 200: json('The target.', [TargetSchema, X.TARGET]) }, errors: [404],
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
    responses: { 201: { ...json('Created; `Location` names it.', [TargetSchema, { ...X.TARGET, id: 7, code: 'pt-2030-5g-area', metric: '5g_area_pct' }]), headers: { Location: { description: 'URL of the target', schema: { type: 'string' } } } } },
    errors: [409, 429],
  },
  {
    method: 'patch', path: '/api/targets/{id}', tag: 'Targets', access: 'admin', summary: 'Change a target (admin)',
    description: 'Any field of a target; the source\'s fields one by one. At least one field.',
    params: TargetParamsSchema, examples: { params: { id: 'pt-2026-fiber-households' } },
    body: { required: true, content: { 'application/json': { schema: TargetPatchSchema, example: { notes: 'checked against the 2025 plan' } } } },
    responses: { 200: json('The target as changed.', [TargetSchema, { ...X.TARGET, notes: 'checked against the 2025 plan' }]) },
    errors: [404, 409, 429],
  },
  {
    method: 'get', path: '/api/reported', errors: [404], tag: 'Targets', access: 'read', summary: 'Figures reported by authorities',
    query: ListQuerySchema, examples: { query: { format: 'csv' } },
    responses: { 200: withFormats('Stated figures with their sources.', [ReportedListSchema, X.REPORTED_LIST], { csv: true }) },
  },

  // Summary
  {
    method: 'get', path: '/api/gaps', tag: 'Summary', access: 'read', summary: 'Communes short of a target',
    description: 'Give `target` (id or code) or both `metric` and `threshold`, never both kinds. Communes are listed largest shortfall first.',
    query: GapsQuerySchema, examples: { query: { metric: '4g_population_pct', threshold: '95' } },
    responses: { 200: withFormats('Shortfall per commune, largest first (ties: more people or households behind it first, then by code).', [GapsSchema, X.GAPS], { csv: true, geojson: [GapsGeoJsonSchema, X.GAPS_GEOJSON] }) },
    errors: [404, 429],
  },
  {
    method: 'get', path: '/api/summary', errors: [404], tag: 'Summary', access: 'read', summary: 'Targets and reported figures against computed ones',
    query: SummaryQuerySchema, examples: { query: { format: 'json' } },
    responses: { 200: withFormats('Stations, coverage and fiber of the province; each target with its status; each reported figure with the computed one.', [SummarySchema, X.SUMMARY], { csv: true }) },
  },
  {
    method: 'get', path: '/api/provinces', tag: 'Summary', access: 'read', summary: 'The provinces held, each against its targets, and the country',
    query: ProvinceListQuerySchema, examples: { query: { format: 'json' } },
    responses: { 200: withFormats('Every province the database holds communes of, with its figures (those of `/api/summary?province=`) against its own and the national targets; the country against the national targets.',
      [ProvinceListSchema, X.PROVINCE_LIST], { geojson: [ProvincesGeoJsonSchema, X.PROVINCES_GEOJSON] }) },
  },
  {
    method: 'get', path: '/api/provinces/{code}', errors: [404], tag: 'Summary', access: 'read', summary: 'One province against its targets',
    params: ProvinceParamsSchema, examples: { params: { code: '25' } },
    responses: { 200: json('The province, as in the list.', [ProvinceSchema, X.PROVINCE]) },
  },
  {
    method: 'get', path: '/api/summary/history', errors: [404], tag: 'Summary', access: 'read', summary: 'History of the province\'s figures',
    query: ProvinceHistoryQuerySchema, examples: { query: { metric: '4g_area_pct', from: '2025-01-01', to: '2025-12-31' } },
    responses: { 200: withFormats('Dated snapshots, oldest first, and the targets for a chart.', [ProvinceHistorySchema, X.PROVINCE_HISTORY], { csv: true }) },
  },
  {
    method: 'get', path: '/api/communes/{code}/history', tag: 'Summary', access: 'read', summary: 'History of a commune\'s figures',
    params: CommuneParamsSchema, query: HistoryQuerySchema, examples: { params: { code: '07900' }, query: { metric: 'fiber_households_pct', limit: '100' } },
    responses: { 200: withFormats('Dated snapshots, oldest first, and the targets that apply.', [CommuneHistorySchema, X.COMMUNE_HISTORY], { csv: true, geojson: [CommuneHistoryFeatureSchema, X.COMMUNE_HISTORY_FEATURE] }) },
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
  {
    method: 'get', path: '/tiles/communes/{z}/{x}/{y}.pbf', tag: 'Tiles', access: 'read', summary: 'Commune vector tile',
    description: 'Mapbox Vector Tile (layer `communes`) of the communes touching tile z/x/y (x and y below 2^z, z ≤ 22): one polygon per commune, its '
      + 'display boundary simplified for the zoom (half a tile unit), id the code as a number, properties `code, name, fullName, provinceCode, kind`. '
      + 'The figures are not in the tile: a map colours by `/api/coverage` or `/api/broadband` (joined on `code`), so a recompute never changes a tile. '
      + 'Filter by `provinceCode` to draw one province. Cached for 60 s; `v` is a cache-buster.',
    params: TileParams, query: CommuneTileQuery, examples: { params: { z: '10', x: '811', y: '448' } },
    responses: {
      200: { description: 'The tile.', content: { 'application/vnd.mapbox-vector-tile': { schema: { type: 'string', contentMediaType: 'application/vnd.mapbox-vector-tile' }, example: '(binary protobuf)' } } },
      204: { description: 'No commune in this tile.' },
    },
  },

  // Meta
  {
    method: 'get', path: '/api/openapi.json', tag: 'Meta', access: 'read', summary: 'This API description (OpenAPI 3.1)',
    responses: { 200: json('The OpenAPI document, generated from the schemas the routes validate and answer with.', [OpenApiDocumentSchema, X.OPENAPI]) },
  },
  {
    method: 'get', path: '/api/docs', tag: 'Meta', access: 'read', summary: 'This API description as a page',
    responses: { 200: { description: 'Server-rendered HTML, no script.', content: { 'text/html': { schema: { type: 'string' }, example: '<!doctype html><html lang="en"><head><title>phusong API</title>…' } } } },
  },
];
