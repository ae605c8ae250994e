import { OpenAPIRegistry, type ResponseConfig, type ZodContentObject } from '@asteasolutions/zod-to-openapi';
import type { ZodObject } from 'zod';
import { z } from 'zod';
import { IssueSchema } from '../contract/parts';

/**
 * One operation of the API as the description knows it. `params`, `query` and `body` are the very
 * zod schemas the route handlers parse with (imported from the modules' `*.schema.ts` files), so
 * the description cannot drift from the validation. Examples are given as the client would send
 * them (query values as strings) and are checked against those schemas by test/api/openapi.test.ts.
 */
export interface ApiOperation {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI path: `/api/communes/{code}`. */
  path: string;
  tag: Tag;
  summary: string;
  description?: string;
  /** `public`: no token ever; `read`: a token only when PUBLIC_READS=false; `operator`/`admin`: a write. */
  access: 'public' | 'read' | 'operator' | 'admin';
  params?: ZodObject;
  query?: ZodObject;
  body?: { description?: string; content: ZodContentObject; required?: boolean };
  examples?: { params?: Record<string, string>; query?: Record<string, string> };
  /** Success responses (and any specific ones); the problem responses come from `errors`. */
  responses: Record<number, ResponseConfig>;
  /** Problem statuses besides the ones `access` implies (401, 403, 503). */
  errors?: ProblemStatus[];
}

export const TAGS = {
  Health: 'Liveness and database reachability.',
  Stations: 'Base stations and their radios; uploads of station files and their import records.',
  Communes: 'The communes of the province: list, boundaries.',
  Coverage: 'Computed mobile coverage per commune, per point, as a layer; recompute jobs.',
  Broadband: 'Fixed (fiber) broadband figures per commune; uploads of operator figures.',
  Targets: 'Planning targets and figures reported by authorities.',
  Summary: 'Targets against computed figures, gaps, history and printable commune reports.',
  Tiles: 'Vector tiles for the map.',
  Meta: 'This description.',
} as const;
export type Tag = keyof typeof TAGS;

export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 503;

const PROBLEM_TEXT: Record<ProblemStatus, string> = {
  400: 'Invalid request: a parameter or the body breaks a rule (`issues` lists them).',
  401: 'No valid token: writes always need one; reads only when the deployment sets PUBLIC_READS=false.',
  403: 'The token is valid but its role may not do this (an operator writes only its own data; admin-only routes).',
  404: 'Nothing with this identifier.',
  409: 'Conflicts with what is stored (e.g. a target code already in use).',
  413: 'The uploaded file is larger than MAX_UPLOAD_MB.',
  422: 'The file was read but its content breaks the rules; `issues` gives row and column.',
  429: 'Too many requests: rate limit of writes or of expensive reads (RATE_LIMIT_* per minute).',
  503: 'The database is unreachable; retry after the `Retry-After` seconds.',
};

const PROBLEM_EXAMPLES: Partial<Record<ProblemStatus, object>> = {
  400: {
    type: 'https://phusong.invalid/problems/invalid-request', title: 'Invalid request', status: 400,
    detail: 'code: a commune code is 5 digits, e.g. 07900', issues: [{ severity: 'error', row: null, column: 'code', message: 'a commune code is 5 digits, e.g. 07900' }],
    instance: '/api/communes/79',
  },
  401: { type: 'https://phusong.invalid/problems/unauthorized', title: 'Unauthorized', status: 401, detail: 'a token is required', instance: '/api/targets' },
  404: { type: 'https://phusong.invalid/problems/not-found', title: 'Not found', status: 404, detail: 'no commune 99999', instance: '/api/communes/99999' },
};

/** RFC 9457 problem details, as `server/http/problem.ts` writes them: the one schema of every error answer. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    issues: z.array(IssueSchema).optional(),
    issuesTotal: z.number().int().optional(),
    importId: z.number().int().optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (`application/problem+json`).' });

export const BEARER = 'bearerAuth';

/** Titles as server/http/problem.ts and the rate limiter write them. */
const PROBLEM_TITLE: Record<ProblemStatus, string> = {
  400: 'Invalid request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict',
  413: 'Payload too large', 422: 'Invalid file', 429: 'Too many requests', 503: 'Service unavailable',
};

function problemResponse(status: ProblemStatus): ResponseConfig {
  const title = PROBLEM_TITLE[status];
  const example = PROBLEM_EXAMPLES[status] ?? {
    type: `https://phusong.invalid/problems/${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`, title, status, detail: PROBLEM_TEXT[status],
  };
  return { description: PROBLEM_TEXT[status], content: { 'application/problem+json': { schema: ProblemSchema, example } } };
}

/** The problem statuses an operation can answer with. */
export function problemStatuses(op: ApiOperation): ProblemStatus[] {
  const set = new Set<ProblemStatus>(op.errors ?? []);
  if (op.params || op.query || op.body) set.add(400);
  if (op.access !== 'public') set.add(401);
  if (op.access === 'operator' || op.access === 'admin') set.add(403).add(429);
  if (op.access !== 'public' || op.tag === 'Health') set.add(503);
  if (op.tag === 'Meta') set.delete(503);
  return [...set].sort((a, b) => a - b);
}

export function buildRegistry(operations: readonly ApiOperation[]): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', BEARER, {
    type: 'http', scheme: 'bearer', bearerFormat: 'psg_…',
    description: 'An API token (`npm run token:create`). Writes need one; reads too when PUBLIC_READS=false.',
  });
  for (const op of operations) {
    const responses: Record<string, ResponseConfig> = {};
    for (const [status, response] of Object.entries(op.responses)) responses[status] = response;
    for (const status of problemStatuses(op)) responses[String(status)] ??= problemResponse(status);
    const security: Array<Record<string, string[]>> = op.access === 'public' ? [] : op.access === 'read' ? [{}, { [BEARER]: [] }] : [{ [BEARER]: [] }];
    registry.registerPath({
      method: op.method,
      path: op.path,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      operationId: operationId(op),
      security,
      ...(op.access === 'admin' ? { 'x-role': 'admin' } : op.access === 'operator' ? { 'x-role': 'operator (own data) or admin' } : {}),
      request: {
        ...(op.params ? { params: op.params } : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(op.body ? { body: op.body } : {}),
      },
      responses,
    });
  }
  return registry;
}

function operationId(op: ApiOperation): string {
  const words = op.path.replace(/^\/(api|tiles)\//, op.path.startsWith('/tiles') ? 'tiles/' : '').split(/[^a-zA-Z0-9]+/).filter(Boolean);
  return [op.method, ...words].map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('');
}
