/**
 * One example of each answer, as the service sends it (ISO strings for moments). They are
 * documentation, and test/api/openapi.test.ts parses each with the schema it illustrates, so an
 * example cannot drift from its schema either.
 */
const AT = '2026-01-15T08:00:00.000Z';
const ATTRIBUTION = 'Boundaries: thanglequoc/vietnamese-provinces-database (MIT), …';
const RING = [[105.38, 21.30], [105.42, 21.30], [105.42, 21.34], [105.38, 21.30]];
const MULTIPOLYGON = { type: 'MultiPolygon', coordinates: [[RING]] };
const POLYGON = { type: 'Polygon', coordinates: [RING] };

export const COMMUNE = { code: '07900', name: 'Việt Trì', fullName: 'Phường Việt Trì', kind: 'phuong', provinceCode: '25', population: 104300, households: 31200, areaKm2: 27.4 };
const COMMUNE_DETAIL = { ...COMMUNE, provinceCode: '25', provinceName: 'Phú Thọ', officialAreaKm2: 27.37, householdSize: 3.34, householdsMethod: 'census2019-communes' };
const communeFeature = <P>(properties: P) => ({ type: 'Feature', id: 7900, properties, geometry: MULTIPOLYGON });
export const COMMUNES_GEOJSON = { type: 'FeatureCollection', attribution: ATTRIBUTION, features: [communeFeature(COMMUNE)] };
export const COMMUNE_LIST = { count: 1, items: [COMMUNE] };
export const COMMUNE_DETAIL_FEATURE = communeFeature({ ...COMMUNE_DETAIL, attribution: ATTRIBUTION });

export const HEALTH = { status: 'ok', database: 'embedded', postgis: '3.6 USE_GEOS=1 USE_PROJ=1 USE_STATS=1' };
export const HEALTH_DOWN = { status: 'unavailable', database: 'server', postgis: null, detail: 'the database is unreachable' };

const RADIO = { id: 77, technology: '4G', bandMhz: 1800, azimuthDeg: 120, beamwidthDeg: 65, radiusM: null, rangeHintM: null, status: 'active', commissionedOn: '2019-05-01', decommissionedOn: null };
const STATION = { id: 42, operator: 'viettel', siteCode: 'VTT-PTO-0042', name: 'Việt Trì Tower', lon: 105.4, lat: 21.32, communeCode: '07900', heightM: 36, isDemo: false, radios: [RADIO] };
export const STATION_PAGE = { items: [STATION], nextCursor: '42' };
const { lon, lat, ...STATION_PROPERTIES } = STATION;
export const STATIONS_GEOJSON = {
  type: 'FeatureCollection', nextCursor: null,
  features: [{ type: 'Feature', id: 42, properties: STATION_PROPERTIES, geometry: { type: 'Point', coordinates: [lon, lat] } }],
};
export const STATION_DETAIL = { ...STATION, history: [{ at: AT, change: 'radio_inserted', radioId: 77, importId: 12, detail: { technology: '4G', bandMhz: 1800 } }] };
const COUNTS = { stationsInserted: 1, stationsUpdated: 0, radiosInserted: 1, radiosUpdated: 0, radiosUnchanged: 0, radiosDecommissioned: 0 };
export const STATION_IMPORT = {
  importId: 12, status: 'succeeded', dryRun: true, format: 'csv', mode: 'merge', rows: 1, operators: ['viettel'], counts: COUNTS,
  warnings: [{ severity: 'warning', row: 3, column: 'azimuth_deg', message: 'unknown column, ignored' }], warningsTotal: 1, touchedCommunes: ['07900'], recomputeJobId: null,
};
const IMPORT_RECORD = {
  id: 12, kind: 'stations', actor: 'token #3 (operator viettel)', operator: 'viettel', fileName: 'sites.csv', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', bytes: 2048,
  format: 'csv', mode: 'merge', dryRun: false, status: 'succeeded', counts: { radiosInserted: 1 }, startedAt: AT, finishedAt: AT,
};
export const IMPORT_PAGE = { items: [IMPORT_RECORD], nextCursor: null };
export const IMPORT_DETAIL = { ...IMPORT_RECORD, report: { importId: 12, rows: 1, counts: COUNTS } };

