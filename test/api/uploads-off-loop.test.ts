import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { createApp } from '../../server/app';
import { createJobs } from '../../server/jobs/jobs';
import { createServices } from '../../server/services';
import { createImportsRepo } from '../../server/stations/imports.repo';
import { createStationsRepo, type StationsRepo } from '../../server/stations/stations.repo';
import { createStationsService } from '../../server/stations/stations.service';
import { oneCellRows, provinceCommunes, stationCsv } from '../../scripts/lib/upload-files';
import { ENGINES, openTestDatabase, type TestDatabase } from '../helpers/db';
import { makeTokens } from '../helpers/tokens';

// Issue 14: uploads must not stall the server, and what the token decides is decided first.
describe.each(ENGINES)('uploads off the event loop on the %s engine', (engine) => {
  let db: TestDatabase;
  let app: Express;
  let t: Awaited<ReturnType<typeof makeTokens>>;
  const scalar = async (sql: string) => Number(Object.values((await db.knex.raw(sql)).rows[0])[0]);
  const written = () => scalar('SELECT (SELECT count(*) FROM radios) + (SELECT count(*) FROM broadband) + (SELECT count(*) FROM imports)');
  const post = (target: Express, path: string, body: Buffer, token: string) =>
    request(target).post(path).set('Content-Type', 'text/csv').set('Authorization', token).send(body);

  beforeAll(async () => {
    db = await openTestDatabase(engine);
    app = createApp({ db, config: db.config });
    t = await makeTokens(db.knex);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('refuses a station file over the row limit, naming the limit, without reading it all', async () => {
    const before = await scalar('SELECT count(*) FROM radios');
    // 3,000,000 one-cell rows under a station header (6 MB): read to the end, a minute of csv-parse.
    const res = await post(app, '/api/stations/import', oneCellRows(3_000_000), t.admin).expect(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.issues).toEqual([expect.objectContaining({ severity: 'error', row: null, message: expect.stringContaining('more than 100000 data rows') })]);
    expect(await scalar('SELECT count(*) FROM radios')).toBe(before);
  });

  it('refuses a broadband file over its row limit, naming the limit', async () => {
    const rows = Buffer.concat([Buffer.from('commune_code,operator,as_of,households_passed,subscriptions\n'), Buffer.alloc(2 * 1_000_000, '1\n')]);
    const res = await post(app, '/api/broadband/import', rows, t.admin).expect(422);
    expect(res.body.issues).toEqual([expect.objectContaining({ row: null, message: expect.stringContaining('more than 50000 data rows') })]);
  });

  it('refuses a planner (403) before the body is read: no 422 for its file, no 413 for its size', async () => {
    // Without an operator column this would be a 422 for an admin; from a planner it is a 403.
    const noOperator = Buffer.from('site_code,name,lon,lat,technology,band_mhz\nVT-A,Gia Cẩm,105.4012,21.3225,4G,1800\n');
    const before = await written();
    const stations = await post(app, '/api/stations/import', noOperator, t.planner).expect(403);
    expect(stations.body.detail).toMatch(/planner/);
    await post(app, '/api/broadband/import', Buffer.from('commune_code,as_of,households_passed,subscriptions\n07900,2026-01-31,10,5\n'), t.planner).expect(403);
    // Larger than the deployment accepts: reading the body would answer 413.
    const small = createApp({ db, config: { ...db.config, maxUploadBytes: 64 } });
    const big = Buffer.alloc(4096, 'x');
    await post(small, '/api/stations/import', big, t.planner).expect(403);
    await post(small, '/api/broadband/import', big, t.planner).expect(403);
    // An operator naming another operator is refused the same way; its own name gets as far as the size check.
    await post(small, '/api/stations/import?operator=viettel', big, t.mobifone).expect(403);
    await post(small, '/api/broadband/import?operator=viettel', big, t.mobifone).expect(403);
    await post(small, '/api/stations/import?operator=mobifone', big, t.mobifone).expect(413);
    await post(small, '/api/stations/import', big, t.admin).expect(413);
    expect(await written()).toBe(before);
  });

  it('answers a read while a large dry run is still being parsed', async () => {
    const communes = await provinceCommunes();
    const repo = createStationsRepo(db.knex);
    const events: string[] = [];
    // The first database step after parsing and row checks: the stations are located.
    const watched: StationsRepo = { ...repo, locate: (points) => { if (!events.includes('locate')) events.push('locate'); return repo.locate(points); } };
    const services = createServices(db, createJobs());
    const service = createStationsService({ stations: watched, imports: createImportsRepo(db.knex) });
    const reader = createApp({ db, config: db.config, services });
    let read: Promise<number> | null = null;
    const report = await service.importFile(
      { data: stationCsv(40_000, communes, 'R'), fileName: 'big.csv', contentType: 'text/csv', principal: { kind: 'local', user: 'test' }, mode: 'merge', dryRun: true },
      (phase) => {
        if (phase !== 'validating') return;
        read = request(reader).get('/api/communes/07900/coverage').then((res) => { events.push('read'); return res.status; });
      },
    );
    events.push('dry run done');
    expect(report.rows).toBe(40_000);
    expect(await read).toBe(200);
    expect(events).toEqual(['read', 'locate', 'dry run done']);
  });

  it('still reports every error with its row and column, across the chunks rows come back in', async () => {
    const communes = await provinceCommunes();
    const lines = stationCsv(5_000, communes, 'E').toString().split('\n');
    const header = lines[0].split(',');
    const band = header.indexOf('band_mhz');
    const lat = header.indexOf('lat');
    const broken = (line: string, k: number, value: string) => line.split(',').map((c, i) => (i === k ? value : c)).join(',');
    // Rows as a spreadsheet shows them: line index + 1.
    lines[2499] = broken(lines[2499], band, '123');
    lines[4998] = broken(lines[4998], lat, 'north');
    const res = await post(app, '/api/stations/import?dryRun=true', Buffer.from(lines.join('\n')), t.admin).expect(422);
    expect(res.body.issues.filter((i: { severity: string }) => i.severity === 'error').map((i: { row: number; column: string }) => [i.row, i.column])).toEqual([
      [2500, 'band_mhz'],
      [4999, 'lat'],
    ]);
  });
});
