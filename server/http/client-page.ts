import fs from 'node:fs';
import path from 'node:path';
import express, { type Router } from 'express';
import type { Config } from '../config';

const escapeAttribute = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The built map page and its assets. A deployment's basemap (BASEMAP_URL, BASEMAP_ATTRIBUTION) is
 * written into the page's <meta name="phusong-basemap…"> tags, which the page reads at start; with
 * none configured the page draws nothing but our own data and asks no other host.
 */
export function clientPage(config: Readonly<Config>): Router | null {
  const indexHtml = path.join(config.clientDir, 'index.html');
  if (!fs.existsSync(indexHtml)) return null;
  const router = express.Router();
  if (config.basemapUrl) {
    const page = fs
      .readFileSync(indexHtml, 'utf8')
      .replace(/<meta name="phusong-basemap" content="[^"]*"/, `<meta name="phusong-basemap" content="${escapeAttribute(config.basemapUrl)}"`)
      .replace(/<meta name="phusong-basemap-attribution" content="[^"]*"/, `<meta name="phusong-basemap-attribution" content="${escapeAttribute(config.basemapAttribution)}"`);
    router.get(['/', '/index.html'], (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(page);
    });
  }
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