const FIBER = {
  households: 31200, operators: [{ operator: 'viettel', asOf: '2025-12-31', householdsPassed: 28000, subscriptions: 19500, ports: 21000 }], asOf: '2025-12-31',
  subscriptions: 19500, householdsPassed: 28000, householdsPassedSum: 28000, ports: 21000, fiberPct: 62.5, fiberPctRaw: 62.5, passedPct: 89.744, passedPctUpper: 89.744,
  exceeds100: false, isDemo: false,
};
const PROVINCE_FIBER = {
  communesTotal: 148, communesWithData: 1, communesWithFiber: 1, households: 31200, subscriptions: 19500, subscriptionsCapped: 19500, householdsPassedCapped: 28000,
  fiberPct: 62.5, passedPct: 89.744, fiberCommunesPct: 100, communesExceeding: [], operators: ['viettel'], asOf: '2025-12-31',
};
export const BROADBAND = { asOf: '2025-12-31', synthetic: false, province: PROVINCE_FIBER, communes: [{ communeCode: '07900', ...FIBER, name: 'Việt Trì' }] };
export const BROADBAND_GEOJSON = {
  type: 'FeatureCollection', attribution: ATTRIBUTION, synthetic: false, province: PROVINCE_FIBER, features: [communeFeature({ ...COMMUNE, broadband: FIBER })],
};
export const BROADBAND_IMPORT = {
  importId: 13, status: 'succeeded', dryRun: true, format: 'csv', rows: 1, operators: ['viettel'], communes: ['07900'], counts: { inserted: 1, updated: 0, unchanged: 0 },
  warnings: [], warningsTotal: 0, snapshotId: null,
};

const POPULATION_MODEL = {
  id: 'vnm_ppp_2020_1km_Aggregated_UNadj', name: 'WorldPop 2020, 30″ UN-adjusted', year: 2020,
  source: 'WorldPop (www.worldpop.org), University of Southampton, DOI 10.5258/SOTON/WP00671', licence: 'CC BY 4.0',
  attribution: 'Population grid: WorldPop (www.worldpop.org), 2020, CC BY 4.0', sha256: '55cc3fb948c9afec65d674f3ae43f2e47c7cdd2ab89e232b66d52959dcc92415',
};
const TERRAIN_MODEL = { id: 'srtm', tiles: ['N21E105.hgt'], sha256: '3dc9a93a…', source: 'NASA/USGS SRTM 3″ heights (public domain)' };
const META = { computedAt: AT, asOf: '2026-01-15', modelVersion: 'hata-38901-rows25m-ebe50b27b3-pop55cc3fb9-dem3dc9a93a', stale: false, populationModel: POPULATION_MODEL, terrainModel: TERRAIN_MODEL };
const TECH = { areaPct: 98.2, populationPct: 98.2, coveredAreaKm2: 26.9, coveredPopulation: 102400 };
export const COMMUNE_COVERAGE = { code: '07900', name: 'Việt Trì', ...META, populationSpread: 'grid', terrainPct: 100, technologies: { '4G': TECH }, operators: { viettel: { '4G': { ...TECH, areaPct: 97.1, populationPct: 97.1 } } } };
const FIGURE = { technology: '4G', operator: 'all', areaKm2: 27.4, coveredKm2: 26.9, areaPct: 98.175, population: 104300, coveredPopulation: 102397, populationPct: 98.6, populationSpread: 'grid', terrainPct: 100 };
const STORED = { runId: 9, computedAt: AT, asOf: '2026-01-15', modelVersion: 'a1b2c3d4', inputsDigest: 'sha256:9f…' };
export const COVERAGE_LIST = {
  ...META, province: [{ technology: '4G', operator: 'all', areaKm2: 9361.2, coveredKm2: 8537.4, areaPct: 91.2, population: 4014299, coveredPopulation: 3962112, populationPct: 98.7 }],
  communes: [{ communeCode: '07900', ...FIGURE, ...STORED }],
};
export const COVERAGE_GEOJSON = { type: 'FeatureCollection', attribution: ATTRIBUTION, ...META, features: [communeFeature({ ...COMMUNE, coverage: [{ ...FIGURE, ...STORED }] })] };
export const COVERAGE_POINT = {
  lon: 105.4, lat: 21.32, asOf: '2026-01-15', technologies: ['4G'],
  covered: [{ technology: '4G', operator: 'viettel', stationId: 42, siteCode: 'VTT-PTO-0042', distanceM: 412, radiusM: 1530 }],
  terrainModel: TERRAIN_MODEL,
};
export const COMMUNE_GAP = {
  type: 'Feature', id: '07900', geometry: POLYGON,
  properties: { code: '07900', name: 'Việt Trì', technology: '5G', operator: 'all', asOf: '2026-01-15', uncoveredKm2: 12.3, areaKm2: 27.4, attribution: ATTRIBUTION, terrainModel: TERRAIN_MODEL },
};
export const COVERAGE_LAYER = { type: 'FeatureCollection', features: [{ type: 'Feature', geometry: POLYGON, properties: { technology: '4G', operator: 'viettel', asOf: '2026-01-15', radios: 37, terrainModel: TERRAIN_MODEL } }] };
export const COVERAGE_RUN = {
  id: 9, startedAt: AT, finishedAt: '2026-01-15T08:00:41.200Z', asOf: '2026-01-15', modelVersion: 'a1b2c3d4', inputsDigest: 'sha256:9f…', scope: 'full',
  communes: 148, radios: 5210, durationMs: 41200, trigger: 'start', status: 'succeeded',
};
export const JOB = { id: 3, kind: 'coverage', status: 'running', phase: 'computing', percent: 40, startedAt: AT, finishedAt: null, result: null, error: null };
export const JOB_DONE = {
  ...JOB, status: 'succeeded', phase: 'done', percent: 100, finishedAt: '2026-01-15T08:00:41.200Z',
  result: { runId: 9, scope: 'full', communes: 148, radios: 5210, durationMs: 41200, inputsDigest: 'sha256:9f…' },
};

