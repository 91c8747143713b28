import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

export const CORRELATION_ID_HEADER = 'x-correlation-id';

/** Accepted from callers only when short and free of characters that could forge log lines. */
const SANE_CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

declare module 'http' {
  interface IncomingMessage {
    correlationId?: string;
  }
}

/**
 * Gives every request a correlation id (the caller's `x-correlation-id` if sane, else a new
 * UUID), stores it on the request for logs and errors, and echoes it in the response header.
 * Registered with `app.use` before anything else so even body-parser failures carry it.
 */
export function correlationIdMiddleware(req: Request, res: Response, next: NextFunction): void {
  const offered = req.headers[CORRELATION_ID_HEADER];
  const id = typeof offered === 'string' && SANE_CORRELATION_ID.test(offered) ? offered : randomUUID();
  req.correlationId = id;
  res.setHeader(CORRELATION_ID_HEADER, id);
  next();
}

export function correlationIdOf(req: Request, res: Response): string {
  if (req.correlationId !== undefined) return req.correlationId;
  const header = res.getHeader(CORRELATION_ID_HEADER);
  return typeof header === 'string' ? header : randomUUID();
}
