import { Writable } from 'node:stream';
import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { describe, expect, it, vi } from 'vitest';
import zlib from 'node:zlib';
import { compress } from '../../../server/http/compress';
import { derivedOnce, stampedCache } from '../../../server/db/versioned-cache';
import { sendJson } from '../../../server/http/json-answer';
import { requestId } from '../../../server/http/request-id';
import { requestLog } from '../../../server/http/request-log';

describe('sendJson', () => {
  const value = { code: '25111', name: 'Phường Việt Trì', figures: [{ technology: '5g', areaPct: 91.25 }] };
  const app = express();
  app.get('/plain', (_req, res) => void res.json(value));
  app.get('/cached', (req, res) => sendJson(req, res, value));
  app.get('/geo', (req, res) => sendJson(req, res, { type: 'FeatureCollection', features: [] }, 'application/geo+json'));

  it('answers exactly what res.json answers: body, type, length and ETag', async () => {
    const [plain, cached] = await Promise.all([request(app).get('/plain'), request(app).get('/cached')]);
    expect(cached.status).toBe(200);
    expect(cached.text).toBe(plain.text);
    expect(cached.body).toEqual(value);
    for (const h of ['content-type', 'content-length', 'etag']) expect(cached.headers[h], h).toBe(plain.headers[h]);
    expect(cached.headers.etag).toMatch(/^W\/"/);
    expect((await request(app).get('/geo')).headers['content-type']).toMatch(/^application\/geo\+json/);
  });

  it('answers 304 to a matching If-None-Match and no body to HEAD', async () => {
    const first = await request(app).get('/cached');
    const again = await request(app).get('/cached').set('If-None-Match', first.headers.etag);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const head = await request(app).head('/cached');
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(first.headers['content-length']);
    expect(head.text ?? '').toBe('');
  });

  it('gzips a large answer once for clients that accept gzip, and says it varies', async () => {
    const big = { items: Array.from({ length: 200 }, (_, i) => ({ code: String(25000 + i), pct: i / 7 })) };
    const app2 = express();
    app2.use(compress());
    app2.get('/big', (req, res) => sendJson(req, res, big));
    app2.get('/small', (req, res) => sendJson(req, res, { n: 1 }));
    const gz = await request(app2).get('/big').set('Accept-Encoding', 'gzip, deflate, br');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toMatch(/Accept-Encoding/);
    expect(gz.body).toEqual(big); // supertest gunzips
    expect(Number(gz.headers['content-length'])).toBe(zlib.gzipSync(JSON.stringify(big)).length);
    const identity = await request(app2).get('/big').set('Accept-Encoding', '');
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toMatch(/Accept-Encoding/);
    expect(identity.body).toEqual(big);
    expect(identity.headers.etag).toBe(gz.headers.etag);
    const small = await request(app2).get('/small').set('Accept-Encoding', 'gzip');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body).toEqual({ n: 1 });
  });

  it('serialises a cached answer once, and any other value at each request', async () => {
    const cached = stampedCache(async () => 'v1');
    const view = await cached('k', async () => ({ n: 1 }));
    const plain = { n: 1 };
    const app2 = express();
    app2.get('/cached', (req, res) => sendJson(req, res, view));
    app2.get('/plain', (req, res) => sendJson(req, res, plain));
    const stringify = vi.spyOn(JSON, 'stringify');
    try {
      for (let i = 0; i < 3; i++) expect((await request(app2).get('/cached')).body).toEqual({ n: 1 });
      expect(stringify.mock.calls.filter(([v]) => v === view)).toHaveLength(1);
      expect((await request(app2).get('/plain')).body).toEqual({ n: 1 });
      plain.n = 2; // not a cached answer: what is sent is what it is now
      expect((await request(app2).get('/plain')).body).toEqual({ n: 2 });
    } finally {
      stringify.mockRestore();
    }
  });
});

describe('the answer cache', () => {
  it('deep-freezes what it keeps, so that changing a cached answer throws', async () => {
    const cached = stampedCache(async () => 'v1');
    const answer = await cached('k', async () => ({
      items: [{ code: '07900', pct: 1 }], byCode: new Map([['07900', { pct: 1 }]]), codes: new Set(['07900']), tile: Buffer.from([1, 2]),
    }));
    expect(() => { answer.items[0].pct = 2; }).toThrow(TypeError);
    expect(() => answer.items.push({ code: 'x', pct: 0 })).toThrow(TypeError);
    expect(() => answer.byCode.set('x', { pct: 0 })).toThrow(/frozen/);
    expect(() => { answer.byCode.get('07900')!.pct = 2; }).toThrow(TypeError);
    expect(() => answer.codes.add('x')).toThrow(/frozen/);
    expect(answer.byCode.get('07900')).toEqual({ pct: 1 });
    // Buffers (tiles) cannot be frozen: kept as they are rather than refused.
    expect(answer.tile).toEqual(Buffer.from([1, 2]));
    // The same object until the stamp moves.
    expect(await cached('k', async () => ({ items: [], byCode: new Map(), codes: new Set<string>(), tile: Buffer.alloc(0) }))).toBe(answer);
  });

  it('derives once per cached answer, and every time for other values', async () => {
    const cached = stampedCache(async () => 'v1');
    const answer = await cached('k', async () => ({ n: 1 }));
    let builds = 0;
    const build = () => ++builds;
    expect([derivedOnce(answer, 'x', build), derivedOnce(answer, 'x', build)]).toEqual([1, 1]);
    expect([derivedOnce({ n: 1 }, 'x', build), derivedOnce({ n: 1 }, 'x', build)]).toEqual([2, 3]);
  });
});

describe('compress', () => {
  const text = 'Phường Việt Trì '.repeat(500);
  const app = express();
  app.use(compress());
  app.get('/text', (_req, res) => void res.type('text/plain').send(text));

  it('compresses for clients that ask, and answers the others plainly with Vary', async () => {
    const gz = await request(app).get('/text').set('Accept-Encoding', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.text).toBe(text);
    const plain = await request(app).get('/text').set('Accept-Encoding', ''); // supertest asks for gzip unless told
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toBe('Accept-Encoding');
    expect(plain.text).toBe(text);
  });
});

describe('requestLog', () => {
  function logged(level: string) {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({ write(chunk, _enc, done) { lines.push(JSON.parse(String(chunk))); done(); } });
    const app = express();
    app.use(requestId);
    app.use(requestLog(pino({ level }, stream)));
    app.get('/ok', (_req, res) => void res.json({ ok: true }));
    app.get('/broken', (_req, res) => void res.status(503).json({ down: true }));
    return { app, lines };
  }
  const settle = () => new Promise((r) => setTimeout(r, 20));

  it('writes one line per request with its request id, method, url, status and time', async () => {
    const { app, lines } = logged('info');
    const res = await request(app).get('/ok?x=1').set('X-Request-Id', 'req-42');
    await settle();
    expect(res.headers['x-request-id']).toBe('req-42');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, reqId: 'req-42', req: { method: 'GET', url: '/ok?x=1' }, res: { statusCode: 200 }, msg: 'request completed' });
    expect(typeof lines[0].responseTime).toBe('number');
  });

  it('logs a 5xx at error and drops lines below the level', async () => {
    const { app, lines } = logged('warn');
    const generated = (await request(app).get('/broken')).headers['x-request-id'];
    await request(app).get('/ok');
    await settle();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, reqId: generated, res: { statusCode: 503 }, msg: 'request failed' });
  });
});