export const TARGET = {
  id: 1, code: 'pt-2026-fiber-households', title: 'Households with fiber optic internet', metric: 'fiber_households_pct', threshold: 90, deadlineYear: 2026, scope: 'province', provinceCode: '25',
  source: { document: 'Báo Phú Thọ, 3 Feb 2026', date: '2026-02-03', quote: 'tỷ lệ hộ gia đình có kết nối internet cáp quang đạt tối thiểu 90%', url: null }, notes: null,
  createdAt: AT, updatedAt: AT, updatedBy: 'migration',
};
export const TARGET_LIST = { count: 1, items: [TARGET] };
const REPORTED = {
  id: 1, code: 'pt-2026-4g-area', label: '4G coverage of the area', value: 98, unit: '%', qualifier: 'exactly', metric: '4g_area_pct', operator: null, area: 'Phú Thọ', provinceCode: '25',
  asOf: '2026-02-03', source: { document: 'Báo Phú Thọ, 3 Feb 2026', date: '2026-02-03', quote: null }, notes: null,
};
export const REPORTED_LIST = { count: 1, items: [REPORTED] };

const GAP_ROW = {
  code: '08050', name: 'Xuân Sơn', value: 81.2, threshold: 95, shortfallPts: 13.8, population: 6100, households: 1500, peopleToReach: 842, householdsToReach: null,
  uncoveredKm2: 120.4, uncoveredPopulation: 1147, areaToReachKm2: 63.1,
};
const GAPS_META = {
  target: null, metric: '4g_population_pct', threshold: 95, label: '4G coverage, % of population', communesTotal: 148, communesBelow: 1, communesMeeting: 147, noData: [],
  coverage: META,
};
export const GAPS = { ...GAPS_META, items: [GAP_ROW] };
export const GAPS_GEOJSON = {
  ...GAPS_META, type: 'FeatureCollection', attribution: ATTRIBUTION,
  features: [{ ...communeFeature({ ...COMMUNE, ...GAP_ROW, metric: '4g_population_pct', rank: 1 }), id: 8050 }],
};
const ROLLUP = { areaPct: 91.2, populationPct: 98.7, coveredKm2: 8537.4, coveredPopulation: 3962112, areaKm2: 9361.2, population: 4014299 };
const STATUS = { value: 71.5, met: false, distancePts: -18.5, communesBelow: 140, communesWithData: 148, peopleToReach: null, householdsToReach: 221300, partial: false };
export const SUMMARY = {
  asOf: '2026-01-15',
  notes: ['Coverage is a planning estimate of outdoor signal from a propagation model, not a measurement (README, "The coverage model").'],
  province: { communes: 148, population: 4014299, households: 1084000, areaKm2: 9361.2 },
  stations: {
    asOf: '2026-01-15', sites: 10240, sites_count: 10240, sites_3g4g_count: 10240, sites_4g_count: 9283, sites_5g_count: 868, sites_5g_new_count: 868,
    byTechnology: { '4G': 9283, '5G': 868 }, byOperator: { viettel: { sites: 4100, '4G': 3900 } }, demoStations: 0, realStations: 10240, synthetic: false,
  },
  coverage: { ...META, technologies: { '4G': ROLLUP }, operators: { viettel: { '4G': ROLLUP } } },
  fiber: { ...PROVINCE_FIBER, synthetic: false },
  targets: [{ ...TARGET, label: 'Households with a fiber subscription, %', status: STATUS }],
  reported: [{ ...REPORTED, computed: { value: 91.2, asOf: '2026-01-15', label: '4G coverage, % of area' } }],
};
const POINT = { snapshotId: 5, takenAt: AT, asOf: '2026-01-15', trigger: 'recompute', runId: 9, importId: null, modelVersion: 'a1b2c3d4', figures: { '4g_area_pct': 90.1 } };
const HISTORY_TARGET = { id: 1, code: 'pt-2026-5g-coverage', metric: '5g_population_pct', threshold: 65, deadlineYear: 2026, scope: 'province' };
export const PROVINCE_HISTORY = { metric: '4g_area_pct', targets: [], count: 1, items: [POINT] };
export const COMMUNE_HISTORY = { code: '07900', name: 'Việt Trì', metric: null, targets: [HISTORY_TARGET], count: 1, items: [POINT] };
export const COMMUNE_HISTORY_FEATURE = communeFeature({ ...COMMUNE_DETAIL, attribution: ATTRIBUTION, history: [POINT], targets: [HISTORY_TARGET] });

