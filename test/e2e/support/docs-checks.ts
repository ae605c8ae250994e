// The API description page (/api/docs, Swagger UI from its npm package) in the browser: every
// operation of the served OpenAPI document is rendered, an answer's shape can be read, a request
// can be tried from the page, under the content security policy, asking no other host.
import type { BrowserContext } from 'playwright-core';
import { expect } from 'vitest';
import { recordTraffic } from './map-page';
import { getJson } from './map-checks';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

export async function checkApiDocs(context: BrowserContext, baseUrl: string, screenshotPath: string): Promise<void> {
  const spec = await getJson(`${baseUrl}/api/openapi.json`);
  const described = Object.entries(spec.paths as Record<string, Record<string, unknown>>)
    .flatMap(([path, item]) => Object.keys(item).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${path}`))
    .sort();
  expect(described.length).toBeGreaterThan(0);

  const page = await context.newPage();
  const traffic = recordTraffic(page);
  // Anything the policy refuses (an inline script, eval, a style or image source) is reported here.
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__cspViolations!.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  try {
    const res = await page.goto(`${baseUrl}/api/docs`);
    expect(res?.status()).toBe(200);
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
    await page.waitForSelector('.opblock', { timeout: 30_000 });

    // Every operation of the document, and only those.
    const rendered = await page.$$eval('.opblock', (blocks) => blocks.map((b) => {
      const method = b.querySelector('.opblock-summary-method')?.textContent?.trim() ?? '';
      const path = b.querySelector('.opblock-summary-path')?.getAttribute('data-path') ?? '';
      return `${method} ${path}`;
    }));
    expect(rendered.sort()).toEqual(described);
    expect(await page.textContent('.info .title')).toContain(spec.info.title);

    // An answer's shape: the health check's operation opened, its 200 answer shown; then tried.
    const health = page.locator('.opblock').filter({ has: page.locator('.opblock-summary-path[data-path="/api/health"]') });
    await health.locator('.opblock-summary-control').click();
    await health.locator('.responses-table').first().waitFor();
    expect(await health.locator('.responses-table tr.response[data-code="200"]').count()).toBe(1);
    // "Try it out" is on from the start: Execute is there without asking for it.
    await health.locator('button.execute').click();
    const answer = health.locator('.live-responses-table tbody tr.response').first();
    await answer.waitFor({ timeout: 30_000 });
    expect((await answer.locator('.response-col_status').textContent())?.trim(), await answer.innerHTML()).toBe('200');
    const body = JSON.parse((await answer.locator('.response-col_description pre').first().textContent()) ?? '{}');
    expect(body).toEqual(await getJson(`${baseUrl}/api/health`));
    await page.screenshot({ path: screenshotPath, fullPage: false });

    const origin = new URL(baseUrl).origin;
    expect(traffic.requests.filter((u) => !/^(data|blob):/.test(u) && new URL(u).origin !== origin), 'requests to other hosts').toEqual([]);
    expect(traffic.requests).toContain(`${origin}/api/health`);
    expect(await page.evaluate(() => window.__cspViolations), 'content security policy violations').toEqual([]);
    expect({ errors: traffic.errors, failed: traffic.failed, badStatus: traffic.badStatus, serverErrors: traffic.serverErrors }).toEqual({ errors: [], failed: [], badStatus: [], serverErrors: [] });
  } finally {
    await page.close();
  }
}
