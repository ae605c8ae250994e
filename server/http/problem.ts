import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { ZodError } from 'zod';
import {
  ConflictError,
  ForbiddenError,
  InvalidFileError,
  NotFoundError,
  TooLargeError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
  type IssueLocation,
} from '../errors';

/** RFC 9457 problem details. Extra members (issues) are allowed by the RFC. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  issues?: IssueLocation[];
  /** With `issues` capped: how many there were in all. */
  issuesTotal?: number;
  importId?: number;
}

/** Problem bodies list at most this many issues; `issuesTotal` gives the full count. */
export const MAX_ISSUES_IN_RESPONSE = 1000;

const PROBLEM_BASE = 'https://phusong.invalid/problems/';

// The one table from domain errors to HTTP.
// Order matters: a subclass comes before its parent.
const STATUS: Array<[new (...args: never[]) => Error, number, string]> = [
  [InvalidFileError, 422, 'Invalid file'],
  [ValidationError, 400, 'Invalid request'],
  [TooLargeError, 413, 'Payload too large'],
  [UnauthorizedError, 401, 'Unauthorized'],
  [ForbiddenError, 403, 'Forbidden'],
  [NotFoundError, 404, 'Not found'],
  [ConflictError, 409, 'Conflict'],
  [UnavailableError, 503, 'Service unavailable'],
];

export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type('application/problem+json').json(problem);
}

export function problemFor(err: unknown): Problem {
  if (err instanceof ZodError) {
    return {
      type: `${PROBLEM_BASE}invalid-request`,
      title: 'Invalid request',
      status: 400,
      detail: err.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; '),
      issues: err.issues.map((i) => ({ severity: 'error', row: null, column: i.path.join('.') || null, message: i.message })),
    };
  }
  if (isBodyParserError(err)) {
    return { type: `${PROBLEM_BASE}invalid-body`, title: 'Invalid request body', status: err.status, detail: err.message };
  }
  if (isDatabaseDown(err)) {
    return { type: `${PROBLEM_BASE}unavailable`, title: 'Service unavailable', status: 503, detail: 'the database is unreachable; retry shortly' };
  }
  for (const [kind, status, title] of STATUS) {
    if (err instanceof kind) {
      const problem: Problem = { type: `${PROBLEM_BASE}${slug(title)}`, title, status, detail: err.message };
      if (err instanceof ValidationError && err.issues.length) {
        problem.issues = err.issues.slice(0, MAX_ISSUES_IN_RESPONSE);
        problem.issuesTotal = err instanceof InvalidFileError ? err.total : err.issues.length;
      }
      if (err instanceof InvalidFileError && err.importId !== null) problem.importId = err.importId;
      return problem;
    }
  }
  // Anything else is our fault: say so without the stack or the SQL.
  return { type: `${PROBLEM_BASE}internal`, title: 'Internal error', status: 500, detail: 'an unexpected error occurred; it has been logged' };
}

export const notFoundRoute: RequestHandler = (req, res) => {
  sendProblem(res, { type: `${PROBLEM_BASE}not-found`, title: 'Not found', status: 404, detail: `no route for ${req.method} ${req.path}` });
};

/** The last handler: every error becomes problem+json; ours (5xx) are logged with the request id. */
export function problemHandler(logger?: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const problem = problemFor(err);
    if (problem.status >= 500) logger?.error({ err, reqId: (req as unknown as { id?: string }).id }, 'request error');
    if (problem.status === 503) res.set('Retry-After', '5');
    if (res.headersSent) return;
    sendProblem(res, { ...problem, instance: req.originalUrl });
  };
}

function isBodyParserError(err: unknown): err is { status: number; message: string; type: string } {
  return typeof err === 'object' && err !== null && 'type' in err && 'status' in err &&
    typeof (err as { status: unknown }).status === 'number' && (err as { status: number }).status < 500;
}

const DOWN_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003']);

function isDatabaseDown(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && DOWN_CODES.has(code)) return true;
  const message = String((err as { message?: unknown }).message ?? '');
  return /Connection terminated|Knex: Timeout acquiring a connection/.test(message);
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-');
}
