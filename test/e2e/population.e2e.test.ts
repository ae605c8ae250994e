// The population-density layer in a real browser against the real server (embedded engine, and
// the server engine when TEST_DATABASE_URL is set): the toggle draws the layer's features from
// GET /api/population/density, shows its legend, and puts the grid's credit (WorldPop, CC BY 4.0)
// in the map's attribution; toggled off, layer and credit go. No demo stations: they are not
// what this checks, and a start without them is quicker.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { hasChromium, CHROMIUM_PATH, launchChromium } from './support/browser';
import { adminQuery, buildClientIfStale, databaseUrlFor, killIfRunning, startServer, stopServer, waitForHealth, type RunningServer } from './support/server-process';

const START_TIMEOUT_MS = 300_000;
/** The layer is computed once per data version by PostGIS: about 10–20 s on a busy 2-core machine. */
const LAYER_TIMEOUT_MS = 180_000;

const chromiumPresent = hasChromium();
if (!chromiumPresent) console.warn(`population e2e skipped: ${CHROMIUM_PATH} not found (apt-get install chromium)`);
const engines = [
  { engine: 'embedded', skip: false },
  { engine: 'server', skip: !process.env.TEST_DATABASE_URL },
] as const;

describe.skipIf(!chromiumPresent)('population-density layer in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    buildClientIfStale();
    browser = await launchChromium();
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
  });

  describe.each(engines)('$engine engine', ({ engine, skip }) => {
    let server: RunningServer | null = null;
    let dataDir: string | null = null;
    let database: string | null = null;
    let page: Page;

    beforeAll(async () => {
      if (skip) return;
      const env: Record<string, string> = { DEMO_DATA: 'false', LOG_LEVEL: 'warn' };
      if (engine === 'embedded') {
        dataDir = mkdtempSync(path.join(os.tmpdir(), 'phusong-e2e-pop-'));
        env.DATA_DIR = dataDir;
      } else {
        database = `phusong_e2e_pop_${inject('runId')}`;
        await adminQuery(`CREATE DATABASE "${database}"`);
        env.DATABASE_URL = databaseUrlFor(database);
      }
      server = await startServer(env);
      await waitForHealth(server, START_TIMEOUT_MS);
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
      page = await context.newPage();
      await page.goto(`${server.baseUrl}/`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    }, START_TIMEOUT_MS + 60_000);

    afterAll(async () => {
      if (server) await stopServer(server).catch(() => killIfRunning(server));
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (database) await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    });

    it.skipIf(skip)('the toggle draws the density with its legend and the WorldPop credit, and takes them away', async () => {
      const credit = () => page.evaluate(() => document.querySelector('.maplibregl-ctrl-attrib-inner')?.textContent ?? '');
      expect(await page.locator('label[for="show-population"]').textContent()).toBe('Mật độ dân số');
      // The coverage layer credits WorldPop for its population figures; the density layer adds the grid's own credit.
      expect(await credit()).not.toMatch(/WorldPop \(www\.worldpop\.org\)/);

      await page.check('#show-population');
      await page.waitForSelector('#population-legend[data-status="shown"]', { timeout: LAYER_TIMEOUT_MS });
      await page.waitForFunction(() => {
        const map = window.__phusong!.map;
        return map.getLayer('population-fill') && map.isSourceLoaded('population') && map.queryRenderedFeatures({ layers: ['population-fill'] }).length > 0;
      }, undefined, { timeout: 30_000 });
      const drawn = await page.evaluate(() => {
        const features = window.__phusong!.map.queryRenderedFeatures({ layers: ['population-fill'] });
        const densities = features.map((f) => Number((f.properties as { densityPerKm2: number }).densityPerKm2));
        return { count: features.length, communes: new Set(features.map((f) => (f.properties as { communeCode: string }).communeCode)).size, max: Math.max(...densities) };
      });
      expect(drawn.count).toBeGreaterThan(1000);
      expect(drawn.communes).toBeGreaterThan(100);
      expect(drawn.max).toBeGreaterThan(1000); // town centres
      await page.waitForFunction(() => /WorldPop \(www\.worldpop\.org\).*CC BY 4\.0/.test(document.querySelector('.maplibregl-ctrl-attrib-inner')?.textContent ?? ''), undefined, { timeout: 10_000 });
      expect(await page.locator('#population-legend').textContent()).toMatch(/người\/km².*WorldPop 2020.*CC BY 4\.0/);
      expect(page.url()).toMatch(/pop=1/);

      await page.uncheck('#show-population');
      await page.waitForSelector('#population-legend', { state: 'hidden' });
      expect(await page.evaluate(() => window.__phusong!.map.getLayoutProperty('population-fill', 'visibility'))).toBe('none');
      await page.waitForFunction(() => !/WorldPop \(www\.worldpop\.org\)/.test(document.querySelector('.maplibregl-ctrl-attrib-inner')?.textContent ?? ''), undefined, { timeout: 10_000 });
    }, LAYER_TIMEOUT_MS + 60_000);
  });
});
