/**
 * npm run bench:coverage [-- --naive-cap-s 60] [--postgis full|none] [--model-only]
 *
 * Coverage speed on the default province (148 communes, the SYNTHETIC demo stations) in a fresh
 * database: a new one beside DATABASE_URL when it is set (dropped afterwards), else an embedded
 * one in a temporary directory. Measures, in one run:
 *  - the full recompute (service: engine and store; the radios it keeps between runs), median of 3
 *    after 1 warm-up; the same by a new service each time (reads communes and radios first); the
 *    engine alone on the same input; resolving the 22k radii with and without the memo; peak RSS
 *    of this process (with the embedded engine it includes PGlite's own memory);
 *  - an import touching 100 stations (in one town, and spread over the province): import time,
 *    then the recompute that follows (medians of 3);
 *  - the model with the population grid and the terrain against the old one (even spread, flat):
 *    province figures side by side, the communes that move most, the reported figures, and the
 *    new model's cold, warm and after-import recomputes (scripts/lib/bench-model.ts);
 *    `--model-only` stops after that (no PostGIS reference, no naive Turf);
 *  - the exact PostGIS computation of the same figures (`exactPostgisCoverage`, also the
 *    reference of test/api/coverage-proof.test.ts), with its largest difference from the engine;
 *  - the 5G 'all' figures of every commune by the engine, by exact PostGIS and by the naive Turf
 *    approach (one turf.union of the footprints, turf.intersect with each commune); the naive
 *    intersections stop after --naive-cap-s (default 60) and the rest is extrapolated, labelled so.
 *    The full naive recompute is not attempted (the 2G union alone exhausts the heap): its 5G part
 *    is a lower bound of it.
 */
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { area as turfArea, featureCollection, intersect, union } from '@turf/turf';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import type { Knex } from 'knex';
import { loadConfig } from '../server/config';
import { migrateToLatest } from '../server/db/migrate';
import { createCommunesRepo } from '../server/communes/communes.repo';
import { importProvinceFolder } from '../server/communes/default-province';
import { loadDemoStations } from '../server/stations/demo/load-demo';
import { createStationsRepo } from '../server/stations/stations.repo';
import { createImportsRepo } from '../server/stations/imports.repo';
import { createStationsService } from '../server/stations/stations.service';
import { createCoverageRepo } from '../server/coverage/coverage.repo';
import { createCoverageService } from '../server/coverage/coverage.service';
import { toEngineRadios } from '../server/coverage/coverage.model';
import { computeCommuneCoverage, footprintPolygon, radioSector, resolveRadiusM, type CoverageFigure, type CoverageRadio, type Technology } from '../server/coverage/engine/index';
import { throwawayDatabase } from './lib/bench-database';
import { benchModel } from './lib/bench-model';

/** UTM zone 48N: metres, conformal, the zone of Phú Thọ (central meridian 105° E). */
const SRID_UTM48N = 32648;
/** Vertices per full turn of a reference footprint: ST_Buffer's quad_segs=64 gives 256. */
const REFERENCE_STEPS = 256;
/**
 * Snap-rounding grid of the overlay, metres. GEOS 3.14 (embedded PostGIS 3.6) throws a
 * TopologyException on the plain union of the demo's 5G sector wedges, and PGlite then answers
 * with no rows instead of an error; snap-rounding (ST_Union/ST_Intersection with a grid size,
 * PostGIS ≥ 3.1) is robust and moves edges by at most half a millimetre.
 */
const OVERLAY_GRID_M = 0.001;

export interface ReferenceGroup {
  technology: Technology;
  /** An operator code, or 'all' for every operator's footprints together. */
  operator: string;
}

export interface ReferenceFigure extends ReferenceGroup {
  communeCode: string;
  /** Commune area in UTM 48N, m² (grid area: only the ratio is comparable with the engine). */
  areaM2: number;
  coveredM2: number;
  areaPct: number;
}

