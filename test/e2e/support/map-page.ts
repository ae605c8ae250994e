// Helpers for driving the map page in the browser tests: what the page asked for, where a place is
// on screen, what the map has drawn, and the built bundle's size.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { ROOT } from './server-process';

export interface Traffic {
  requests: string[];
  failed: string[];
  /** Answers with a 4xx status, as "status url": the page asked for something wrong. */
  badStatus: string[];
  /** Answers with a 5xx status: the server failed. Any one fails the test it happened in. */
  serverErrors: string[];
  errors: string[];
}

/** Records every request, failure and console error of a page from now on. */
export function recordTraffic(page: Page, into: Traffic = { requests: [], failed: [], badStatus: [], serverErrors: [], errors: [] }): Traffic {
  page.on('request', (req) => into.requests.push(req.url()));
  page.on('requestfailed', (req) => {
    // An aborted request is the page cancelling what it no longer needs (a newer date, another commune).
    if (req.failure()?.errorText !== 'net::ERR_ABORTED') into.failed.push(`${req.url()} ${req.failure()?.errorText ?? ''}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 500) into.serverErrors.push(`${res.status()} ${res.url()}`);
    else if (res.status() >= 400) into.badStatus.push(`${res.status()} ${res.url()}`);
  });
  page.on('pageerror', (err) => into.errors.push(err.message));
  page.on('console', (msg) => {
    // The browser logs every 4xx/5xx answer as "Failed to load resource"; those are checked
    // through `badStatus`, where the expected ones (a rejected upload: 422) can be told apart.
    if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) into.errors.push(msg.text());
  });
  return into;
}

/** Screen coordinates of [lon, lat] on the page's map. */
export function screenPoint(page: Page, lonLat: [number, number]): Promise<{ x: number; y: number }> {
  return page.evaluate((ll) => {
    const map = window.__phusong!.map;
    const p = map.project(ll);
    const r = map.getCanvas().getBoundingClientRect();
    return { x: r.left + p.x, y: r.top + p.y };
  }, lonLat);
}

/** Resolves when the map has loaded every tile it needs and stopped moving. */
export function mapIdle(page: Page): Promise<void> {
  return page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const map = window.__phusong!.map;
        map.once('idle', () => resolve());
        map.triggerRepaint();
      }),
  );
}

export interface RenderedStation {
  id: number;
  operator: string;
  siteCode: string;
  t5G: boolean;
  lonLat: [number, number];
}

/** Station dots drawn in the current view (one per site, even where tiles overlap). */
export function renderedStations(page: Page): Promise<RenderedStation[]> {
  return page.evaluate(() => {
    const map = window.__phusong!.map;
    if (!map.getLayer('stations-circle')) return [];
    const seen = new Map<number, RenderedStation>();
    for (const f of map.queryRenderedFeatures({ layers: ['stations-circle'] })) {
      const p = f.properties as Record<string, unknown>;
      const id = Number(f.id);
      if (!seen.has(id)) seen.set(id, { id, operator: String(p.operator), siteCode: String(p.siteCode), t5G: p.t5G === true, lonLat: (f.geometry as GeoJSON.Point).coordinates as [number, number] });
    }
    return [...seen.values()];
  });
}

/** Each built JavaScript file with its raw and gzip size, bytes. */
export function bundleSizes(): Array<{ file: string; bytes: number; gzipBytes: number }> {
  const dir = path.join(ROOT, 'dist/client/assets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((file) => {
      const data = readFileSync(path.join(dir, file));
      return { file, bytes: data.length, gzipBytes: gzipSync(data, { level: 9 }).length };
    });
}

/** An operator token made the README's way (`npm run token:create`), against the server's database. */
export function createOperatorToken(env: Record<string, string>, operator: string): string {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', ...env };
  // As startServer: the embedded engine unless the server engine is asked for.
  if (!('DATABASE_URL' in env)) delete childEnv.DATABASE_URL;
  const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/token-create.ts', '--role', 'operator', '--operator', operator, '--label', 'e2e'], {
    cwd: ROOT,
    env: childEnv,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const lines = out.trim().split('\n');
  return lines[lines.length - 1].trim();
}

/**
 * Text below the WCAG AA contrast ratio (4.5:1, or 3:1 for large text) inside `scope`: each
 * element's own text colour against the first opaque-ish background behind it (a translucent one
 * is laid over white, as every panel here sits on white or the light map). Disabled controls and
 * visually hidden text are exempt, as WCAG allows.
 */
export function contrastFailures(page: Page, scope: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const parse = (c: string): number[] => (c.match(/[\d.]+/g) ?? ['0', '0', '0', '0']).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const over = (top: number[], bottom: number[]) => {
      const a = top[3] ?? 1;
      return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a));
    };
    const background = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if ((c[3] ?? 1) > 0) return over(c, [255, 255, 255]);
      }
      return [255, 255, 255];
    };
    const failures: string[] = [];
    for (const root of document.querySelectorAll(selector)) {
      for (const el of root.querySelectorAll<HTMLElement>('*')) {
        const ownText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim());
        if (!ownText || el.closest('.visually-hidden, [hidden], svg') || (el as HTMLButtonElement).disabled || el.closest(':disabled')) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const style = getComputedStyle(el);
        const fg = over(parse(style.color), background(el));
        const [l1, l2] = [lum(fg), lum(background(el))].sort((a, b) => b - a);
        const ratio = (l1 + 0.05) / (l2 + 0.05);
        const size = parseFloat(style.fontSize);
        const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
        if (ratio < (large ? 3 : 4.5)) failures.push(`${ratio.toFixed(2)}:1 "${el.textContent!.trim().slice(0, 40)}" (${el.tagName.toLowerCase()}.${el.className})`);
      }
    }
    return failures;
  }, scope);
}