export const OPENAPI = { openapi: '3.1.0', info: { title: 'phusong API', version: '0.1.0' }, paths: {} };
export const CSV_EXAMPLE = 'communeCode,communeName,technology,operator,areaPct\n07900,Việt Trì,4G,all,98.4\n';

export const POPULATION_DENSITY = {
  type: 'FeatureCollection',
  populationModel: { kind: 'grid', id: 'vnm_ppp_2020_1km_Aggregated_UNadj', name: 'WorldPop 2020, 30″ UN-adjusted', year: 2020, licence: 'CC BY 4.0', sha256: '55cc3fb948c9afec65d674f3ae43f2e47c7cdd2ab89e232b66d52959dcc92415' },
  attribution: 'Population grid: WorldPop (www.worldpop.org), 2020, CC BY 4.0',
  features: [{ type: 'Feature', properties: { communeCode: '07900', densityPerKm2: 4120.5, spread: 'grid' }, geometry: POLYGON }],
};

const PROVINCE_TARGETS = [
  { code: 'pt-2026-5g-coverage', metric: '5g_population_pct', threshold: 65, deadlineYear: 2026, provinceCode: '25', value: 23.7, met: false },
  { code: 'vn-2030-5g-population', metric: '5g_population_pct', threshold: 99, deadlineYear: 2030, provinceCode: null, value: 23.7, met: false },
];
const PROVINCE_VALUES = { '4g_area_pct': 97.9, '4g_population_pct': 99.1, '5g_area_pct': 17.2, '5g_population_pct': 23.7, fiber_households_pct: 86.4 };
export const PROVINCE = {
  code: '25', name: 'Phú Thọ', fullName: 'Tỉnh Phú Thọ', nameEn: 'Phu Tho', kind: 'tinh', communes: 148, population: 4022638, households: 1190000, populationUnknown: 0,
  areaKm2: 9352.3, bbox: [104.8, 20.3, 105.9, 21.8], values: PROVINCE_VALUES, targets: PROVINCE_TARGETS,
};
export const PROVINCE_LIST = {
  count: 1,
  country: { communes: 148, population: 4022638, households: 1190000, populationUnknown: 0, areaKm2: 9352.3, values: PROVINCE_VALUES, targets: [PROVINCE_TARGETS[1]] },
  items: [PROVINCE],
};
export const PROVINCES_GEOJSON = { type: 'FeatureCollection', attribution: ATTRIBUTION, features: [{ type: 'Feature', id: 25, properties: PROVINCE, geometry: MULTIPOLYGON }] };
