import type { RequestHandler } from 'express';
import { UnauthorizedError } from '../errors';
import { ANONYMOUS, type Principal, type TokensService } from './tokens.service';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Attaches `req.principal`; with `publicReads` false, reads need a token too. */
export function authenticate(tokens: TokensService, options: { publicReads: boolean }): RequestHandler {
  return async (req, _res, next) => {
    req.principal = await tokens.authenticate(req.get('authorization'));
    const isRead = req.method === 'GET' || req.method === 'HEAD';
    if (isRead && !options.publicReads && req.principal.kind === 'anonymous' && req.path !== '/health') {
      throw new UnauthorizedError('reading needs a token on this deployment');
    }
    next();
  };
}

export function principalOf(req: { principal?: Principal }): Principal {
  return req.principal ?? ANONYMOUS;
}
