// The planner's map and the operator's upload screen in a real browser against the real server,
// on each database engine (one server per engine, shared by every test below): the map draws the
// choropleth from the API's figures, search finds a commune without diacritics, its panel shows
// the API's figures, filters and the date change what is drawn, an upload with bad rows is
// refused row by row and a good one reaches the map; no other host is asked. Prints the first
// useful paint and the bundle size, and saves screenshots at 1280 and 390 px.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { hasChromium, CHROMIUM_PATH, launchChromium } from './support/browser';
import { bundleSizes, contrastFailures, createOperatorToken, mapIdle, recordTraffic, renderedStations, screenPoint, type Traffic } from './support/map-page';
import { adminQuery, buildClientIfStale, databaseUrlFor, killIfRunning, ROOT, startServer, stopServer, testFetch, waitForHealth, type RunningServer } from './support/server-process';
import { checkChoropleth, checkCommunePanel, checkDateControl, checkProvincePanel, checkStaticFrame, communeCount, getJson, VIET_TRI } from './support/map-checks';
import { checkApiDocs } from './support/docs-checks';
import { checkBadUpload, checkGoodUpload } from './support/upload-checks';

const READY_TIMEOUT_MS = 60_000;
/**
 * A first start of the embedded engine creates PostGIS, the province and the demo stations; when
 * other suites share the cores it takes several times as long as on an idle machine.
 */
const FIRST_START_TIMEOUT_MS = 300_000;
/** Bound on the first coverage run after health (what it took: test/bench/README.md). */
const FIRST_RUN_TIMEOUT_MS = 150_000;
const SETUP_TIMEOUT_MS = FIRST_START_TIMEOUT_MS + FIRST_RUN_TIMEOUT_MS + 60_000;
const FIRST_PAINT_TARGET_MS = 2_000; // issue 6
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
/** Git-ignored (.gitignore: test-results/): the screenshots are kept as artifacts of the run. */
const SCREENSHOT_DIR = path.join(ROOT, 'test-results/e2e');

interface EngineCase {
  engine: 'embedded' | 'server' | 'external';
  skipReason: string | null;
  baseUrl?: string;
}

// PHUSONG_E2E_BASE_URL points the suite at a server that is already running (with
// PHUSONG_E2E_TOKEN, a viettel operator token for the upload tests).
const engines: EngineCase[] = process.env.PHUSONG_E2E_BASE_URL
  ? [{ engine: 'external', baseUrl: process.env.PHUSONG_E2E_BASE_URL.replace(/\/$/, ''), skipReason: null }]
  : [
      { engine: 'embedded', skipReason: null },
      { engine: 'server', skipReason: process.env.TEST_DATABASE_URL ? null : 'TEST_DATABASE_URL is not set' },
    ];

const chromiumPresent = hasChromium();
if (!chromiumPresent) console.warn(`map e2e skipped: ${CHROMIUM_PATH} not found (apt-get install chromium)`);

async function openMap(context: BrowserContext, url: string): Promise<{ page: Page; firstPaintMs: number; readyMs: number; wallMs: number }> {
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector('body[data-ready]', { timeout: READY_TIMEOUT_MS });
  expect(await page.getAttribute('body', 'data-ready')).toBe('true');
  // performance.now() in the page counts from navigation start.
  const ms = async (attribute: string) => Number(await page.getAttribute('body', attribute));
  return { page, firstPaintMs: await ms('data-first-paint-ms'), readyMs: await ms('data-ready-ms'), wallMs: Date.now() - t0 };
}

