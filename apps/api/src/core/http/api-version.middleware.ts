import type { NextFunction, Request, Response } from 'express';

/** The versioned base path of the API; `/api` serves the same routes (the portal uses it). */
export const VERSIONED_API_PREFIX = '/api/v1';

const VERSIONED = /^\/api\/v1(?=\/|\?|$)/;

/**
 * Serves every API route under `/api/v1/...` too, with the same handlers: the path is rewritten
 * to `/api/...` before routing (`originalUrl` keeps what the client sent). Scripts should use
 * `/api/v1`: its routes, parameters and answers only change in backwards-compatible ways.
 */
export function apiVersionMiddleware(request: Request, _response: Response, next: NextFunction): void {
  if (VERSIONED.test(request.url)) request.url = request.url.replace(VERSIONED, '/api');
  next();
}
