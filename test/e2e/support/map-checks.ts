// Checks of the map page against the API: the choropleth, the commune panel, the date control and
// the province panel. Expected strings are built here with Intl (vi-VN), independently of the page.
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { BACKGROUND_COLOUR } from '../../../client/map/base-style';
import { bboxOf } from '../../../client/map/bbox';
import { colourAt } from '../../../client/map/choropleth';
import { FILL_OPACITY } from '../../../client/map/communes-layer';
import { blend, colourShares, hexToRgb } from './browser';
import { screenPoint } from './map-page';
import { testFetch } from './server-process';

export const VIET_TRI = { code: '07900', fullName: 'Phường Việt Trì' };
const TARGET_5G = 'pt-2026-5g-coverage';

const int = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const pctFmt = new Intl.NumberFormat('vi-VN', { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 1 });
export const pct = (points: number) => pctFmt.format(points / 100);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** GET, once: a server error is a failure of the test, never retried away. */
export async function getJson(url: string): Promise<Json> {
  const res = await testFetch(url);
  expect(res.status, url).toBe(200);
  return (await res.json()) as Json;
}

/** How many communes the server holds: what the map must draw, whatever the province. */
export async function communeCount(baseUrl: string): Promise<number> {
  const { count } = await getJson(`${baseUrl}/api/communes`);
  expect(count).toBeGreaterThan(0);
  return count as number;
}

async function fivegThreshold(baseUrl: string): Promise<number> {
  const targets = await getJson(`${baseUrl}/api/targets`);
  return (targets.items as Json[]).find((t) => t.code === TARGET_5G)!.threshold as number;
}

/** Every commune's value (feature-state) is the API's; those below the target are outlined; the pixels agree. */
export async function checkChoropleth(page: Page, context: BrowserContext, baseUrl: string, screenshotPath: string): Promise<void> {
  const threshold = await fivegThreshold(baseUrl);
  const state = await page.evaluate(() => window.__phusong!.state());
  expect(state).toMatchObject({ metric: '5g_population_pct', targetId: TARGET_5G, threshold });
  const api = await getJson(`${baseUrl}/api/coverage?technology=5G&operator=all`);
  const figures = (api.communes as Json[]).filter((f) => f.operator === 'all');
  const communesTotal = await communeCount(baseUrl);
  expect(figures).toHaveLength(communesTotal);
  const states = await page.evaluate(
    (codes) => codes.map((id) => window.__phusong!.map.getFeatureState({ source: 'communes', id })),
    figures.map((f) => f.communeCode as string),
  );
  figures.forEach((f, i) => {
    expect(states[i].value, f.communeCode).toBe(f.populationPct);
    expect(states[i].miss, f.communeCode).toBe(f.populationPct < threshold - 1e-9);
  });
  const missing = figures.filter((f) => f.populationPct < threshold - 1e-9).length;
  console.log(`[e2e] choropleth: ${missing} of ${communesTotal} communes below ${threshold} % 5G population coverage`);

  const legend = (await page.textContent('#legend')) ?? '';
  expect(legend).toContain(`Chỉ tiêu ${pct(threshold)}`);
  expect(legend).toContain('chưa đạt chỉ tiêu');

  // On screen: the five largest communes' colours (value → diverging scale, over the background).
  const communes = await getJson(`${baseUrl}/api/communes`);
  const largest = (communes.items as Json[]).sort((a, b) => b.areaKm2 - a.areaKm2).slice(0, 5);
  const background = hexToRgb(BACKGROUND_COLOUR);
  const expected = largest.map((c) => {
    const value = figures.find((f) => f.communeCode === c.code)!.populationPct as number;
    return blend(hexToRgb(colourAt(value, threshold)), background, FILL_OPACITY.rest);
  });
  const png = await page.screenshot({ path: screenshotPath });
  const shares = await colourShares(context, png, expected, 10);
  expect(shares.reduce((a, b) => a + b, 0)).toBeGreaterThan(0.03);
}

