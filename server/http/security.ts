import type { RequestHandler } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import crypto from 'node:crypto';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import type { Config } from '../config';
import { sendProblem } from './problem';

/**
 * Security headers with a content security policy the map page works under: everything from this
 * origin; MapLibre's worker is a file of ours; images and tiles may be blobs; an optional basemap
 * host is the only other origin allowed.
 */
export function securityHeaders(config: Readonly<Config>): RequestHandler {
  const headers = headersOf(helmet(helmetOptions(config)));
  return (_req, res, next) => {
    res.setHeaders(headers);
    next();
  };
}

/**
 * Helmet's headers depend on the configuration only (no nonces, nothing read from the request), so
 * they are asked of it once and set in one call per request, rather than through its fourteen
 * middlewares each time: they showed in a cached read's CPU profile (test/bench/README.md).
 */
function headersOf(middleware: RequestHandler): Map<string, string> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader: (name: string, value: string) => void headers.set(name, String(value)),
    removeHeader: (name: string) => void headers.delete(name),
  };
  let done = false;
  middleware({} as Parameters<RequestHandler>[0], recorder as unknown as Parameters<RequestHandler>[1], () => { done = true; });
  if (!done) throw new Error('helmet did not finish synchronously: its headers cannot be computed once');
  return headers;
}

/** What helmet is asked for; exported for the test that compares our headers with its own. */
export function helmetOptions(config: Readonly<Config>): Parameters<typeof helmet>[0] {
  const basemap = config.basemapUrl ? [new URL(config.basemapUrl).origin] : [];
  return {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'blob:', ...basemap],
        connectSrc: ["'self'", ...basemap],
        styleSrc: ["'self'", "'unsafe-inline'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // The API is read by other origins only when CORS is configured; tiles and JSON are not embedded.
    crossOriginResourcePolicy: { policy: config.corsOrigins.length ? 'cross-origin' : 'same-origin' },
  };
}

/** CORS is off (no header at all) unless CORS_ORIGINS lists origins. */
export function corsPolicy(config: Readonly<Config>): RequestHandler | null {
  if (config.corsOrigins.length === 0) return null;
  return cors({ origin: config.corsOrigins, methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'], allowedHeaders: ['Authorization', 'Content-Type', 'X-File-Name'], maxAge: 600 });
}

/**
 * Rate limits per token (or per address without one), per minute; 0 disables. Writes are limited
 * tightly, expensive reads (on-demand coverage, gaps, layers) loosely, cheap reads not at all.
 */
export function rateLimiter(perMinute: number, what: string): RequestHandler | null {
  if (perMinute <= 0) return null;
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => {
      const auth = req.get('authorization');
      return auth ? `token:${crypto.createHash('sha256').update(auth).digest('base64url')}` : `ip:${ipKeyGenerator(req.ip ?? '')}`;
    },
    handler: (req, res) => {
      res.set('Retry-After', '60');
      sendProblem(res, {
        type: 'https://phusong.invalid/problems/too-many-requests', title: 'Too many requests', status: 429,
        detail: `at most ${perMinute} ${what} a minute; retry after a minute`, instance: req.originalUrl,
      });
    },
  });
}
