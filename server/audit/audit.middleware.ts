import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { principalOf } from '../auth/auth.middleware';
import { describePrincipal } from '../auth/tokens.service';
import type { AuditRepo } from './audit.repo';

/**
 * Records every write request (any method but GET/HEAD/OPTIONS) once its answer is sent, refused
 * ones included. A failure to audit is logged, never turned into the client's error.
 */
export function auditWrites(repo: AuditRepo, logger?: Logger): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') {
      next();
      return;
    }
    res.on('finish', () => {
      const principal = principalOf(req);
      repo.record({
        actor: describePrincipal(principal),
        tokenId: principal.kind === 'token' ? principal.tokenId : null,
        method: req.method,
        path: req.originalUrl.slice(0, 500),
        status: res.statusCode,
        requestId: (req as unknown as { id?: string }).id ?? null,
      }).catch((err: unknown) => logger?.error({ err }, 'audit record failed'));
    });
    next();
  };
}
