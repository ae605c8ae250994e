import zlib from 'node:zlib';
import etag from 'etag';
import type { Request, Response } from 'express';

interface Serialised {
  body: Buffer;
  etag: string;
  gzip?: Buffer;
}

const serialised = new WeakMap<object, Serialised>();

/** Answers smaller than this go uncompressed, as compression's default threshold does. */
const GZIP_THRESHOLD_BYTES = 1024;

/**
 * Sends `value` as JSON like `res.json`, with the same weak ETag (and so the same 304s), but
 * serialises it, hashes it and gzips it once per object rather than once per request.
 *
 * The hot views (the summary, the gaps, a commune's coverage) are cached by the services per data
 * version and are the same object from one request to the next until a write changes the data;
 * for them this saves the stringify, the SHA-1 and the compression of every answer. A value sent
 * here must never be changed afterwards: the cached views are built once and only read.
 */
export function sendJson(req: Request, res: Response, value: object, type = 'application/json; charset=utf-8'): void {
  let answer = serialised.get(value);
  if (!answer) {
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    answer = { body, etag: etag(body, { weak: true }) };
    serialised.set(value, answer);
  }
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
