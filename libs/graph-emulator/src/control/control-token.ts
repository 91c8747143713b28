import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Guards the control API: it hands out the tenants' ground truth (BitLocker recovery keys
 * among it) and edits them, so whoever can reach the port must also hold the token. Answers
 * 401 with a plain JSON body (the control API is never Graph-shaped).
 */
export function requireControlToken(token: string): RequestHandler {
  const expected = digest(token);
  return (req: Request, res: Response, next: NextFunction) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.header('authorization') ?? '');
    if (match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected)) return next();
    res
      .status(401)
      .setHeader('WWW-Authenticate', 'Bearer realm="emulator control"')
      .json({ error: 'The emulator control API needs Authorization: Bearer <control token>' });
  };
}
