import type { RequestHandler } from 'express';
import type { Logger } from 'pino';

/**
 * One structured line per answered request, with its request id (see request-id.ts):
 * `{ reqId, req: { method, url }, res: { statusCode }, responseTime }`, at `info`, or `error`
 * for a 5xx and `warn` for a connection closed before the answer was sent.
 *
 * pino-http did this before and was a visible share of a cached read's CPU (test/bench/README.md):
 * it builds two child loggers per request and runs the request serialiser even when the level
 * drops the line. Here nothing is built unless the line is written.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    const done = () => {
      res.removeListener('finish', done);
      res.removeListener('close', done);
      const level = !res.writableFinished ? 'warn' : res.statusCode >= 500 ? 'error' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level]({
        reqId: (req as unknown as { id?: string }).id,
        req: { method: req.method, url: req.originalUrl },
        res: { statusCode: res.statusCode },
        responseTime: Number(process.hrtime.bigint() - start) / 1e6,
      }, !res.writableFinished ? 'request aborted' : res.statusCode >= 500 ? 'request failed' : 'request completed');
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
