/**
 * `GET /api/docs`: the OpenAPI document in Swagger UI, served from its npm package
 * (swagger-ui-dist) under `/api/docs/assets/`, so the page works offline and asks no other host.
 * Every answer's schema can be read and every operation tried ("Try it out" is on, with a bearer
 * token set through "Authorize"). The page is ours: Swagger UI's own index.html points at the
 * petstore and boots with an inline script, which the content security policy
 * (`script-src 'self'`) refuses, so the boot script is a file here too.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { Router, type RequestHandler } from 'express';

/** Where the page's files are served; the page links them from here. */
export const DOCS_ASSETS = '/api/docs/assets';
const SPEC_URL = '/api/openapi.json';
const BOOT_FILE = 'phusong-docs.js';

const SWAGGER_UI_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
/** The package's files the page uses (its source map for the CSS too), and nothing else of it. */
const PACKAGE_FILES: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui.css.map': 'application/json; charset=utf-8',
};

// `validatorUrl: null`: by default Swagger UI sends the document to validator.swagger.io for a
// badge. `queryConfigEnabled` stays off (its default): the address cannot point the page at
// another document.
const BOOT_SCRIPT = `window.addEventListener('DOMContentLoaded', function () {
  window.ui = SwaggerUIBundle({
    url: ${JSON.stringify(SPEC_URL)},
    dom_id: '#swagger-ui',
    deepLinking: true,
    tryItOutEnabled: true,
    validatorUrl: null,
    displayRequestDuration: true,
    defaultModelsExpandDepth: 0,
    presets: [SwaggerUIBundle.presets.apis],
    layout: 'BaseLayout',
  });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>phusong API</title>
<link rel="icon" type="image/svg+xml" href="/favicon.svg">
<link rel="stylesheet" href="${DOCS_ASSETS}/swagger-ui.css">
</head>
<body>
<noscript><p>This page needs JavaScript. The API description itself: <a href="${SPEC_URL}">${SPEC_URL}</a> (OpenAPI 3.1).</p></noscript>
<div id="swagger-ui"></div>
<script src="${DOCS_ASSETS}/swagger-ui-bundle.js"></script>
<script src="${DOCS_ASSETS}/${BOOT_FILE}"></script>
</body>
</html>
`;

/**
 * The page's files by name. A middleware rather than routes: they are files, not API operations
 * (the route list that the API description and the security table are checked against stays the
 * API's). Revalidated on each load (ETag), so an upgraded package shows at once.
 */
function docsAssets(): RequestHandler {
  return (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const name = req.path.slice(1);
    if (name === BOOT_FILE) {
      res.type('text/javascript; charset=utf-8').set('Cache-Control', 'no-cache').send(BOOT_SCRIPT);
      return;
    }
    const type = Object.hasOwn(PACKAGE_FILES, name) ? PACKAGE_FILES[name] : null;
    if (!type) return next();
    res.sendFile(path.join(SWAGGER_UI_DIR, name), { headers: { 'Content-Type': type, 'Cache-Control': 'no-cache' } }, (err) => err && next(err));
  };
}

/** `GET /docs` and its files under `/docs/assets/`, relative to where the router is mounted (`/api`). */
export function apiDocsRoutes(): Router {
  const router = Router();
  router.get('/docs', (_req, res) => {
    res.type('text/html; charset=utf-8').set('Cache-Control', 'no-cache').send(PAGE);
  });
  router.use('/docs/assets', docsAssets());
  return router;
}
