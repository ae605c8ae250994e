/**
 * After an import the service recomputes the figures from the radios as they now are (every
 * commune: footprints are cached, so that costs one engine sweep). Whatever the import did (add,
 * move, re-height or take stations off air, a `replace` upload, an operator's first radio of a
 * technology), the stored figures must then be exactly those a fresh service computes: no cache
 * (radios read, footprints kept) may hold on to a radio as it was.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../server/app';
import { createCoverageRepo } from '../../server/coverage/coverage.repo';
import { createCoverageService } from '../../server/coverage/coverage.service';
import { loadDemoStations } from '../../server/stations/demo/load-demo';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';
import { makeTokens } from '../helpers/tokens';

const HEADER = ['operator', 'site_code', 'name', 'lon', 'lat', 'technology', 'band_mhz', 'height_m', 'azimuth_deg', 'beamwidth_deg', 'radius_m', 'status', 'commissioned_on', 'decommissioned_on'];
const today = () => new Date().toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Row = Record<string, string | number | null>;
const cell = (v: unknown) => (v === null || v === undefined ? '' : /[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const csv = (rows: Row[]) => Buffer.from([HEADER.join(','), ...rows.map((r) => HEADER.map((h) => cell(r[h])).join(','))].join('\n') + '\n');

describe.each(ENGINES)('coverage after imports on the %s engine', (engine) => {
  let db: TestDatabase;
  let app: Express;
  let admin: string;

  /** Every radio of these stations as an upload row, with `change` applied to each. */
  async function restate(siteCodes: string[], change: (r: Row) => Row = (r) => r): Promise<Row[]> {
    const { rows } = await db.knex.raw(
      `SELECT s.operator, s.site_code, s.name, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat, r.technology, r.band_mhz, s.height_m, r.azimuth_deg,
              r.beamwidth_deg, r.radius_m, r.status, to_char(r.commissioned_on, 'YYYY-MM-DD') AS commissioned_on,
              to_char(r.decommissioned_on, 'YYYY-MM-DD') AS decommissioned_on
         FROM stations s JOIN radios r ON r.station_id = s.id WHERE s.site_code IN (SELECT json_array_elements_text(?::json)) ORDER BY s.id, r.id`,
      [JSON.stringify(siteCodes)],
    );
    return rows.map(change);
  }

  /** Uploads rows as an admin, waits for the recompute it starts, and returns the run. */
  async function importAndWait(rows: Row[], mode: 'merge' | 'replace' = 'merge', operator?: string) {
    const res = await request(app).post(`/api/stations/import?mode=${mode}${operator ? `&operator=${operator}` : ''}`)
      .set('Authorization', admin).set('Content-Type', 'text/csv').send(csv(rows)).expect(201);
    expect(res.body.recomputeJobId).toEqual(expect.any(Number));
    for (let i = 0; i < 1200; i++) {
      const job = (await request(app).get(`/api/coverage/jobs/${res.body.recomputeJobId}`).expect(200)).body;
      if (job.status === 'failed') throw new Error(`recompute failed: ${job.error}`);
      if (job.status === 'succeeded') return { report: res.body, run: job.result as { runId: number; scope: string; communes: number } };
      await sleep(50);
    }
    throw new Error('recompute did not finish');
  }

  /** Every stored figure, keyed; the run that stored it left out. */
  async function stored() {
    const figures = await createCoverageRepo(db.knex).figures({});
    return new Map(figures.map((f) => [`${f.communeCode}|${f.technology}|${f.operator}`,
      [f.areaKm2, f.coveredKm2, f.areaPct, f.population, f.coveredPopulation, f.populationPct]]));
  }

  /** The figures stored now must be exactly those of a fresh service's full recompute. */
  async function expectSameAsFullRecompute() {
    const incremental = await stored();
    await createCoverageService(createCoverageRepo(db.knex)).recompute({ trigger: 'test' });
    const full = await stored();
    expect(incremental.size).toBe(full.size);
    const differing = [...full].filter(([key, values]) => JSON.stringify(incremental.get(key)) !== JSON.stringify(values)).map(([key]) => key);
    expect(differing).toEqual([]);
  }

  const communeCount = async () => Number((await db.knex.raw('SELECT count(*) AS n FROM communes')).rows[0].n);
  const communeOf = async (siteCode: string) => (await db.knex.raw('SELECT commune_code FROM stations WHERE site_code = ?', [siteCode])).rows[0].commune_code as string;
  const runOfCommune = async (code: string) => Number((await db.knex.raw("SELECT max(run_id) AS id FROM commune_coverage WHERE commune_code = ?", [code])).rows[0].id);

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    await loadDemoStations(db.knex);
    app = createApp({ db, config: db.config });
    admin = (await makeTokens(db.knex)).admin;
    // The app's first full run: from then on it knows which radios the stored figures come from.
    const res = await request(app).post('/api/coverage/recompute').set('Authorization', admin).expect(202);
    for (let i = 0; i < 1200; i++) {
      if ((await request(app).get(`/api/coverage/jobs/${res.body.id}`)).body.status === 'succeeded') break;
      await sleep(100);
    }
  });
  afterAll(async () => {
    await db?.close();
  });

  it('adds stations: every commune recomputed, figures as a fresh full run', async () => {
    const { run, report } = await importAndWait([
      { operator: 'viettel', site_code: 'INC-1', name: 'Gia Cẩm', lon: 105.4012, lat: 21.3225, technology: '5G', band_mhz: 3500, height_m: 30, azimuth_deg: 120, beamwidth_deg: 65, status: 'active', commissioned_on: '2020-01-01' },
      { operator: 'viettel', site_code: 'INC-2', name: 'Nông Trang', lon: 105.3871, lat: 21.3337, technology: '4G', band_mhz: 1800, height_m: 30, status: 'active', commissioned_on: '2020-01-01' },
      { operator: 'vnpt', site_code: 'INC-3', name: 'Far', lon: 105.05, lat: 20.85, technology: '4G', band_mhz: 900, height_m: 40, radius_m: 9000, status: 'active', commissioned_on: '2020-01-01' },
    ]);
    expect(report.counts.stationsInserted).toBe(3);
    expect(run.scope).toBe('full');
    expect(run.communes).toBe(await communeCount());
    await expectSameAsFullRecompute();
  });

  it('moves stations (near and across the province) and changes a height', async () => {
    const { rows } = await db.knex.raw(
      `SELECT site_code FROM stations WHERE operator = 'mobifone' AND site_code LIKE 'DEMO-%' ORDER BY md5(site_code) LIMIT 3`,
    );
    const [near, far, taller] = rows.map((r: { site_code: string }) => r.site_code);
    const leftCommune = await communeOf(far);
    const moved = [
      ...(await restate([near], (r) => ({ ...r, lon: Number(r.lon) + 0.03, lat: Number(r.lat) - 0.02 }))),
      ...(await restate([far], (r) => ({ ...r, lon: 105.2, lat: 20.6 }))),
      ...(await restate([taller], (r) => ({ ...r, height_m: Number(r.height_m) + 15 }))),
    ];
    const { run, report } = await importAndWait(moved);
    expect(report.counts.stationsUpdated).toBe(3);
    expect(run.scope).toBe('full');
    // The commune the far station left is recomputed although no station of the file stands in it now.
    expect(await communeOf(far)).not.toBe(leftCommune);
    expect(await runOfCommune(leftCommune)).toBe(run.runId);
    await expectSameAsFullRecompute();
  });

  it('takes stations off air, by their status and by a replace upload', async () => {
    const { rows } = await db.knex.raw(`SELECT site_code FROM stations WHERE operator = 'vnpt' AND site_code LIKE 'DEMO-%' ORDER BY md5(site_code || 'x') LIMIT 2`);
    const off = await restate(rows.map((r: { site_code: string }) => r.site_code), (r) => ({ ...r, status: 'decommissioned', decommissioned_on: today() }));
    const first = await importAndWait(off);
    expect(first.report.counts.radiosUpdated).toBe(off.length);
    await expectSameAsFullRecompute();

    // gmobile's complete list without five of its sites: those are decommissioned by the upload.
    const { rows: sites } = await db.knex.raw(`SELECT site_code FROM stations WHERE operator = 'gmobile' ORDER BY site_code`);
    const kept = sites.slice(5).map((r: { site_code: string }) => r.site_code);
    const second = await importAndWait(await restate(kept), 'replace', 'gmobile');
    expect(second.report.counts.radiosDecommissioned).toBeGreaterThan(0);
    await expectSameAsFullRecompute();
  });

  it("gives every commune a row when an operator gets its first radio of a technology", async () => {
    const { run } = await importAndWait([
      { operator: 'vietnamobile', site_code: 'INC-VNM-5G', name: 'First 5G', lon: 105.40, lat: 21.31, technology: '5G', band_mhz: 3500, height_m: 30, status: 'active', commissioned_on: '2020-01-01' },
    ]);
    expect(run).toMatchObject({ scope: 'full', communes: await communeCount() });
    await expectSameAsFullRecompute();
    const figures = await request(app).get('/api/coverage?technology=5G&operator=vietnamobile').expect(200);
    expect(figures.body.communes).toHaveLength(await communeCount());
  });
});