/**
 * The exact coverage of communes by PostGIS: footprints built in UTM 48N, ST_Union per technology
 * and group, ST_Area(ST_Intersection(commune, union)). A disc is ST_Buffer of radius r·k, where k
 * is the UTM scale factor at the antenna measured by PostGIS itself (grid length of a 1 km
 * geodesic step north), so that it is a ground circle of radius r as in the engine (without k it
 * is up to 11 m too large at 27 km). A sector is the antenna plus arc vertices placed by
 * ST_Project on the spheroid, so its bearings are true bearings as in the engine, not grid
 * bearings. Both are inscribed 256-gons, 0.01 % smaller in area than the true shapes.
 *
 * Each group's union takes only the footprints whose box meets a commune asked for, then is
 * intersected with every commune asked for: exact for those communes.
 *
 * @param radios radios with their resolved radius, metres (as the engine gets them); radius 0 covers nothing
 * @param options.codes communes to compute (default: all)
 */
export async function exactPostgisCoverage(
  knex: Knex,
  radios: readonly CoverageRadio[],
  groups: readonly ReferenceGroup[],
  options: { codes?: readonly string[] } = {},
): Promise<{ figures: ReferenceFigure[]; footprints: number; setupMs: number; groupMs: number[] }> {
  const input = radios.filter((r) => r.radiusM > 0).map((r) => {
    const sector = radioSector(r);
    return { t: r.technology, op: r.operator, lon: r.lon, lat: r.lat, r: r.radiusM, az: sector?.azimuthDeg ?? null, bw: sector?.beamwidthDeg ?? null };
  });
  // Temporary tables live in one session: hold one connection (a transaction) throughout.
  return knex.transaction(async (trx) => {
    const started = performance.now();
    await trx.raw(
      `CREATE TEMP TABLE exact_c ON COMMIT DROP AS
       SELECT code, g, ST_Area(g) AS area_m2
         FROM (SELECT code, ST_Transform(geom, ${SRID_UTM48N}) AS g FROM communes
                WHERE ?::json IS NULL OR code IN (SELECT json_array_elements_text(?::json))) c`,
      [options.codes ? JSON.stringify(options.codes) : null, options.codes ? JSON.stringify(options.codes) : null],
    );
    await trx.raw(
      `CREATE TEMP TABLE exact_fp ON COMMIT DROP AS
       WITH r AS (SELECT * FROM json_to_recordset(?::json) AS x(t text, op text, lon float8, lat float8, r float8, az float8, bw float8)),
            p AS (SELECT r.*, ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS p4,
                         ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), ${SRID_UTM48N}) AS pu FROM r)
       SELECT t AS technology, op AS operator,
              CASE WHEN az IS NULL THEN
                ST_Buffer(pu, r * ST_Distance(pu, ST_Transform(ST_Project(p4::geography, 1000, 0)::geometry, ${SRID_UTM48N})) / 1000, 'quad_segs=${REFERENCE_STEPS / 4}')
              ELSE (
                SELECT ST_MakePolygon(ST_MakeLine(ARRAY[pu]
                         || array_agg(ST_Transform(ST_Project(p4::geography, r, radians(az - bw / 2 + bw * j / s.n))::geometry, ${SRID_UTM48N}) ORDER BY j)
                         || pu))
                  FROM (SELECT greatest(2, ceil(${REFERENCE_STEPS} * bw / 360))::int AS n) s, generate_series(0, s.n) AS j)
              END AS g
         FROM p
        -- a footprint whose box stays clear of every commune asked for cannot cover any of them
        WHERE EXISTS (SELECT 1 FROM exact_c c WHERE c.g && ST_Expand(pu, r * 1.01 + 100))`,
      [JSON.stringify(input)],
    );
    await trx.raw('CREATE INDEX ON exact_fp USING gist (g)');
    await trx.raw('ANALYZE exact_fp');
    const footprints = Number((await trx.raw('SELECT count(*) AS n FROM exact_fp')).rows[0].n);
    const setupMs = performance.now() - started;

    const figures: ReferenceFigure[] = [];
    const groupMs: number[] = [];
    for (const group of groups) {
      const t0 = performance.now();
      const { rows } = await trx.raw(
        `WITH u AS MATERIALIZED (
           SELECT ST_Union(f.g, ?::float8) AS g FROM exact_fp f
            WHERE f.technology = ? AND (? = 'all' OR f.operator = ?) AND EXISTS (SELECT 1 FROM exact_c c WHERE c.g && f.g))
         SELECT c.code, c.area_m2 AS "areaM2", coalesce(ST_Area(ST_Intersection(c.g, u.g, ?::float8)), 0) AS "coveredM2"
           FROM exact_c c CROSS JOIN u ORDER BY c.code`,
        [OVERLAY_GRID_M, group.technology, group.operator, group.operator, OVERLAY_GRID_M],
      );
      for (const r of rows as Array<{ code: string; areaM2: number; coveredM2: number }>) {
        figures.push({ ...group, communeCode: r.code, areaM2: r.areaM2, coveredM2: r.coveredM2, areaPct: r.areaM2 > 0 ? (100 * r.coveredM2) / r.areaM2 : 0 });
      }
      groupMs.push(performance.now() - t0);
    }
    return { figures, footprints, setupMs, groupMs };
  });
}

