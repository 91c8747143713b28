import type { ServerResponse } from 'node:http';
import { basename, join } from 'node:path';
import { readFile } from 'node:fs/promises';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { CSP_NONCE_PLACEHOLDER } from './security-headers';

/** Angular build output names files `<name>-<HASH>.<ext>`; such a file never changes. */
const HASHED_ASSET = /-[A-Z0-9]{8,}\.(?:js|mjs|css|woff2?|ttf|svg|png|jpg|webp|ico)$/;

/**
 * index.html must be revalidated on every load so a new release is picked up at once, while
 * content-hashed bundles can be cached for good.
 */
function setPortalCacheHeaders(res: ServerResponse, path: string): void {
  if (HASHED_ASSET.test(basename(path))) {
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
  } else {
    res.setHeader('Cache-Control', 'no-cache');
  }
}

/** Whether a (version-rewritten) request path belongs to the API. */
export function isApiPath(path: string, apiPrefix: string): boolean {
  return path === `/${apiPrefix}` || path.startsWith(`/${apiPrefix}/`);
}

/**
 * Serves the built portal: its files, and index.html for any other GET outside the API so deep
 * links of the single-page app work. Everything under the API prefix passes through untouched,
 * errors included, so the API's exception filter answers them (a malformed body is a 400, not
 * the portal's business). @nestjs/serve-static is not used for this: its error handler turns
 * every error raised on an API path, before the route runs, into `404 Cannot POST ...`.
 */
export function portalHostingMiddleware(portalDir: string, apiPrefix: string): RequestHandler {
  const index = join(portalDir, 'index.html');
  const files = express.static(portalDir, {
    index: false,
    fallthrough: true,
    setHeaders: setPortalCacheHeaders,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (isApiPath(req.path, apiPrefix) || (req.method !== 'GET' && req.method !== 'HEAD')) return next();
    // index.html is never served as a plain file: it carries each response's CSP nonce.
    if (basename(req.path) === 'index.html') {
      sendIndex(index, res).catch(next);
      return;
    }
    files(req, res, (error?: unknown) => {
      if (error !== undefined) return next(error);
      sendIndex(index, res).catch(next);
    });
  };
}

/**
 * index.html with this response's content-security-policy nonce in place of the build's
 * placeholder (on `<eb-root ngCspNonce>`, the inlined critical CSS and its loader script).
 */
async function sendIndex(index: string, res: Response): Promise<void> {
  const html = await readFile(index, 'utf8');
  setPortalCacheHeaders(res, index);
  res.type('html').send(html.replaceAll(CSP_NONCE_PLACEHOLDER, res.cspNonce ?? ''));
}
