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
import { escapeHtml, renderApiDocs } from '../../server/openapi/docs.html';

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

  it('serves a readable page of it, without script, mentioning every path', async () => {
    const res = await request(app).get('/api/docs').expect(200).expect('Content-Type', /text\/html/);
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.text).not.toMatch(/<script/i);
    expect(res.text).not.toMatch(/(src|href)="https?:/);
    for (const path of Object.keys(doc.paths)) expect(res.text, path).toContain(escapeHtml(path));
    expect(res.text).toContain('Parameters');
    expect(res.text).toContain('Example');
  });

  it('escapes text taken from the document', () => {
    const html = renderApiDocs({
      openapi: '3.1.0', info: { title: '<script>alert(1)</script>', version: '1' },
      paths: { '/x/<img>': { get: { summary: '"><b>hi</b>', tags: ['T<'], responses: { 200: { description: '<i>ok</i>', content: { 'application/json': { example: { a: '</pre><script>' } } } } } } } },
    });
    expect(html).not.toMatch(/<script|<img|<b>|<i>ok|<\/pre><script/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
