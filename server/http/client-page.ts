import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import type { Config } from '../config';

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** What the map page opens on: one province (its code), or the country (several provinces held). */
export type PageScope = () => Promise<string | null>;

/** The first requests of the country view: the provinces, not every commune of the country. */
const COUNTRY_PRELOADS = '<link rel="preload" href="/api/provinces?format=geojson" as="fetch" crossorigin="anonymous" />';

/**
 * The map page for the data held: `<meta name="phusong-scope">` says `country` when the database
 * holds several provinces (server/provinces/scope.ts), and the page's preloads are then the
 * provinces' outlines instead of the communes' GeoJSON; with one province the page is the built
 * file as it is. A deployment's basemap (BASEMAP_URL, BASEMAP_ATTRIBUTION) is written into the
 * page's <meta name="phusong-basemap…"> tags. The page reads both at start; with no basemap
 * configured it draws nothing but our own data and asks no other host.
 */
export function renderIndexHtml(html: string, config: Readonly<Config>, scope: string | null): string {
  let page = html;
  if (config.basemapUrl) {
    page = page
      .replace(/<meta name="phusong-basemap" content="[^"]*"/, `<meta name="phusong-basemap" content="${escapeAttribute(config.basemapUrl)}"`)
      .replace(/<meta name="phusong-basemap-attribution" content="[^"]*"/, `<meta name="phusong-basemap-attribution" content="${escapeAttribute(config.basemapAttribution)}"`);
  }
  if (scope === null) {
    page = page
      .replace(/<meta name="phusong-scope" content="[^"]*"/, '<meta name="phusong-scope" content="country"')
      .replace(/<link rel="preload" href="\/api\/(communes|coverage)\?[^"]*" as="fetch" crossorigin="anonymous" \/>\s*/g, '')
      .replace(/<link rel="icon"/, `${COUNTRY_PRELOADS}\n    <link rel="icon"`);
  }
  return page;
}

export function clientPage(config: Readonly<Config>, scope: PageScope = async () => 'one'): Router | null {
  const indexHtml = path.join(config.clientDir, 'index.html');
  if (!fs.existsSync(indexHtml)) return null;
  const router = express.Router();
  // Read again only when a new build replaced it.
  let built = { mtimeMs: -1, html: '' };
  const readBuilt = () => {
    const { mtimeMs } = fs.statSync(indexHtml);
    if (mtimeMs !== built.mtimeMs) built = { mtimeMs, html: fs.readFileSync(indexHtml, 'utf8') };
    return built.html;
  };
  router.get(['/', '/index.html'], async (_req, res, next) => {
    try {
      const page = renderIndexHtml(readBuilt(), config, await scope());
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(page);
    } catch (err) {
      next(err);
    }
  });
  const icon = builtIcon(config.clientDir, fs.readFileSync(indexHtml, 'utf8'));
  if (icon) {
    // Pages that name no icon (the API docs name this one; a commune's report, a JSON answer opened
    // in a tab) make the browser ask for /favicon.ico: the map's icon under both names. A
    // middleware, like the assets below: a file, not an API route.
    router.use(['/favicon.ico', '/favicon.svg'], (req, res, next) => {
      if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path !== '/') return next();
      res.sendFile(icon, { headers: { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' } }, (err) => err && next(err));
    });
  }
  // Hashed assets may be cached for long; the pages must be revalidated so a new build shows.
  router.use(express.static(config.clientDir, {
    index: 'index.html',
    setHeaders: (res, file) => res.setHeader('Cache-Control', file.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
  }));
  return router;
}

/** The icon the built map page links (client/favicon.svg, hashed by Vite), or null. */
function builtIcon(clientDir: string, indexHtml: string): string | null {
  const href = /<link rel="icon"[^>]*href="\/(assets\/[^"]+\.svg)"/.exec(indexHtml)?.[1];
  const file = href ? path.join(clientDir, href) : null;
  return file && fs.existsSync(file) ? file : null;
}