/** Largest and mean absolute difference, in points, between reference and engine area %. */
export function compareFigures(reference: readonly ReferenceFigure[], engine: readonly CoverageFigure[]) {
  const byKey = new Map(engine.map((f) => [`${f.communeCode}|${f.technology}|${f.operator}`, f]));
  const rows = reference.map((r) => {
    const e = byKey.get(`${r.communeCode}|${r.technology}|${r.operator}`);
    return { ...r, enginePct: e?.areaPct ?? Number.NaN, diff: e ? Math.abs(e.areaPct - r.areaPct) : Number.POSITIVE_INFINITY };
  });
  const worst = rows.reduce((a, b) => (b.diff > a.diff ? b : a), rows[0]);
  const mean = rows.reduce((s, r) => s + r.diff, 0) / Math.max(1, rows.length);
  return { rows, max: worst?.diff ?? 0, mean, worst };
}

// ---------------------------------------------------------------------------------------------

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => (x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)} ms`);
const mib = (kib: number) => `${Math.round(kib / 1024)} MiB`;
const today = () => new Date().toISOString().slice(0, 10);
/** CPU time (user + system) of this process since `from`, ms. */
const cpuMs = (from: NodeJS.CpuUsage) => { const d = process.cpuUsage(from); return (d.user + d.system) / 1000; };

const HEADER = ['operator', 'site_code', 'name', 'lon', 'lat', 'technology', 'band_mhz', 'height_m', 'azimuth_deg', 'beamwidth_deg', 'radius_m', 'status', 'commissioned_on', 'decommissioned_on'];
const cell = (v: unknown) => (v === null || v === undefined ? '' : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));

/** A CSV re-stating every radio of these stations with the antenna `deltaM` higher: each station is touched. */
async function heightChangeCsv(knex: Knex, stationIds: number[], deltaM: number): Promise<Buffer> {
  const { rows } = await knex.raw(
    `SELECT s.operator, s.site_code, s.name, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat, r.technology, r.band_mhz, s.height_m + ? AS height_m,
            r.azimuth_deg, r.beamwidth_deg, r.radius_m, r.status, to_char(r.commissioned_on, 'YYYY-MM-DD') AS commissioned_on,
            to_char(r.decommissioned_on, 'YYYY-MM-DD') AS decommissioned_on
       FROM stations s JOIN radios r ON r.station_id = s.id WHERE s.id IN (SELECT json_array_elements_text(?::json)::bigint) ORDER BY s.id, r.id`,
    [deltaM, JSON.stringify(stationIds)],
  );
  return Buffer.from([HEADER.join(','), ...rows.map((r: Record<string, unknown>) => HEADER.map((h) => cell(r[h])).join(','))].join('\n') + '\n');
}

async function main() {
  const { values } = parseArgs({ options: { 'naive-cap-s': { type: 'string', default: '60' }, postgis: { type: 'string', default: 'full' }, 'model-only': { type: 'boolean', default: false } } });
  const naiveCapMs = values['model-only'] ? 0 : Number(values['naive-cap-s']) * 1000;
  const t0 = performance.now();
  const { db, drop } = await throwawayDatabase(process.env.DATABASE_URL, 'bench_cov');
  const lines: string[][] = [];
  try {
    await migrateToLatest(db.knex);
    await importProvinceFolder(createCommunesRepo(db.knex), loadConfig().geodataDir);
    const demo = await loadDemoStations(db.knex);
    console.log(`${db.engine} engine (${db.where}); province + SYNTHETIC demo stations (${demo.write.counts.stationsInserted} sites, ${demo.write.counts.radiosInserted} radios) ready in ${ms(performance.now() - t0)}`);

    const repo = createCoverageRepo(db.knex);
    const coverage = createCoverageService(repo);

    // 1. Full recompute through the service (warm: it keeps the radios between runs; cold: a new
    // service reads communes and radios first), then the engine alone on the same input.
    const runs: number[] = [];
    for (let i = 0; i < 4; i++) {
      const s = performance.now();
      await coverage.recompute({ trigger: 'bench' });
      if (i > 0) runs.push(performance.now() - s);
    }
    const coldRuns: number[] = [];
    for (let i = 0; i < 3; i++) {
      const s = performance.now();
      await createCoverageService(repo).recompute({ trigger: 'bench' });
      coldRuns.push(performance.now() - s);
    }
    const communes = await repo.communes();
    const byCode = new Map(communes.map((c) => [c.code, c]));
    const rows = await repo.activeRadios(today());
    const radiusRuns: number[][] = [[], []];
    for (let i = 0; i < 3; i++) {
      let s = performance.now();
      toEngineRadios(rows, byCode, (explicit, site) => resolveRadiusM(explicit, site));
      radiusRuns[0].push(performance.now() - s);
      s = performance.now();
      toEngineRadios(rows, byCode);
      radiusRuns[1].push(performance.now() - s);
    }
    const radios = toEngineRadios(rows, byCode);
    const engineCommunes = communes.map((c) => ({ code: c.code, population: c.population, geometry: c.geometry }));
    const engineRuns: number[] = [];
    const engineCpu: number[] = [];
    let figures: CoverageFigure[] = [];
    for (let i = 0; i < 4; i++) {
      const s = performance.now();
      const c = process.cpuUsage();
      figures = computeCommuneCoverage(engineCommunes, radios);
      if (i > 0) engineRuns.push(performance.now() - s);
      if (i > 0) engineCpu.push(cpuMs(c));
    }
    const groups = [...new Map(figures.map((f) => [`${f.technology}|${f.operator}`, { technology: f.technology, operator: f.operator }])).values()];
    const fullMs = median(runs);
    const engineMs = median(engineRuns);
    const rssAfterEngine = process.resourceUsage().maxRSS;
    console.log(`full recompute: ${runs.map(ms).join(' / ')} (service); new service each time ${coldRuns.map(ms).join(' / ')}; engine alone ${engineRuns.map(ms).join(' / ')}; ${radios.length} radios, ${groups.length} groups, ${figures.length} figures`);
    console.log(`radii of ${rows.length} radios: resolveRadiusM each ${radiusRuns[0].map(ms).join(' / ')}; memoised ${radiusRuns[1].map(ms).join(' / ')}`);
    lines.push(['full recompute, service (engine + store; radios kept)', `148 communes × ${groups.length} groups`, ms(fullMs), '1×', '≤ 2 s']);
    lines.push(['  by a new service (reads communes + radios first)', 'same', ms(median(coldRuns)), '', '']);
    // CPU time of this process (engine: one thread, no I/O) is what a shared, loaded machine distorts least.
    lines.push(['  engine alone (computeCommuneCoverage)', 'same', ms(engineMs), '', `CPU ${ms(median(engineCpu))}`]);
    lines.push(['  radii (toEngineRadios): resolveRadiusM each / memoised', `${rows.length} radios`, `${ms(median(radiusRuns[0]))} / ${ms(median(radiusRuns[1]))}`, '', '']);

    // 2. After an import touching 100 stations: the recompute that follows (every commune, the
    // footprints cached). The service as server/app.ts builds it, but the recompute timed here.
    const stations = createStationsService({ stations: createStationsRepo(db.knex), imports: createImportsRepo(db.knex) });
    const scenarios: Array<[string, string]> = [
      ['100 viettel stations nearest Việt Trì', `SELECT s.id FROM stations s, communes c WHERE c.code = '07900' AND s.operator = 'viettel' ORDER BY s.geom <-> ST_Centroid(c.geom), s.id LIMIT 100`],
      ['100 stations spread over the province', `SELECT id FROM stations ORDER BY md5(site_code) LIMIT 100`],
    ];
    for (const [label, sql] of scenarios) {
      const ids = (await db.knex.raw(sql)).rows.map((r: { id: number }) => Number(r.id));
      const importRuns: number[] = [];
      const recomputeRuns: number[] = [];
      let touched = 0;
      for (let i = 0; i < 3; i++) {
        const csv = await heightChangeCsv(db.knex, ids, i % 2 === 0 ? 2 : -2);
        const s = performance.now();
        const report = await stations.importFile({ data: csv, fileName: 'bench.csv', contentType: 'text/csv', principal: { kind: 'local', user: 'bench' }, mode: 'merge', dryRun: false });
        const s1 = performance.now();
        // What server/services.ts does after a write: recompute.
        await coverage.recompute({ trigger: 'import', importId: report.importId });
        importRuns.push(s1 - s);
        recomputeRuns.push(performance.now() - s1);
        touched = report.counts.stationsUpdated;
      }
      console.log(`after an import, ${label}: ${touched} stations updated; import ${importRuns.map(ms).join(' / ')}; recompute ${recomputeRuns.map(ms).join(' / ')}`);
      lines.push([`after an import: ${label}`, '148 communes', ms(median(recomputeRuns)), `${(median(recomputeRuns) / fullMs).toFixed(2)}× full`, '≤ 300 ms']);
      lines.push(['  (its import: parse, validate, write)', `${touched} stations`, ms(median(importRuns)), '', '']);
    }

    // 2b. The model with the population grid and the terrain, against the old one.
    lines.push(...(await benchModel(db.knex, async (service) => {
      const ids = (await db.knex.raw(scenarios[1][1])).rows.map((r: { id: number }) => Number(r.id));
      const csv = await heightChangeCsv(db.knex, ids, 3);
      const report = await stations.importFile({ data: csv, fileName: 'bench.csv', contentType: 'text/csv', principal: { kind: 'local', user: 'bench' }, mode: 'merge', dryRun: false });
      const s = performance.now();
      await service.recompute({ trigger: 'import', importId: report.importId });
      return performance.now() - s;
    })));
    if (values['model-only']) values.postgis = 'none';

    // 3. Exact PostGIS, same figures.
    if (values.postgis !== 'none') {
      const chosen = groups;
      const exact = await exactPostgisCoverage(db.knex, radios, chosen);
      const cmp = compareFigures(exact.figures, figures);
      const total = exact.setupMs + exact.groupMs.reduce((a, b) => a + b, 0);
      console.log(`exact PostGIS: ${exact.footprints} footprints built in ${ms(exact.setupMs)}; groups ${chosen.map((g, i) => `${g.technology}/${g.operator} ${ms(exact.groupMs[i])}`).join(', ')}`);
      console.log(`exact PostGIS vs engine: max |Δ| ${cmp.max.toFixed(4)} points (${cmp.worst.communeCode} ${cmp.worst.technology}/${cmp.worst.operator}), mean ${cmp.mean.toFixed(5)} over ${cmp.rows.length} figures`);
      lines.push([`exact PostGIS (UTM 48N ST_Union + ST_Intersection)`, `148 × ${chosen.length} groups`, ms(total), `${(total / fullMs).toFixed(0)}×`, `max |Δ| ${cmp.max.toFixed(3)} pt`]);
    }

    // 4. The 5G 'all' figures of every commune by each method: engine, exact PostGIS, naive Turf.
    const sample: ReferenceGroup = { technology: '5G', operator: 'all' };
    const radios5g = radios.filter((r) => r.technology === '5G');
    const engine5gRuns: number[] = [];
    const engine5gCpu: number[] = [];
    for (let i = 0; i < 4; i++) {
      const s = performance.now();
      const c = process.cpuUsage();
      computeCommuneCoverage(engineCommunes, radios5g, { technologies: ['5G'] });
      if (i > 0) engine5gRuns.push(performance.now() - s);
      if (i > 0) engine5gCpu.push(cpuMs(c));
    }
    const engine5gMs = median(engine5gRuns);
    const figures5g = figures.filter((f) => f.technology === '5G' && f.operator === 'all');
    lines.push([`sample: 5G, all operators (${radios5g.length} footprints)`, '', '', '', '']);
    lines.push(['  engine (5G: all + 3 operators)', '148 × 4 groups', ms(engine5gMs), '1×', `CPU ${ms(median(engine5gCpu))}`]);
    if (values.postgis !== 'none') {
      const s = performance.now();
      const exact5g = await exactPostgisCoverage(db.knex, radios5g, [sample]);
      const t = performance.now() - s;
      lines.push(['  exact PostGIS', '148 × 1 group', ms(t), `${(t / engine5gMs).toFixed(0)}×`, `max |Δ| ${compareFigures(exact5g.figures, figures).max.toFixed(3)} pt`]);
    }
    // Skipped with --model-only.
    if (!values['model-only']) {
      // Naive: one turf.union of every footprint (64-step polygons), then turf.intersect with each
      // commune in code order until --naive-cap-s is spent; the rest is extrapolated from the mean.
      const n0 = performance.now();
      const nc = process.cpuUsage();
      const polys = radios5g.filter((r) => r.radiusM > 0).map((r) => ({ type: 'Feature', properties: {}, geometry: footprintPolygon(r) }) as Feature<Polygon>);
      const united = union(featureCollection(polys));
      const unionMs = performance.now() - n0;
      const i0 = performance.now();
      let naiveDiff = 0;
      let done = 0;
      for (const c of communes) {
        if (performance.now() - i0 > naiveCapMs) break;
        const cf: Feature<MultiPolygon> = { type: 'Feature', properties: {}, geometry: c.geometry };
        const inter = united ? intersect(featureCollection<Polygon | MultiPolygon>([cf, united])) : null;
        const pct = inter ? (100 * turfArea(inter)) / turfArea(cf) : 0;
        naiveDiff = Math.max(naiveDiff, Math.abs(pct - (figures5g.find((f) => f.communeCode === c.code)?.areaPct ?? 0)));
        done++;
      }
      const perCommuneMs = (performance.now() - i0) / done;
      const naiveMs = unionMs + perCommuneMs * communes.length;
      const naiveCpuMs = (cpuMs(nc) / (performance.now() - n0)) * naiveMs;
      const extrapolated = done < communes.length;
      console.log(`naive Turf 5G all: union of ${polys.length} footprints ${ms(unionMs)}; intersect ${done} communes, ${ms(perCommuneMs)} each`);
      lines.push([`  naive Turf union + intersect${extrapolated ? ` (${done} communes measured, rest extrapolated)` : ''}`, '148 × 1 group', `${extrapolated ? '≈ ' : ''}${ms(naiveMs)}`,
        `${(naiveMs / engine5gMs).toFixed(0)}×`, `CPU ≈ ${ms(naiveCpuMs)} (${(naiveCpuMs / median(engine5gCpu)).toFixed(0)}×); max |Δ| ${naiveDiff.toFixed(3)} pt; goal ≥ 20×`]);
      // The full naive recompute does this group and 21 more, with far larger 2G–4G footprints: a
      // single Turf union of thousands of discs exhausts the heap (test/bench/README.md).
      lines.push(['naive Turf, full recompute', `148 × ${groups.length} groups`, `> ${ms(naiveMs)}`, `> ${(naiveMs / fullMs).toFixed(0)}× full`, 'lower bound: its 5G-all part alone']);
    }
    lines.push(['peak RSS of this process', db.engine === 'embedded' ? 'includes PGlite' : 'Node only', mib(process.resourceUsage().maxRSS), '', `after engine runs: ${mib(rssAfterEngine)}`]);

    const widths = [0, 1, 2, 3, 4].map((i) => Math.max(...[['what', 'scope', 'time', 'ratio', 'note'], ...lines].map((l) => (l[i] ?? '').length)));
    const fmt = (l: string[]) => l.map((c, i) => (i === 2 || i === 3 ? (c ?? '').padStart(widths[i]) : (c ?? '').padEnd(widths[i]))).join('  ');
    console.log(`\nbench:coverage on ${db.engine} engine, ${os.cpus().length} cores, node ${process.version}, ${new Date().toISOString()}`);
    console.log(fmt(['what', 'scope', 'time', 'ratio', 'note']));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const l of lines) console.log(fmt(l));
  } finally {
    await drop();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(`bench:coverage: ${err instanceof Error ? err.stack : String(err)}`);
      process.exit(1);
    },
  );
}
