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

export const VIET_TRI = { code: '07900', fullName: 'Phường Việt Trì' };
const TARGET_5G = 'pt-2026-5g-coverage';

const int = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 });
const pctFmt = new Intl.NumberFormat('vi-VN', { style: 'percent', minimumFractionDigits: 0, maximumFractionDigits: 1 });
export const pct = (points: number) => pctFmt.format(points / 100);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** GET with one retry on a server error (as the page does), which is printed. */
export async function fetchRead(url: string): Promise<Response> {
  const res = await fetch(url);
  if (res.status < 500) return res;
  console.warn(`[e2e] server answered ${res.status} to ${url}; retrying once`);
  await new Promise((r) => setTimeout(r, 400));
  return fetch(url);
}

export async function getJson(url: string): Promise<Json> {
  const res = await fetchRead(url);
  expect(res.status, url).toBe(200);
  return (await res.json()) as Json;
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
  expect(figures).toHaveLength(148);
  const states = await page.evaluate(
    (codes) => codes.map((id) => window.__phusong!.map.getFeatureState({ source: 'communes', id })),
    figures.map((f) => f.communeCode as string),
  );
  figures.forEach((f, i) => {
    expect(states[i].value, f.communeCode).toBe(f.populationPct);
    expect(states[i].miss, f.communeCode).toBe(f.populationPct < threshold - 1e-9);
  });
  const missing = figures.filter((f) => f.populationPct < threshold - 1e-9).length;
  console.log(`[e2e] choropleth: ${missing} of 148 communes below ${threshold} % 5G population coverage`);

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
 * The static first frame, with MapLibre's chunk held back: the 148 communes drawn in the API's
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
    expect(fills).toHaveLength(148);
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
  if (value < threshold) {
    expect(await text('people-behind')).toContain(int.format(Math.ceil(((threshold - value) / 100) * props.population - 1e-9)));
  }
  const fiber = (broadband.communes as Json[]).find((c) => c.communeCode === code);
  if (fiber) expect(await text('fiber')).toBe(pct(fiber.fiberPct));
  const totals = page.locator('#commune-panel [data-field="stations-total"] td');
  expect(await totals.last().textContent()).toBe(int.format(stations));
  // Bars: one per technology, with the API's figure next to it.
  const bars = await page.$$eval('#commune-panel .bar-chart:first-of-type .bar-row', (rows) => rows.map((r) => [r.querySelector('.bar-label')?.textContent, r.querySelector('.bar-value')?.textContent]));
  for (const [tech, shown] of bars) expect(shown, tech ?? '').toBe(pct(coverage.technologies[tech!]?.populationPct ?? 0));
  // The printable report and the exports answer.
  for (const href of await page.$$eval('#commune-panel .exports a', (as) => as.map((a) => (a as HTMLAnchorElement).href))) {
    const res = await fetchRead(href);
    expect(res.status, href).toBe(200);
  }
}

export async function checkDateControl(page: Page, baseUrl: string): Promise<void> {
  const day = '2025-09-01';
  const code = VIET_TRI.code;
  const [past, today, pastAll] = await Promise.all([
    getJson(`${baseUrl}/api/communes/${code}/coverage?asOf=${day}`), getJson(`${baseUrl}/api/communes/${code}/coverage`),
    getJson(`${baseUrl}/api/coverage?technology=5G&operator=all&asOf=${day}`),
  ]);
  const pastValue = (past.technologies['5G']?.populationPct ?? 0) as number;
  const todayValue = today.technologies['5G'].populationPct as number;
  expect(pastValue).not.toBe(todayValue);
  await page.fill('#as-of', day);
  await page.waitForFunction((v) => document.querySelector('[data-field="metric-value"]')?.textContent === v, pct(pastValue));
  const mapPast = (pastAll.communes as Json[]).find((f) => f.communeCode === code && f.operator === 'all')?.populationPct ?? 0;
  await page.waitForFunction(
    ([c, v]) => window.__phusong!.map.getFeatureState({ source: 'communes', id: c as string }).value === v,
    [code, mapPast] as const,
  );
  expect(new URL(page.url()).hash).toContain(`d=${day}`);
  expect(await page.textContent('#legend')).toContain('01/09/2025');
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
  const reported = (summary.reported as Json[]).find((r) => r.code === 'pt-2026-4g-area');
  if (reported?.computed) {
    expect(await page.textContent('tr[data-reported="pt-2026-4g-area"] td:last-child')).toBe(pct(reported.computed.value));
  }
  const first = gaps.items[0].code as string;
  await page.click(`#province-panel .missing-item[data-code="${first}"]`);
  await page.waitForSelector(`#commune-panel[data-code="${first}"]`);
  await page.waitForFunction(() => !window.__phusong!.map.isMoving());
  const inView = await page.evaluate((c) => window.__phusong!.map.queryRenderedFeatures({ layers: ['communes-fill'] }).some((f) => f.id === c), first);
  expect(inView).toBe(true);
}