/**
 * The static first frame, with MapLibre's chunk held back: every commune drawn in the API's
 * colours against the target, those that miss it outlined, the sources credited, the first paint
 * marked while the map is not ready. Once the chunk is let through, MapLibre draws the communes
 * where the static frame had them (within a pixel) and the static frame is gone.
 */
export async function checkStaticFrame(context: BrowserContext, baseUrl: string, screenshotPath: string): Promise<void> {
  const threshold = await fivegThreshold(baseUrl);
  const api = await getJson(`${baseUrl}/api/coverage?technology=5G&operator=all`);
  const figures = new Map((api.communes as Json[]).filter((f) => f.operator === 'all').map((f) => [f.communeCode as string, f.populationPct as number]));
  const overview = await getJson(`${baseUrl}/api/communes?format=geojson&geometry=overview`);

  const page = await context.newPage();
  let release: () => void = () => undefined;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/atlas-[^/]+\.js$/, async (route) => {
    await held;
    await route.continue();
  });
  try {
    await page.goto(`${baseUrl}/`);
    await page.waitForSelector('body[data-first-paint-ms]');
    expect(await page.getAttribute('body', 'data-ready')).toBeNull();
    const frame = '[data-testid="static-map"]';
    const fills = await page.$$eval(`${frame} g:first-of-type path`, (paths) => paths.map((p) => [p.getAttribute('data-code')!, p.getAttribute('fill')!]));
    expect(fills).toHaveLength(figures.size);
    expect(figures.size).toBe(await communeCount(baseUrl));
    for (const [code, fill] of fills) expect(fill, code).toBe(colourAt(figures.get(code)!, threshold));
    const outlined = await page.$$eval(`${frame} g:last-of-type path`, (paths) => paths.map((p) => p.getAttribute('data-code')!));
    expect(outlined.sort()).toEqual([...figures].filter(([, v]) => v < threshold - 1e-9).map(([c]) => c).sort());
    const credit = (await page.textContent(frame)) ?? '';
    for (const part of ['thanglequoc/vietnamese-provinces-database', 'tranngocminhhieu/vietnamadminunits', 'GSO']) expect(credit).toContain(part);
    expect(await page.textContent('#legend')).toContain(`Chỉ tiêu ${pct(threshold)}`);
    await page.screenshot({ path: screenshotPath });
    // The outline's own box (getBBox) on screen; the element's client rect would add the stroke and its mitres.
    const drawnAt = await page.$eval(`${frame} g:first-of-type path[data-code="${VIET_TRI.code}"]`, (path) => {
      const box = (path as SVGPathElement).getBBox();
      const m = (path as SVGPathElement).getScreenCTM()!;
      return { x: box.x * m.a + m.e, y: box.y * m.d + m.f, width: box.width * m.a, height: box.height * m.d };
    });

    release();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator(frame).count()).toBe(0);
    const feature = (overview.features as Json[]).find((f) => f.properties.code === VIET_TRI.code)!;
    const [west, south, east, north] = bboxOf({ type: 'FeatureCollection', features: [feature as GeoJSON.Feature] })!;
    const nw = await screenPoint(page, [west, north]);
    const se = await screenPoint(page, [east, south]);
    for (const [got, want] of [[nw.x, drawnAt.x], [nw.y, drawnAt.y], [se.x, drawnAt.x + drawnAt.width], [se.y, drawnAt.y + drawnAt.height]]) {
      expect(Math.abs(got - want), `MapLibre ${got.toFixed(1)} px, static frame ${want.toFixed(1)} px`).toBeLessThan(1);
    }
  } finally {
    release();
    await page.close();
  }
}

