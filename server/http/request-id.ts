import crypto from 'node:crypto';
import type { RequestHandler } from 'express';

const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Every request gets an id (a well-formed incoming X-Request-Id is kept), logged and echoed back. */
export const requestId: RequestHandler = (req, res, next) => {
  const incoming = req.get('x-request-id');
  const id = incoming && INCOMING_ID.test(incoming) ? incoming : crypto.randomUUID();
  (req as unknown as { id: string }).id = id;
  res.set('X-Request-Id', id);
  next();
};
