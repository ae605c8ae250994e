import type { NextFunction, Request, RequestHandler } from 'express';
import { UnauthorizedError } from '../errors';
import { ANONYMOUS, type Principal, type TokensService } from './tokens.service';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Attaches `req.principal`; with `publicReads` false, reads need a token too. */
export function authenticate(tokens: TokensService, options: { publicReads: boolean }): RequestHandler {
  const admit = (req: Request, principal: Principal, next: NextFunction) => {
    req.principal = principal;
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    if (isRead && !options.publicReads && principal.kind === 'anonymous' && req.path !== '/health') {
      throw new UnauthorizedError('reading needs a token on this deployment');
    }
    next();
  };
  return (req, _res, next) => {
    const header = req.get('authorization');
    // Most reads carry no token: no promise to wait on for them.
    if (!header) return admit(req, ANONYMOUS, next);
    return tokens.authenticate(header).then((principal) => admit(req, principal, next));
  };
}

export function principalOf(req: { principal?: Principal }): Principal {
  return req.principal ?? ANONYMOUS;
}