describe.skipIf(!chromiumPresent)(`map page in Chromium${chromiumPresent ? '' : ` (skipped: ${CHROMIUM_PATH} missing)`}`, () => {
  let browser: Browser;

  beforeAll(async () => {
    buildClientIfStale();
    const sizes = bundleSizes();
    const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
    for (const s of sizes) console.log(`[e2e] bundle ${s.file}: ${kb(s.bytes)}, gzip ${kb(s.gzipBytes)}`);
    const mapPage = sizes.filter((s) => !s.file.startsWith('upload') && !s.file.includes('worker'));
    console.log(`[e2e] map page JavaScript (gzip, main thread): ${kb(mapPage.reduce((t, s) => t + s.gzipBytes, 0))}`);
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  describe.each(engines)('$engine engine', (engineCase) => {
    const suite = engineCase.skipReason ? describe.skip : describe;

    suite(engineCase.skipReason ? `skipped: ${engineCase.skipReason}` : 'planner map and upload screen', () => {
      let server: RunningServer | null = null;
      let dataDir: string | null = null;
      let serverDatabase: string | null = null;
      const env: Record<string, string> = {};
      let baseUrl: string;
      let context: BrowserContext;
      let page: Page;
      let uploadPage: Page;
      const traffic: Traffic = { requests: [], failed: [], badStatus: [], serverErrors: [], errors: [] };
      /** Where each of `traffic`'s lists and the server's log stood when the running test began. */
      let mark = { requests: 0, failed: 0, badStatus: 0, serverErrors: 0, errors: 0, answers: 0 };
      const serverAnswers = () => server?.answers ?? [];
      const shot = (name: string) => path.join(SCREENSHOT_DIR, `${name}-${engineCase.engine}.png`);

      beforeAll(async () => {
        if (engineCase.engine === 'external') {
          baseUrl = engineCase.baseUrl!;
          console.warn(`[e2e external] ${baseUrl}'s request log is not ours to read: only what the pages saw is checked`);
        } else {
          // Empty either way: the server itself migrates and imports the province, as on a fresh install.
          if (engineCase.engine === 'embedded') {
            dataDir = mkdtempSync(path.join(os.tmpdir(), 'phusong-e2e-data-'));
            env.DATA_DIR = dataDir;
          } else {
            // Named like the other suites' databases so the global teardown drops it if we cannot.
            serverDatabase = `phusong_e2e_${inject('runId')}`;
            await adminQuery(`CREATE DATABASE "${serverDatabase}"`);
            env.DATABASE_URL = databaseUrlFor(serverDatabase);
          }
          // Its request log, read by the checks after each test.
          server = await startServer({ ...env, LOG_LEVEL: 'info' });
          console.log(`[e2e ${engineCase.engine}] server healthy after ${await waitForHealth(server, FIRST_START_TIMEOUT_MS)} ms`);
          baseUrl = server.baseUrl;
          // The first start computes coverage in the background (terrain footprints of every radio
          // first, in worker threads): wait for its figures, and say how long that took.
          const waitStarted = Date.now();
          let run: unknown = null;
          while (!run && Date.now() - waitStarted < FIRST_RUN_TIMEOUT_MS) {
            const res = await testFetch(`${baseUrl}/api/coverage/runs/latest`);
            run = res.ok ? await res.json() : null;
            if (!run) await new Promise((r) => setTimeout(r, 500));
          }
          expect(run, `the first start stored a coverage run within ${FIRST_RUN_TIMEOUT_MS} ms`).toBeTruthy();
          console.log(`[e2e ${engineCase.engine}] first coverage run stored ${Date.now() - waitStarted} ms after the server was healthy`);
        }
        context = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' });
        context.on('page', (p) => recordTraffic(p, traffic));
        // Twice: the first load fills the browser's cache and warms the server, as on a real
        // morning the page was opened before; both are printed.
        for (const run of ['cold', 'warm']) {
          const opened = await openMap(context, `${baseUrl}/`);
          console.log(
            `[e2e ${engineCase.engine}] first useful paint (${run}, navigation → communes coloured, static frame): ${opened.firstPaintMs} ms` +
              `${opened.firstPaintMs > FIRST_PAINT_TARGET_MS ? ` — above the ${FIRST_PAINT_TARGET_MS} ms target` : ''}; ` +
              `interactive map drawn: ${opened.readyMs} ms (wall clock incl. goto: ${opened.wallMs} ms)`,
          );
          if (run === 'cold') await opened.page.close();
          else page = opened.page;
        }
      }, SETUP_TIMEOUT_MS);

      beforeEach(() => {
        mark = { requests: traffic.requests.length, failed: traffic.failed.length, badStatus: traffic.badStatus.length, serverErrors: traffic.serverErrors.length, errors: traffic.errors.length, answers: serverAnswers().length };
      });

      // Whatever a test checks, it fails when the server failed (5xx) or something was not found
      // during it, whether a page, the browser itself (its icon) or the test asked.
      afterEach(() => {
        expect(traffic.serverErrors.slice(mark.serverErrors), 'server errors seen by the pages').toEqual([]);
        const answered = serverAnswers().slice(mark.answers).filter((a) => a.status >= 500 || a.status === 404).map((a) => `${a.status} ${a.method} ${a.url}`);
        expect(answered, 'server errors and 404s in the server\'s log').toEqual([]);
        // The only refusal expected is the bad file's dry run (422).
        expect(traffic.badStatus.slice(mark.badStatus).filter((s) => !s.startsWith('422 ') || !s.includes('/api/stations/import')), '4xx answers to the pages').toEqual([]);
        expect(traffic.failed.slice(mark.failed), 'failed requests').toEqual([]);
        expect(traffic.errors.slice(mark.errors), 'page errors').toEqual([]);
      });

      afterAll(async () => {
        await context?.close();
        killIfRunning(server);
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
        if (serverDatabase) {
          if (server) await Promise.race([server.exited, new Promise((r) => setTimeout(r, 5_000))]);
          await adminQuery(`DROP DATABASE IF EXISTS "${serverDatabase}" WITH (FORCE)`);
        }
      });

      it('serves the page in Vietnamese and draws every commune', async () => {
        const communes = await communeCount(baseUrl);
        expect(await page.getAttribute('html', 'lang')).toBe('vi');
        expect(await page.title()).toBe('phusong — phủ sóng Phú Thọ');
        const onMap = await page.evaluate(() => {
          const map = window.__phusong!.map;
          const unique = (features: { id?: string | number }[]): number => new Set(features.map((f) => f.id)).size;
          return { source: unique(map.querySourceFeatures('communes')), rendered: unique(map.queryRenderedFeatures({ layers: ['communes-fill'] })) };
        });
        expect(onMap).toEqual({ source: communes, rendered: communes });
      });

      it('draws the stations as clusters per operator over the whole province, filtered like sites', async () => {
        await mapIdle(page);
        const clusters = () => page.evaluate(() => {
          const map = window.__phusong!.map;
          return map.queryRenderedFeatures({ layers: ['stations-cluster'] }).map((f) => ({ operator: String(f.properties.operator), count: Number(f.properties.count), n5G: Number(f.properties.n5G) }));
        });
        expect(await page.evaluate(() => window.__phusong!.map.getZoom())).toBeLessThan(9);
        // The whole province is in view: every operator with a site on air has clusters, and no other.
        const onAir = (await getJson(`${baseUrl}/api/summary`)).stations.byOperator as Record<string, { sites?: number; '5G'?: number }>;
        const operators = Object.keys(onAir).filter((o) => (onAir[o].sites ?? 0) > 0).sort();
        expect(operators).toContain('viettel');
        expect(onAir.viettel['5G'] ?? 0, 'viettel has 5G sites on air, for the filter below').toBeGreaterThan(0);
        const all = await clusters();
        expect([...new Set(all.map((c) => c.operator))].sort()).toEqual(operators);
        await page.selectOption('#operator', 'viettel');
        await mapIdle(page);
        const viettel = await clusters();
        expect(viettel.length).toBeGreaterThan(0);
        expect(new Set(viettel.map((c) => c.operator))).toEqual(new Set(['viettel']));
        await page.selectOption('#technology', '5G');
        await mapIdle(page);
        const viettel5g = await clusters();
        expect(viettel5g.length).toBeGreaterThan(0);
        expect(viettel5g.every((c) => c.operator === 'viettel' && c.n5G > 0)).toBe(true);
        await page.selectOption('#technology', 'all');
        await page.selectOption('#operator', 'all');
        await mapIdle(page);
        console.log(`[e2e ${engineCase.engine}] station clusters drawn over the province: ${all.length} (${all.reduce((n, c) => n + c.count, 0)} sites on air in view)`);
      });

      it('draws the static first frame before MapLibre, and MapLibre draws the communes in its place', async () => {
        await checkStaticFrame(context, baseUrl, shot('first-frame-desktop'));
      });

      it('colours each commune by the API figure against the target and outlines those that miss it', async () => {
        await checkChoropleth(page, context, baseUrl, shot('map-desktop'));
      });

      it('credits the sources and says when the stations are synthetic', async () => {
        const attribution = (await page.textContent('.maplibregl-ctrl-attrib')) ?? '';
        for (const part of ['thanglequoc/vietnamese-provinces-database', 'tranngocminhhieu/vietnamadminunits', 'GSO']) expect(attribution).toContain(part);
        // The page reads it from the stations, as here: the banner shows exactly when they are synthetic.
        const synthetic = (await getJson(`${baseUrl}/api/stations?limit=1`)).items[0]?.isDemo === true;
        expect(await page.isVisible('#demo-banner')).toBe(synthetic);
        expect(await page.textContent('#demo-banner')).toContain('MÔ PHỎNG');
      });

      it('finds Phường Việt Trì without diacritics or case, and opens it by keyboard', async () => {
        for (const query of ['viet tri', 'VIET TRI', 'Việt Trì']) {
          await page.fill('#search-input', query);
          const first = page.locator('#search-list [role="option"]').first();
          expect(await first.getAttribute('data-code'), query).toBe(VIET_TRI.code);
          expect(await first.textContent()).toContain(VIET_TRI.fullName);
        }
        await page.fill('#search-input', 'viet tri');
        await page.press('#search-input', 'ArrowDown');
        expect(await page.getAttribute('#search-input', 'aria-activedescendant')).toBe(`search-opt-${VIET_TRI.code}`);
        await page.press('#search-input', 'Enter');
        await page.waitForSelector(`#commune-panel[data-code="${VIET_TRI.code}"]`);
        expect(await page.getAttribute('#tab-commune', 'aria-selected')).toBe('true');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('commune-name');
        expect(new URL(page.url()).hash).toContain(`c=${VIET_TRI.code}`);
        const selected = await page.evaluate((code) => window.__phusong!.map.getFeatureState({ source: 'communes', id: code }), VIET_TRI.code);
        expect(selected.selected).toBe(true);
      });

      it('shows Việt Trì’s figures equal to the API’s', async () => {
        await checkCommunePanel(page, baseUrl);
      });

      it('filters the stations drawn by operator and technology', async () => {
        await mapIdle(page);
        const all = await renderedStations(page);
        // What the filters below must tell apart is in view: viettel's sites and others', viettel
        // sites with 5G and without.
        expect(new Set(all.map((s) => s.operator)).size, 'several operators in view').toBeGreaterThan(1);
        await page.selectOption('#operator', 'viettel');
        await mapIdle(page);
        const viettel = await renderedStations(page);
        expect(viettel.length).toBeGreaterThan(0);
        expect(viettel.length).toBeLessThan(all.length);
        expect(new Set(viettel.map((s) => s.operator))).toEqual(new Set(['viettel']));
        expect(viettel.some((s) => s.t5G) && viettel.some((s) => !s.t5G), 'viettel sites with and without 5G in view').toBe(true);
        await page.selectOption('#technology', '5G');
        await mapIdle(page);
        const viettel5g = await renderedStations(page);
        expect(viettel5g.map((s) => s.id).sort()).toEqual(viettel.filter((s) => s.t5G).map((s) => s.id).sort());
        expect(viettel5g.every((s) => s.t5G && s.operator === 'viettel')).toBe(true);
        console.log(`[e2e ${engineCase.engine}] stations drawn at Việt Trì: all ${all.length}, viettel ${viettel.length}, viettel 5G ${viettel5g.length}`);

        // A station's popup: site code, then its radios from the API.
        const box = (await page.locator('#map').boundingBox())!;
        let target: { x: number; y: number; siteCode: string; id: number } | null = null;
        for (const s of viettel5g) {
          const p = await screenPoint(page, s.lonLat);
          const clear = await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.classList.contains('maplibregl-canvas') ?? false, [p.x, p.y]);
          if (clear && p.x > box.x + 40 && p.x < box.x + box.width - 60 && p.y > box.y + 60 && p.y < box.y + box.height - 40) {
            target = { ...p, siteCode: s.siteCode, id: s.id };
            break;
          }
        }
        expect(target, 'a viettel 5G station clear of the overlays').not.toBeNull();
        await page.mouse.click(target!.x, target!.y);
        await page.waitForSelector('.station-popup[data-loaded="true"]');
        expect(await page.textContent('.station-popup h3')).toContain(target!.siteCode);
        const station = (await (await testFetch(`${baseUrl}/api/stations/${target!.id}`)).json()) as { radios: unknown[] };
        expect(await page.locator('.station-popup table.radios tbody tr').count()).toBe(station.radios.length);
        await page.click('.maplibregl-popup-close-button');
        await page.selectOption('#technology', 'all');
        await page.selectOption('#operator', 'all');
      });

      it('shows the map and the panel as they were on a past date', async () => {
        await checkDateControl(page, baseUrl);
      });

      it('lists the communes missing the target, ranked by shortfall, and flies to one', async () => {
        await checkProvincePanel(page, baseUrl);
      });

      it('switches to English, numbers formatted in English, and back', async () => {
        await page.click('#lang-switch');
        await page.waitForFunction(() => document.documentElement.lang === 'en');
        await page.click('#tab-commune');
        const population = (await page.textContent('[data-field="population"]')) ?? '';
        expect(population).toMatch(/^\d{1,3}(,\d{3})+ people$/);
        expect(await page.textContent('#tab-province')).toBe('Province');
        await page.click('#lang-switch');
        await page.waitForFunction(() => document.documentElement.lang === 'vi');
        expect(await page.textContent('[data-field="population"]')).toMatch(/^\d{1,3}(\.\d{3})+ người$/);
      });

      it('keeps text contrast at WCAG AA in the bar, panels and legend', async () => {
        await page.click('#tab-province');
        await page.waitForSelector('#province-panel .missing-item');
        const province = await contrastFailures(page, '.topbar, #panel, #legend, .map-notes');
        await page.click('#tab-commune');
        const commune = await contrastFailures(page, '#commune-panel');
        expect([...province, ...commune]).toEqual([]);
      });

      it('is reachable by keyboard with a visible focus ring, and Enter on the map selects a commune', async () => {
        await page.mouse.move(1, DESKTOP.height - 1);
        // Start from the top of the page, as after loading it.
        await page.evaluate(() => {
          document.body.tabIndex = -1;
          document.body.focus();
          document.body.removeAttribute('tabindex');
        });
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.className)).toContain('skip-link');
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input');
        for (let i = 0; i < 30 && !(await page.evaluate(() => document.activeElement?.classList.contains('maplibregl-canvas'))); i++) await page.keyboard.press('Tab');
        const focus = await page.evaluate(() => {
          const el = document.activeElement as HTMLElement;
          const style = getComputedStyle(el);
          return { isCanvas: el.classList.contains('maplibregl-canvas'), outline: style.outlineStyle, width: parseFloat(style.outlineWidth) };
        });
        expect(focus).toMatchObject({ isCanvas: true });
        expect(focus.outline).not.toBe('none');
        expect(focus.width).toBeGreaterThanOrEqual(2);
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('Enter');
        await page.waitForSelector('#commune-panel[data-code]');
      });

      it('is usable on a 390 px phone', async () => {
        const phone = await browser.newContext({ viewport: PHONE, locale: 'vi-VN', hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
        phone.on('page', (p) => recordTraffic(p, traffic));
        try {
          const { page: p } = await openMap(phone, `${baseUrl}/#c=${VIET_TRI.code}`);
          await p.waitForSelector('[data-field="metric-value"]');
          await mapIdle(p);
          expect(await p.evaluate(() => document.scrollingElement!.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
          expect(await p.isVisible('#controls')).toBe(false);
          await p.click('#filters-toggle');
          expect(await p.isVisible('#operator')).toBe(true);
          await p.click('#filters-toggle');
          await p.screenshot({ path: shot('map-phone'), fullPage: true });
          console.log(`[e2e ${engineCase.engine}] screenshots: ${shot('map-desktop')}, ${shot('map-phone')}`);
        } finally {
          await phone.close();
        }
      });

      it('refuses an upload with bad rows, row by row, and writes nothing', async () => {
        const token = engineCase.engine === 'external' ? process.env.PHUSONG_E2E_TOKEN! : createOperatorToken(env, 'viettel');
        expect(token).toMatch(/^\S{20,}$/);
        uploadPage = await checkBadUpload(context, baseUrl, token, shot('upload-rejected'));
      });

      it('writes a good upload through validation, write and recompute, lists it, and draws it', async () => {
        await checkGoodUpload(uploadPage, baseUrl, shot('upload-written'));
      });

      it('shows the API description in Swagger UI, tried out from the page, from this server alone', async () => {
        await checkApiDocs(context, baseUrl, shot('api-docs'));
      });

      it('asks no host but the server, and logs no errors', () => {
        const origin = new URL(baseUrl).origin;
        const foreign = traffic.requests.filter((u) => !/^(data|blob):/.test(u) && new URL(u).origin !== origin);
        expect(traffic.requests.length).toBeGreaterThan(0);
        expect(foreign).toEqual([]);
        // Over the whole run, as each test's own check had it.
        expect(traffic.serverErrors).toEqual([]);
        expect(traffic.failed).toEqual([]);
        expect(traffic.badStatus.filter((s) => !s.startsWith('422 ') || !s.includes('/api/stations/import'))).toEqual([]);
        expect(traffic.errors).toEqual([]);
      });

      it.skipIf(engineCase.engine === 'external')('stops cleanly on SIGTERM (exit code 0)', async () => {
        const { code, signal } = await stopServer(server!);
        expect({ code, signal }, server!.outputTail()).toEqual({ code: 0, signal: null });
      });
    });
  });
});