/** Sites with a radio on air today, by the README's rule (not planned, commissioned, not decommissioned). */
async function sitesOnAir(baseUrl: string, code: string): Promise<number> {
  const today = new Date().toISOString().slice(0, 10);
  let count = 0;
  let cursor: string | null = null;
  do {
    const page = await getJson(`${baseUrl}/api/stations?commune=${code}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    for (const s of page.items as Json[]) {
      const on = (s.radios as Json[]).some((r) => r.status !== 'planned' && (!r.commissionedOn || r.commissionedOn <= today) && (!r.decommissionedOn || r.decommissionedOn > today) && !(r.status === 'decommissioned' && !r.decommissionedOn));
      if (on) count += 1;
    }
    cursor = page.nextCursor;
  } while (cursor);
  return count;
}

export async function checkCommunePanel(page: Page, baseUrl: string): Promise<void> {
  const code = VIET_TRI.code;
  const [list, coverage, broadband, stations, threshold] = await Promise.all([
    getJson(`${baseUrl}/api/communes?format=geojson`), getJson(`${baseUrl}/api/communes/${code}/coverage`),
    getJson(`${baseUrl}/api/broadband?commune=${code}`), sitesOnAir(baseUrl, code), fivegThreshold(baseUrl),
  ]);
  const props = (list.features as Json[]).find((f) => f.properties.code === code)!.properties;
  const value = coverage.technologies['5G'].populationPct as number;
  await page.waitForSelector('[data-field="stations-total"]');
  await page.waitForFunction((v) => document.querySelector('[data-field="metric-value"]')?.textContent === v, pct(value));

  const text = async (field: string) => (await page.textContent(`#commune-panel [data-field="${field}"]`))?.trim() ?? '';
  expect(await page.textContent('#commune-name')).toBe(VIET_TRI.fullName);
  expect(await text('population')).toBe(`${int.format(props.population)} người`);
  expect((await text('households')).startsWith(int.format(props.households))).toBe(true);
  expect(await text('area')).toBe(`${new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 }).format(props.areaKm2)} km²`);
  // The people behind the target are shown exactly when the commune misses it.
  const behind = await page.locator('#commune-panel [data-field="people-behind"]').allTextContents();
  const peopleToReach = int.format(Math.ceil(((threshold - value) / 100) * props.population - 1e-9));
  expect(behind).toEqual(value < threshold - 1e-9 ? [expect.stringContaining(peopleToReach)] : []);
  const fiber = (broadband.communes as Json[]).find((c) => c.communeCode === code);
  expect(fiber, `the broadband answer has a row for ${code}`).toBeDefined();
  expect(await text('fiber')).toBe(pct(fiber!.fiberPct));
  const totals = page.locator('#commune-panel [data-field="stations-total"] td');
  expect(await totals.last().textContent()).toBe(int.format(stations));
  // Bars: one per technology, with the API's figure next to it.
  const bars = await page.$$eval('#commune-panel .bar-chart:first-of-type .bar-row', (rows) => rows.map((r) => [r.querySelector('.bar-label')?.textContent, r.querySelector('.bar-value')?.textContent]));
  for (const [tech, shown] of bars) expect(shown, tech ?? '').toBe(pct(coverage.technologies[tech!]?.populationPct ?? 0));
  // The printable report and the exports answer.
  const exports = await page.$$eval('#commune-panel .exports a', (as) => as.map((a) => (a as HTMLAnchorElement).href));
  expect(exports.length).toBeGreaterThan(0);
  for (const href of exports) {
    const res = await testFetch(href);
    expect(res.status, href).toBe(200);
  }
}

/** YYYY-MM-DD one day before `iso`. */
const dayBefore = (iso: string): string => new Date(Date.parse(`${iso}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/**
 * A past date on which the commune's 5G figure differs from today's, read from its stations: the
 * day before its first 5G radio went on air.
 */
async function dayBeforeFirst5g(baseUrl: string, code: string): Promise<string> {
  const today = new Date().toISOString().slice(0, 10);
  const dates: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await getJson(`${baseUrl}/api/stations?commune=${code}&technology=5G&limit=1000${cursor ? `&cursor=${cursor}` : ''}`);
    for (const s of page.items as Json[]) {
      for (const r of s.radios as Json[]) if (r.technology === '5G' && r.status !== 'planned' && r.commissionedOn && r.commissionedOn <= today) dates.push(r.commissionedOn as string);
    }
    cursor = page.nextCursor;
  } while (cursor);
  expect(dates.length, `${code} has dated 5G radios, so its 5G figure has a past to show`).toBeGreaterThan(0);
  return dayBefore(dates.sort()[0]);
}

export async function checkDateControl(page: Page, baseUrl: string): Promise<void> {
  const code = VIET_TRI.code;
  const day = await dayBeforeFirst5g(baseUrl, code);
  const [past, today, pastAll] = await Promise.all([
    getJson(`${baseUrl}/api/communes/${code}/coverage?asOf=${day}`), getJson(`${baseUrl}/api/communes/${code}/coverage`),
    getJson(`${baseUrl}/api/coverage?technology=5G&operator=all&asOf=${day}`),
  ]);
  const pastValue = (past.technologies['5G']?.populationPct ?? 0) as number;
  const todayValue = today.technologies['5G'].populationPct as number;
  expect(pastValue, `5G in ${code} on ${day} and today`).not.toBe(todayValue);
  await page.fill('#as-of', day);
  await page.waitForFunction((v) => document.querySelector('[data-field="metric-value"]')?.textContent === v, pct(pastValue));
  const mapPast = (pastAll.communes as Json[]).find((f) => f.communeCode === code && f.operator === 'all')?.populationPct ?? 0;
  await page.waitForFunction(
    ([c, v]) => window.__phusong!.map.getFeatureState({ source: 'communes', id: c as string }).value === v,
    [code, mapPast] as const,
  );
  expect(new URL(page.url()).hash).toContain(`d=${day}`);
  expect(await page.textContent('#legend')).toContain(day.split('-').reverse().join('/'));
  await page.click('#as-of-today');
  await page.waitForFunction((v) => document.querySelector('[data-field="metric-value"]')?.textContent === v, pct(todayValue));
}

export async function checkProvincePanel(page: Page, baseUrl: string): Promise<void> {
  const [gaps, summary] = await Promise.all([getJson(`${baseUrl}/api/gaps?target=${TARGET_5G}`), getJson(`${baseUrl}/api/summary`)]);
  await page.click('#tab-province');
  await page.waitForSelector('#province-panel .missing-item');
  await page.waitForFunction((n) => document.querySelectorAll('#province-panel .missing-item').length === n, gaps.items.length);
  const codes = await page.$$eval('#province-panel .missing-item', (els) => els.map((e) => (e as HTMLElement).dataset.code));
  expect(codes).toEqual((gaps.items as Json[]).map((g) => g.code));
  const target = (summary.targets as Json[]).find((t) => t.code === TARGET_5G)!;
  expect(await page.textContent(`[data-target="${TARGET_5G}"] [data-field="target-value"]`)).toBe(pct(target.status.value));
  expect(await page.textContent(`[data-target="${TARGET_5G}"]`)).toContain(target.status.met ? 'Đạt' : 'Chưa đạt');
  // A reported area figure has the last stored run's figure beside it.
  const reported = (summary.reported as Json[]).find((r) => r.code === 'pt-2026-4g-area');
  expect(reported?.computed, 'the summary computes the reported 4G area figure').toBeTruthy();
  expect(await page.textContent('tr[data-reported="pt-2026-4g-area"] td:last-child')).toBe(pct(reported!.computed.value));
  const first = gaps.items[0].code as string;
  await page.click(`#province-panel .missing-item[data-code="${first}"]`);
  await page.waitForSelector(`#commune-panel[data-code="${first}"]`);
  await page.waitForFunction(() => !window.__phusong!.map.isMoving());
  const inView = await page.evaluate((c) => window.__phusong!.map.queryRenderedFeatures({ layers: ['communes-fill'] }).some((f) => f.id === c), first);
  expect(inView).toBe(true);
}
