// The operator's upload screen against the real server: a file with bad rows is refused row by
// row (the same issues the API gives, sortable) and writes nothing; a good file goes through
// validation, write and recompute, appears in the history, then on the map.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { contrastFailures, mapIdle, renderedStations } from './map-page';
import { getJson, VIET_TRI } from './map-checks';
import { ROOT, testFetch } from './server-process';

const SAMPLES = path.join(ROOT, 'geodata/samples');
const GOOD_SITE = 'VTL-VTR-0001'; // geodata/samples/stations.csv, in Việt Trì

async function stationsIn(baseUrl: string, code: string): Promise<number> {
  let n = 0;
  let cursor: string | null = null;
  do {
    const page = await getJson(`${baseUrl}/api/stations?commune=${code}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    n += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return n;
}

/** Returns the upload page, its token saved (sessionStorage is per tab: the good upload reuses it). */
export async function checkBadUpload(context: BrowserContext, baseUrl: string, token: string, screenshotPath: string): Promise<Page> {
  const before = await stationsIn(baseUrl, VIET_TRI.code);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/upload.html`);
  await page.fill('#token', token);
  await page.click('#token-save');
  expect(await page.textContent('#token-status')).toContain(token.slice(-4));
  expect(await page.inputValue('#token')).toBe('');

  await page.setInputFiles('#file', path.join(SAMPLES, 'stations-bad.csv'));
  await page.click('#dry-run');
  await page.waitForSelector('#report[data-outcome="rejected"]');

  // The table holds exactly the API's issues for the same file and token.
  const form = new FormData();
  form.append('file', new Blob([readFileSync(path.join(SAMPLES, 'stations-bad.csv'))]), 'stations-bad.csv');
  const res = await testFetch(`${baseUrl}/api/stations/import?dryRun=true`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  expect(res.status).toBe(422);
  const problem = (await res.json()) as { issues: Array<{ row: number | null; column: string | null; message: string }> };
  const key = (row: string, column: string, message: string) => `${row}|${column}|${message}`;
  const fromApi = problem.issues.map((i) => key(i.row === null ? '—' : String(i.row), i.column ?? '—', i.message)).sort();
  const shown = await page.$$eval('#report table.issues tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
  expect(shown.map(([row, column, message]) => key(row, column, message)).sort()).toEqual(fromApi);
  const row3 = (await page.textContent('#report tr[data-row="3"]')) ?? '';
  expect(row3).toContain('lon');
  expect(row3).toContain('longitude is missing');

  // Sortable: by column, then the other way.
  await page.click('#report button[data-sort="column"]');
  expect(await page.getAttribute('#report th:has(button[data-sort="column"])', 'aria-sort')).toBe('ascending');
  const columns = await page.$$eval('#report table.issues tbody tr td:nth-child(2)', (tds) => tds.map((td) => td.textContent ?? ''));
  expect(columns.filter((c) => c !== '—')).toEqual([...columns.filter((c) => c !== '—')].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
  await page.click('#report button[data-sort="column"]');
  expect(await page.getAttribute('#report th:has(button[data-sort="column"])', 'aria-sort')).toBe('descending');

  expect(await page.isDisabled('#confirm')).toBe(true);
  expect(await page.getAttribute('[data-step="validate"]', 'data-state')).toBe('failed');
  await page.waitForSelector('#history tr[data-import-id]');
  expect(await page.textContent('#history tbody tr:first-child')).toContain('bị từ chối');
  expect(await stationsIn(baseUrl, VIET_TRI.code)).toBe(before);
  expect(await contrastFailures(page, 'body')).toEqual([]);
  await page.screenshot({ path: screenshotPath, fullPage: true });
  return page;
}

export async function checkGoodUpload(page: Page, baseUrl: string, screenshotPath: string): Promise<void> {
  await page.setInputFiles('#file', path.join(SAMPLES, 'stations.csv'));
  await page.click('#dry-run');
  await page.waitForSelector('#report[data-outcome="checked"]');
  expect(await page.isVisible('#report [data-count="radiosInserted"]')).toBe(true);
  expect(await page.isDisabled('#confirm')).toBe(false);
  await page.click('#confirm');
  await page.waitForSelector('#upload-done', { timeout: 120_000 });
  for (const step of ['validate', 'write', 'recompute']) expect(await page.getAttribute(`[data-step="${step}"]`, 'data-state'), step).toBe('done');

  const latest = (await getJson(`${baseUrl}/api/imports?limit=1`)).items[0];
  expect(latest).toMatchObject({ fileName: 'stations.csv', dryRun: false, status: 'succeeded', operator: 'viettel' });
  await page.waitForSelector(`#history tr.highlight[data-import-id="${latest.id}"]`);
  expect(await page.textContent(`#history tr[data-import-id="${latest.id}"]`)).toContain('thành công');
  await page.screenshot({ path: screenshotPath, fullPage: true });

  // The link opens the map on the first commune the upload touched, as the import's report says
  // (a file already uploaded touches none: the link then opens the province)…
  const record = await getJson(`${baseUrl}/api/imports/${latest.id}`);
  const first = (record.report.touchedCommunes as string[])[0];
  const touched = new URL((await page.getAttribute('#see-on-map', 'href'))!, baseUrl).hash.match(/c=(\d{5})/)?.[1];
  expect(touched).toBe(first);
  await page.click('#see-on-map');
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  await page.waitForSelector(first ? `#commune-panel[data-code="${first}"]` : '#tab-province[aria-selected="true"]');
  // …and in Việt Trì the new site is drawn.
  await page.goto(`${baseUrl}/#c=${VIET_TRI.code}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  await page.waitForFunction(() => !window.__phusong!.map.isMoving());
  await mapIdle(page);
  const sites = (await renderedStations(page)).map((s) => s.siteCode);
  expect(sites).toContain(GOOD_SITE);
  await page.close();
}
