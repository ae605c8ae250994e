// The map's Plan tab in a real browser against the real server (embedded engine, and the server
// engine when TEST_DATABASE_URL is set; PHUSONG_E2E_BASE_URL with PHUSONG_E2E_PLANNER_TOKEN points
// it at a server already running): the tab asks for a token and keeps it for the browser tab only,
// shows a refused token's 401, runs a small plan (one commune far below the 5G target) and follows
// it, then draws its sites (upgrades and new sites apart, a click opens a site), the chart with the
// target line, the list and the communes that change colour, all equal to the API's plan; saves it
// as a scenario and colours the communes today, with it, or by the difference, as the scenario's
// coverage says; gives the map back when the tab closes; downloads the CSV; after a reload finds
// the plan and its scenario again; in both languages.
// Flat ground (TERRAIN_DIR empty): the first coverage run and the plan then take seconds.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { hasChromium, CHROMIUM_PATH, launchChromium } from './support/browser';
import { contrastFailures, recordTraffic, screenPoint, type Traffic } from './support/map-page';
import { adminQuery, buildClientIfStale, databaseUrlFor, killIfRunning, ROOT, startServer, stopServer, testFetch, waitForHealth, type RunningServer } from './support/server-process';

const START_TIMEOUT_MS = 300_000;
const FIRST_RUN_TIMEOUT_MS = 150_000;
const PLAN_TIMEOUT_MS = 120_000;
const SCREENSHOT_DIR = path.join(ROOT, 'test-results/e2e');
const TARGET = { code: 'pt-2026-5g-coverage', threshold: 65 };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const chromiumPresent = hasChromium();
if (!chromiumPresent) console.warn(`plan e2e skipped: ${CHROMIUM_PATH} not found (apt-get install chromium)`);
const external = process.env.PHUSONG_E2E_BASE_URL?.replace(/\/$/, '');
const engines = external
  ? [{ engine: 'external', skip: !process.env.PHUSONG_E2E_PLANNER_TOKEN }]
  : [{ engine: 'embedded', skip: false }, { engine: 'server', skip: !process.env.TEST_DATABASE_URL }];

/** A planner token made the README's way (`npm run token:create`), against the server's database. */
function createPlannerToken(env: Record<string, string>): string {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...env };
  if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL;
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/token-create.ts', '--role', 'planner', '--label', 'e2e plan'], { cwd: ROOT, env: childEnv, encoding: 'utf8', timeout: 120_000 });
  return out.trim().split('\n').at(-1)!.trim();
}

