import compression from 'compression';
import type { RequestHandler } from 'express';

/**
 * gzip/brotli answers (compression) for the clients that ask for them. A request without
 * Accept-Encoding skips the middleware: it would answer such a client uncompressed anyway (its
 * default), after wrapping the response's write, end and headers, which was the largest single
 * cost of a cached read's stack (test/bench/README.md). The Vary header compression would add is
 * set here too.
 */
export function compress(): RequestHandler {
  const compressing = compression();
  return (req, res, next) => {
    if (req.headers['accept-encoding']) return compressing(req, res, next);
    res.vary('Accept-Encoding');
    next();
  };
}
