import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { ZodType } from 'zod';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { Database } from '../../server/db/database';
import { listRoutes } from '../../server/http/routes-list';
import { toOpenApiPath } from '../../server/openapi/openapi';
import { API_OPERATIONS } from '../../server/openapi/operations';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, {
    summary?: string; tags?: string[];
    parameters?: Array<{ name: string; in: string; example?: unknown }>;
    requestBody?: { content: Record<string, { example?: unknown }> };
    responses: Record<string, { content?: Record<string, { example?: unknown }> }>;
  }>>;
  components: { securitySchemes?: Record<string, unknown> };
};

const SWAGGER_UI_DIR = path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

// Building the app and serving the description touch no database: a stub is enough.
const stubDb = { knex: {} as Database['knex'], engine: 'embedded', where: 'stub', close: async () => {} } satisfies Database;

describe('API description', () => {
  let app: Express;
  let doc: Doc;
  beforeAll(async () => {
    app = createApp({ db: stubDb, config: loadConfig({ LOG_LEVEL: 'silent' }) });
    const res = await request(app).get('/api/openapi.json').expect(200).expect('Content-Type', /application\/json/);
    doc = res.body as Doc;
  });

  it('is an OpenAPI 3.1 document with a bearer scheme', () => {
    expect(doc.openapi.startsWith('3.1')).toBe(true);
    expect(doc.components.securitySchemes).toHaveProperty('bearerAuth');
  });

  it('describes every route the app serves, and nothing else', () => {
    // The API's routes; the page's (`/`, the built client) are not part of it.
    const served = listRoutes(app).filter((r) => r.method !== 'HEAD' && /^\/(api|tiles)\//.test(r.path)).map((r) => `${r.method} ${toOpenApiPath(r.path)}`).sort();
    const described = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`)).sort();
    expect(served.length).toBeGreaterThan(25);
    for (const route of served) expect(described, `${route} is not in /api/openapi.json (add it to server/openapi/operations.ts)`).toContain(route);
    for (const route of described) expect(served, `${route} is described but not served`).toContain(route);
    expect(served).toContain('GET /tiles/stations/{z}/{x}/{y}.pbf');
  });

  it('gives every operation a summary, a tag and at least one example', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method.toUpperCase()} ${path}`;
        expect(op.summary, where).toBeTruthy();
        expect(op.tags?.length, where).toBe(1);
        const examples = [
          ...(op.parameters ?? []).map((p) => p.example),
          ...Object.values(op.requestBody?.content ?? {}).map((m) => m.example),
          ...Object.values(op.responses).flatMap((r) => Object.values(r.content ?? {}).map((m) => m.example)),
        ].filter((e) => e !== undefined);
        expect(examples.length, `${where} has no example`).toBeGreaterThan(0);
        // A path parameter must be described for each {placeholder}.
        const placeholders = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
        expect((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort(), where).toEqual(placeholders);
        for (const p of (op.parameters ?? []).filter((p) => p.in === 'path')) expect((p as { required?: boolean }).required, `${where} {${p.name}}`).toBe(true);
      }
    }
  });

  it('generates parameters from the schemas the routes validate with, and its examples pass them', () => {
    for (const op of API_OPERATIONS) {
      const where = `${op.method.toUpperCase()} ${op.path}`;
      const generated = doc.paths[op.path][op.method].parameters ?? [];
      if (op.query) {
        expect(generated.filter((p) => p.in === 'query').map((p) => p.name).sort(), where).toEqual(Object.keys(op.query.shape).sort());
        const parsed = op.query.safeParse(op.examples?.query ?? {});
        expect(parsed.success, `${where} query example: ${parsed.error?.message}`).toBe(true);
      }
      if (op.params) {
        const parsed = op.params.safeParse(op.examples?.params ?? {});
        expect(parsed.success, `${where} params example: ${parsed.error?.message}`).toBe(true);
      }
      const jsonBody = op.body?.content['application/json'];
      if (jsonBody && 'schema' in jsonBody && jsonBody.schema instanceof ZodType) {
        const parsed = jsonBody.schema.safeParse(jsonBody.example);
        expect(parsed.success, `${where} body example: ${parsed.error?.message}`).toBe(true);
      }
    }
  });

  it('documents every JSON and GeoJSON answer by its schema, with an example that passes it', () => {
    let checked = 0;
    for (const op of API_OPERATIONS) {
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [media, entry] of Object.entries(response.content ?? {})) {
          if (!/json/.test(media)) continue;
          const content = entry as { schema?: unknown; example?: unknown };
          const where = `${op.method.toUpperCase()} ${op.path} ${status} ${media}`;
          expect(content.schema instanceof ZodType, `${where} has no zod schema`).toBe(true);
          const parsed = (content.schema as ZodType).safeParse(content.example);
          expect(parsed.success, `${where} example: ${parsed.error?.message}`).toBe(true);
          // In the document: the answer's properties (directly or by reference), not a bare object.
          const documented = (doc.paths[op.path][op.method].responses[status].content as Record<string, { schema?: Record<string, unknown> }>)[media].schema ?? {};
          expect(documented.$ref ?? documented.properties ?? documented.anyOf ?? documented.oneOf, `${where} documented as ${JSON.stringify(documented)}`).toBeDefined();
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(35);
  });

  it('documents problem responses and the token on write routes', () => {
    const writes = Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item).filter(([m]) => m !== 'get').map(([m, op]) => ({ where: `${m} ${path}`, op: op as typeof op & { security?: unknown[] } })));
    expect(writes.length).toBeGreaterThan(0);
    for (const { where, op } of writes) {
      expect(op.security, where).toEqual([{ bearerAuth: [] }]);
      for (const status of ['401', '403', '429']) expect(op.responses[status]?.content, `${where} ${status}`).toHaveProperty(['application/problem+json']);
    }
    expect(doc.paths['/api/communes/{code}'].get.responses['404'].content).toHaveProperty(['application/problem+json']);
    expect(doc.paths['/api/stations/import'].post.responses['413']).toBeDefined();
  });

  it('serves Swagger UI from its package, booted on this document, under the content security policy', async () => {
    const page = await request(app).get('/api/docs').expect(200).expect('Content-Type', /^text\/html; charset=utf-8/);
    const csp = page.headers['content-security-policy'] as string;
    const scriptSrc = /(?:^|;)\s*script-src ([^;]*)/.exec(csp)?.[1];
    expect(scriptSrc).toBe("'self'");
    // No inline script (the policy would refuse it), nothing from another host.
    const scripts = [...page.text.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/ src="\/api\/docs\/assets\/[^"]+"/);
      expect(body.trim()).toBe('');
    }
    expect(page.text).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = [...page.text.matchAll(/(?:src|href)="(\/api\/docs\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.sort()).toEqual(['/api/docs/assets/phusong-docs.js', '/api/docs/assets/swagger-ui-bundle.js', '/api/docs/assets/swagger-ui.css']);

    const types: Record<string, RegExp> = { '.js': /^text\/javascript; charset=utf-8/, '.css': /^text\/css; charset=utf-8/ };
    for (const url of assets) {
      const res = await request(app).get(url).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect(res.headers['content-type'], url).toMatch(types[path.extname(url)]);
      expect(res.headers['content-security-policy'], url).toBe(csp);
    }
    // Swagger UI's files are the package's own bytes, not a copy of ours.
    for (const name of ['swagger-ui-bundle.js', 'swagger-ui.css']) {
      const res = await request(app).get(`/api/docs/assets/${name}`).buffer(true).parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      }).expect(200);
      expect((res.body as Buffer).equals(fs.readFileSync(path.join(SWAGGER_UI_DIR, name))), name).toBe(true);
    }
    const boot = (await request(app).get('/api/docs/assets/phusong-docs.js').expect(200)).text;
    expect(boot).toContain('url: "/api/openapi.json"');
    expect(boot).toMatch(/tryItOutEnabled: true/);
    expect(boot).toMatch(/validatorUrl: null/);
    expect(boot).not.toMatch(/https?:/);
    // Only the files the page uses: not the package's petstore page, its manifest, or a way out of it.
    for (const url of ['/api/docs/assets/index.html', '/api/docs/assets/package.json', '/api/docs/assets/swagger-initializer.js', '/api/docs/assets/../openapi.json', '/api/docs/assets/%2e%2e%2fpackage.json']) {
      const res = await request(app).get(url);
      expect(res.status, url).not.toBe(500);
      expect(res.headers['content-type'], url).not.toMatch(/javascript|text\/html/);
    }
    await request(app).get('/api/docs/assets/index.html').expect(404);
    await request(app).post('/api/docs/assets/swagger-ui.css').expect((r) => expect(r.status).toBeGreaterThanOrEqual(400));
  });

  it('serves the pages\' icon, as /favicon.svg and /favicon.ico, from the built page', async () => {
    const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'phusong-client-'));
    try {
      const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>';
      fs.mkdirSync(path.join(clientDir, 'assets'));
      fs.writeFileSync(path.join(clientDir, 'assets/favicon-abc123.svg'), svg);
      fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><link rel="icon" type="image/svg+xml" href="/assets/favicon-abc123.svg" /><title>t</title>');
      const built = createApp({ db: stubDb, config: loadConfig({ LOG_LEVEL: 'silent', CLIENT_DIR: clientDir }) });
      for (const url of ['/favicon.svg', '/favicon.ico', '/assets/favicon-abc123.svg']) {
        const res = await request(built).get(url).expect(200).expect('Content-Type', /^image\/svg\+xml/);
        expect(res.body.toString(), url).toBe(svg);
      }
      await request(built).get('/favicon.ico/x').expect(404);
      // The docs page names the same icon.
      expect((await request(built).get('/api/docs').expect(200)).text).toContain('<link rel="icon" type="image/svg+xml" href="/favicon.svg">');
    } finally {
      fs.rmSync(clientDir, { recursive: true, force: true });
    }
  });
});