describe.skipIf(!chromiumPresent)('the Plan tab in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (!external) buildClientIfStale();
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    browser = await launchChromium();
  }, START_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
  });

  describe.each(engines)('$engine engine', ({ engine, skip }) => {
    let server: RunningServer | null = null;
    let dataDir: string | null = null;
    let database: string | null = null;
    let baseUrl: string;
    let token: string;
    let context: BrowserContext;
    let page: Page;
    /** The commune planned for: far below the target, among the smallest such by population. */
    let scope: string;
    let planId: number;
    let plan: Json;
    const traffic: Traffic = { requests: [], failed: [], badStatus: [], serverErrors: [], errors: [] };
    let mark = { failed: 0, badStatus: 0, serverErrors: 0, errors: 0 };
    /** 4xx answers the running test expects, as regular expressions over "status url". */
    let expectedRefusals: RegExp[] = [];
    const authed = async (url: string) => {
      const res = await testFetch(url, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status, url).toBe(200);
      return (await res.json()) as Json;
    };
    const shot = (name: string) => path.join(SCREENSHOT_DIR, `${name}-${engine}.png`);
    const text = async (selector: string) => ((await page.textContent(selector)) ?? '').replace(/\s+/g, ' ').trim();

    beforeAll(async () => {
      if (skip) return;
      if (external) {
        baseUrl = external;
        token = process.env.PHUSONG_E2E_PLANNER_TOKEN!;
      } else {
        const env: Record<string, string> = { TERRAIN_DIR: '' };
        if (engine === 'embedded') {
          dataDir = mkdtempSync(path.join(os.tmpdir(), 'phusong-e2e-plan-'));
          env.DATA_DIR = dataDir;
        } else {
          database = `phusong_e2e_plan_${inject('runId')}`;
          await adminQuery(`CREATE DATABASE "${database}"`);
          env.DATABASE_URL = databaseUrlFor(database);
        }
        server = await startServer({ ...env, LOG_LEVEL: 'warn' });
        await waitForHealth(server, START_TIMEOUT_MS);
        baseUrl = server.baseUrl;
        const started = Date.now();
        while (Date.now() - started < FIRST_RUN_TIMEOUT_MS && !(await testFetch(`${baseUrl}/api/coverage/runs/latest`)).ok) await new Promise((r) => setTimeout(r, 500));
        token = createPlannerToken(env);
      }
      const coverage = (await (await testFetch(`${baseUrl}/api/coverage?technology=5G&operator=all`)).json()) as Json;
      const below = (coverage.communes as Json[]).filter((f) => f.operator === 'all' && f.populationPct < 10 && f.population > 5000).sort((a, b) => a.population - b.population);
      expect(below.length, 'a commune far below the 5G target').toBeGreaterThan(0);
      scope = below[0].communeCode;
      context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN', acceptDownloads: true });
      context.on('page', (p) => recordTraffic(p, traffic));
      page = await context.newPage();
      await page.goto(`${baseUrl}/#tab=plan`);
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    }, START_TIMEOUT_MS + FIRST_RUN_TIMEOUT_MS + 60_000);

    beforeEach(() => {
      mark = { failed: traffic.failed.length, badStatus: traffic.badStatus.length, serverErrors: traffic.serverErrors.length, errors: traffic.errors.length };
      expectedRefusals = [];
    });
    afterEach(() => {
      if (skip) return;
      expect(traffic.serverErrors.slice(mark.serverErrors), 'server errors').toEqual([]);
      expect(traffic.badStatus.slice(mark.badStatus).filter((s) => !expectedRefusals.some((re) => re.test(s))), '4xx answers').toEqual([]);
      expect(traffic.failed.slice(mark.failed), 'failed requests').toEqual([]);
      expect(traffic.errors.slice(mark.errors), 'page errors').toEqual([]);
    });
    afterAll(async () => {
      await context?.close();
      if (server) await stopServer(server).catch(() => killIfRunning(server));
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      if (database) await adminQuery(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    });

    it.skipIf(skip)('asks for a token, shows a refused one’s 401, and keeps a token for the browser tab only', async () => {
      expectedRefusals = [/^401 .*\/api\/plans$/];
      expect(await page.getAttribute('#tab-plan', 'aria-selected')).toBe('true');
      expect(await text('#tab-plan')).toBe('Kế hoạch');
      expect(await page.isVisible('#plan-panel')).toBe(true);
      expect(await text('label[for="plan-token"]')).toBe('Mã truy cập (token)');
      expect(await page.getAttribute('#plan-token', 'type')).toBe('password');

      await page.fill('#plan-token', 'psg_not-a-real-token-at-all-0000000000');
      await page.click('#plan-token-save');
      await page.click('#plan-run');
      await page.waitForSelector('#plan-status [role="alert"]');
      const refused = await text('#plan-status [role="alert"]');
      expect(refused).toMatch(/^Mã truy cập bị từ chối \(401\): Unauthorized: /);

      await page.click('#plan-token-forget');
      await page.fill('#plan-token', token);
      await page.click('#plan-token-save');
      await page.waitForSelector('[data-testid="plan-token-kept"]');
      const stored = await page.evaluate(() => ({ session: sessionStorage.getItem('phusong.token'), local: localStorage.getItem('phusong.token') }));
      expect(stored).toEqual({ session: token, local: null });
      expect(page.url()).not.toContain(token);
    });

    it.skipIf(skip)('runs a small plan and follows it, then draws its sites, chart, list and the communes that change colour', async () => {
      await page.selectOption('#plan-target', TARGET.code);
      await page.selectOption('#plan-scope', 'communes');
      await page.fill('#plan-scope-codes', scope);
      const polls: string[] = [];
      page.on('request', (r) => /\/api\/plans\/\d+$/.test(r.url()) && polls.push(r.url()));
      const created = page.waitForResponse((r) => r.url().endsWith('/api/plans') && r.request().method() === 'POST');
      await page.click('#plan-run');
      const answer = await created;
      expect(answer.status()).toBe(202);
      expect(answer.request().headers().authorization).toBe(`Bearer ${token}`);
      expect(JSON.parse(answer.request().postData() ?? '{}')).toEqual({ target: TARGET.code, operator: 'all', candidates: 'both', scope: [scope] });
      planId = ((await answer.json()) as Json).id;
      await page.waitForSelector('#plan-progress, [data-testid="plan-verdict"]');
      await page.waitForSelector('[data-testid="plan-verdict"]', { timeout: PLAN_TIMEOUT_MS });
      plan = await authed(`${baseUrl}/api/plans/${planId}`);
      expect(plan.status).toBe('done');
      const r = plan.result as Json;
      const sites = r.sites as Json[];
      console.log(`[e2e ${engine}] plan for ${scope}: ${sites.length} sites, ${r.before.value.toFixed(1)} → ${r.after.value.toFixed(1)} %, ${polls.length} polls`);
      expect(r.reached).toBe(true);
      // Polling stops once the plan is done.
      const polled = polls.length;
      expect(polled).toBeGreaterThan(0);
      await page.waitForTimeout(2_500);
      expect(polls.length).toBe(polled);

      expect(await text('[data-testid="plan-verdict"]')).toBe(`Đạt chỉ tiêu với ${r.sitesNeeded} trạm.`);
      // The list: one row per site, in build order, of the API's kinds.
      const rows = await page.$$eval('[data-testid="plan-sites"] tbody tr', (trs) => trs.map((tr) => tr.getAttribute('data-kind')));
      expect(rows).toEqual(sites.map((s) => s.kind));
      // The sites on the map: the API's, upgrades and new sites drawn apart.
      const drawn = await page.evaluate(() => {
        const map = window.__phusong!.map;
        const features = map.querySourceFeatures('plan-sites');
        const colour = (kind: string) => map.getPaintProperty('plan-sites-circle', 'circle-color');
        return { ranks: [...new Set(features.map((f) => Number(f.properties.rank)))].sort((a, b) => a - b), kinds: [...new Set(features.map((f) => String(f.properties.kind)))].sort(), colour: JSON.stringify(colour('x')), visible: map.getLayoutProperty('plan-sites-circle', 'visibility') };
      });
      expect(drawn.ranks).toEqual(sites.map((s) => s.rank));
      expect(drawn.kinds).toEqual([...new Set(sites.map((s) => s.kind))].sort());
      expect(drawn.colour).toContain('upgrade');
      expect(drawn.visible).toBe('visible');
      expect(await text('#plan-legend')).toContain('Nâng cấp trạm hiện có');
      expect(await text('#plan-legend')).toContain('Trạm mới');
      // The chart: a point per site and today's, the target line at the threshold, the site that meets it marked.
      const chart = await page.$eval('[data-testid="plan-chart"]', (svg) => ({
        points: svg.querySelector('polyline')!.getAttribute('points')!.split(' ').length,
        target: svg.querySelector('[data-testid="plan-target-line"] title')?.textContent,
        needed: svg.querySelector('[data-testid="plan-needed-mark"] title')?.textContent,
      }));
      expect(chart).toEqual({ points: sites.length + 1, target: 'Chỉ tiêu 65%', needed: `cần ${r.sitesNeeded} trạm` });
      // The communes that change colour: below the target before, at or above it after.
      const crossing = (r.communes as Json[]).filter((c) => !c.metBefore && c.metAfter).map((c) => c.code);
      expect(crossing.length).toBeGreaterThan(0);
      expect(await page.$$eval('[data-testid="plan-changed"] li', (lis) => lis.map((li) => li.getAttribute('data-code')))).toEqual(crossing);
      await page.screenshot({ path: shot('plan-result') });
      expect(await contrastFailures(page, '#plan-panel, #plan-legend'), 'text below WCAG AA contrast').toEqual([]);

      // A site's popup, from the list (the map flies to it) and from a click on the map.
      await page.click('[data-testid="plan-sites"] tbody tr:first-child button');
      await page.waitForSelector('[data-testid="plan-site-popup"]');
      expect(await text('[data-testid="plan-site-popup"] h3')).toBe(`Trạm thứ 1 ${sites[0].kind === 'upgrade' ? 'Nâng cấp' : 'Trạm mới'}`);
      await page.click('.maplibregl-popup-close-button');
      await page.evaluate(() => new Promise<void>((resolve) => {
        const map = window.__phusong!.map;
        map.once('idle', () => resolve());
        map.triggerRepaint();
      }));
      const at = await screenPoint(page, [sites[0].lon, sites[0].lat]);
      await page.mouse.click(at.x, at.y);
      await page.waitForSelector('[data-testid="plan-site-popup"]');
      const popup = await text('[data-testid="plan-site-popup"]');
      expect(popup).toContain('Trạm thứ 1');
      expect(popup).toContain('Người thêm');
      expect(popup).toContain(new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 0 }).format(sites[0].peopleAdded));
      // The click took the site, not the commune under it: the Plan tab stays open.
      expect(await page.getAttribute('#tab-plan', 'aria-selected')).toBe('true');
      await page.click('.maplibregl-popup-close-button');
    }, PLAN_TIMEOUT_MS + 60_000);

    it.skipIf(skip)('saves it as a scenario and colours the communes today, with it, or by the difference; the map is the page’s again outside the tab', async () => {
      const saved = page.waitForResponse((res) => res.url().endsWith('/api/scenarios') && res.request().method() === 'POST');
      await page.click('#plan-save');
      const answer = await saved;
      expect(answer.status()).toBe(201);
      expect(JSON.parse(answer.request().postData() ?? '{}')).toEqual({ name: `Theo kế hoạch #${planId}`, fromPlan: planId });
      const scenarioId = ((await answer.json()) as Json).id;
      await page.waitForSelector('#plan-compare-status[data-status="shown"]', { timeout: 60_000 });
      const coverage = await authed(`${baseUrl}/api/scenarios/${scenarioId}/coverage?technology=5G&operator=all`);
      const figure = (coverage.communes as Json[]).find((f) => f.communeCode === scope && f.operator === 'all')!;
      const state = () => page.evaluate((code) => window.__phusong!.map.getFeatureState({ source: 'communes', id: code }), scope);
      const fill = () => page.evaluate(() => JSON.stringify(window.__phusong!.map.getPaintProperty('communes-fill', 'fill-color')));

      expect(await page.isChecked('#plan-compare-scenario')).toBe(true);
      expect((await state()).value).toBeCloseTo(figure.populationPct, 9);
      expect((await state()).miss).toBe(figure.populationPct < TARGET.threshold - 1e-9);
      expect(figure.baseline.populationPct).toBeLessThan(TARGET.threshold);
      await page.screenshot({ path: shot('plan-scenario') });
      await page.check('#plan-compare-today');
      expect((await state()).value).toBeCloseTo(figure.baseline.populationPct, 9);
      expect((await state()).miss).toBe(true);
      const valueScale = await fill();
      await page.check('#plan-compare-difference');
      expect((await state()).value).toBeCloseTo(figure.difference.populationPct, 9);
      expect(await fill()).not.toBe(valueScale);
      expect(await text('[data-testid="plan-legend-view"]')).toContain('chênh lệch');
      await page.screenshot({ path: shot('plan-difference') });

      // Another tab: the official figures and the page's scale again, no plan sites.
      await page.click('#tab-province');
      const official = (await (await testFetch(`${baseUrl}/api/coverage?technology=5G&operator=all`)).json()) as Json;
      const today = (official.communes as Json[]).find((f) => f.communeCode === scope && f.operator === 'all')!.populationPct;
      await page.waitForFunction(([code, v]) => window.__phusong!.map.getFeatureState({ source: 'communes', id: code as string }).value === v, [scope, today] as const);
      expect(await fill()).toBe(valueScale);
      expect(await page.evaluate(() => window.__phusong!.map.getLayoutProperty('plan-sites-circle', 'visibility'))).toBe('none');
      expect(await page.isHidden('#plan-legend')).toBe(true);
      // Back: the difference view as it was left.
      await page.click('#tab-plan');
      await page.waitForFunction((code) => window.__phusong!.map.getFeatureState({ source: 'communes', id: code }).value !== null, scope);
      expect((await state()).value).toBeCloseTo(figure.difference.populationPct, 9);
    }, 90_000);

    it.skipIf(skip)('downloads the plan as CSV, with the token', async () => {
      const download = page.waitForEvent('download');
      const asked = page.waitForRequest((req) => req.url().endsWith(`/api/plans/${planId}?format=csv`));
      await page.click('#plan-download-csv');
      expect((await asked).headers().authorization).toBe(`Bearer ${token}`);
      const file = await download;
      expect(file.suggestedFilename()).toBe(`plan-${planId}.csv`);
      const lines = readFileSync((await file.path())!, 'utf8').replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean);
      expect(lines[0].split(',').slice(0, 2)).toEqual(['rank', 'kind']);
      expect(lines).toHaveLength((plan.result.sites as Json[]).length + 1);
    });

    it.skipIf(skip)('after a reload keeps the token and the plan with its scenario, and lists it among the earlier plans', async () => {
      await page.reload();
      await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      await page.waitForSelector('[data-testid="plan-token-kept"]');
      await page.waitForSelector(`#plan-result[data-plan-id="${planId}"] [data-testid="plan-verdict"]`, { timeout: 30_000 });
      await page.waitForSelector('#plan-compare-status[data-status="shown"]', { timeout: 60_000 });
      expect(await page.isChecked('#plan-compare-scenario')).toBe(true);
      expect(await text('[data-testid="plan-scenario-saved"]')).toContain(`Theo kế hoạch #${planId}`);
      await page.waitForSelector(`#plan-earlier option[value="${planId}"]`, { state: 'attached' });
      expect(await page.inputValue('#plan-earlier')).toBe(String(planId));
      expect(await text(`#plan-earlier option[value="${planId}"]`)).toContain(`${(plan.result.sites as Json[]).length} trạm`);
      await page.click('#plan-earlier-open');
      await page.waitForSelector('#plan-compare-status[data-status="shown"]', { timeout: 60_000 });
      expect(await page.$$eval('[data-testid="plan-sites"] tbody tr', (trs) => trs.length)).toBe((plan.result.sites as Json[]).length);
    }, 120_000);

    it.skipIf(skip)('speaks English after the switch, and Vietnamese again', async () => {
      await page.click('#lang-switch');
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await text('#tab-plan')).toBe('Plan');
      expect(await text('[data-testid="plan-verdict"]')).toBe(`Target met with ${plan.result.sitesNeeded} sites.`);
      expect(await text('#plan-panel h2')).toBe('Sites to reach a target');
      expect(await text('#plan-panel')).toContain('Sites in the order to build them');
      expect(await text('#plan-panel')).toContain('Communes that change colour');
      expect(await page.$eval('[data-testid="plan-chart"] [data-testid="plan-target-line"] title', (t) => t.textContent)).toBe('Target 65%');
      expect(await text('#plan-legend')).toContain('Upgrade of an existing site');
      expect(await text('label[for="plan-compare-difference"]')).toBe('Difference per commune');
      await page.screenshot({ path: shot('plan-english') });
      await page.click('#lang-switch');
      await page.waitForFunction(() => document.documentElement.lang === 'vi');
      expect(await text('#tab-plan')).toBe('Kế hoạch');
    });
  });
});
