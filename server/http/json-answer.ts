import zlib from 'node:zlib';
import etag from 'etag';
import type { Request, Response } from 'express';
import type { z } from 'zod';
import { derivedOnce } from '../db/versioned-cache';

interface Serialised {
  body: Buffer;
  etag: string;
  gzip?: Buffer;
}

/** Answers smaller than this go uncompressed, as compression's default threshold does. */
const GZIP_THRESHOLD_BYTES = 1024;

const JSON_TYPE = 'application/json; charset=utf-8';
export const GEOJSON_TYPE = 'application/geo+json; charset=utf-8';

function serialise(value: unknown): Serialised {
  const body = Buffer.from(JSON.stringify(value), 'utf8');
  return { body, etag: etag(body, { weak: true }) };
}

/**
 * Sends `value` as JSON like `res.json`, with the same weak ETag (and so the same 304s). A cached
 * answer (frozen by server/db/versioned-cache.ts, the same object until a write changes the data)
 * is serialised, hashed and gzipped once; any other value at each request.
 */
export function sendJson(req: Request, res: Response, value: unknown, type = JSON_TYPE): void {
  const answer = derivedOnce(value, 'json', () => serialise(value));
  res.set('Content-Type', type).set('ETag', answer.etag);
  if (answer.body.length >= GZIP_THRESHOLD_BYTES) {
    res.vary('Accept-Encoding');
    if (req.acceptsEncodings('gzip', 'identity') === 'gzip') {
      answer.gzip ??= zlib.gzipSync(answer.body);
      // The compression middleware leaves an answer already encoded as it is.
      res.set('Content-Encoding', 'gzip');
      res.send(answer.gzip);
      return;
    }
  }
  // send() keeps an ETag already set, answers 304 to a matching If-None-Match, and drops the body for HEAD.
  res.send(answer.body);
}

/**
 * Sends an answer as its schema describes it: `value` must have the schema's type (`z.output`,
 * Dates where the wire has ISO strings), so a field the schema requires and the service does not
 * give, or of another type, is a compile error. The schema is the one server/openapi/operations.ts
 * documents for this route, and test/api/contract.test.ts checks the bytes against it.
 */
export function sendAnswer<S extends z.ZodType>(
  req: Request, res: Response, _schema: S, value: z.output<S>, options: { status?: number; geojson?: boolean } = {},
): void {
  if (options.status) res.status(options.status);
  sendJson(req, res, value, options.geojson ? GEOJSON_TYPE : JSON_TYPE);
}
