import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** The placeholder of the portal's `index.html` (`<eb-root ngCspNonce="...">`) that each response replaces. */
export const CSP_NONCE_PLACEHOLDER = 'EB_CSP_NONCE';

/** HSTS for a year, subdomains included, once a browser has reached us over HTTPS. */
const HSTS = 'max-age=31536000; includeSubDomains';

declare module 'http' {
  interface ServerResponse {
    /** This response's content-security-policy nonce (base64). */
    cspNonce?: string;
  }
}

const nonce = (_req: IncomingMessage, res: ServerResponse) => `'nonce-${res.cspNonce ?? ''}'`;

/**
 * The portal's and the API's security headers, through helmet:
 * - a content security policy: scripts and styles only from our origin or carrying this
 *   response's nonce. Angular reads the nonce from `ngCspNonce` on the root element and puts it
 *   on the component styles it inserts; the build's inlined critical CSS and its stylesheet
 *   loader script carry it too (https://angular.dev/best-practices/security#content-security-policy);
 * - no framing (`frame-ancestors 'none'` and `X-Frame-Options: DENY`), `nosniff`, no referrer;
 * - HSTS only on responses that went out over HTTPS: on the TLS socket itself, or, when the
 *   public URL is https (a TLS-terminating proxy in front), as the proxy's `X-Forwarded-Proto`
 *   says, the same trust the session cookie's `Secure` flag relies on.
 * The API's interactive documentation (Swagger UI) styles itself inline and shows images from
 * data URLs, so its pages may do that too.
 */
export function securityHeadersMiddleware(options: {
  readonly publicUrlIsHttps: boolean;
  readonly docsPath: string;
}): RequestHandler {
  const common = {
    defaultSrc: ["'self'"],
    baseUri: ["'self'"],
    connectSrc: ["'self'"],
    fontSrc: ["'self'", 'data:'],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    objectSrc: ["'none'"],
  };
  const shared = {
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  } as const;
  const strict = helmet({
    ...shared,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...common,
        scriptSrc: ["'self'", nonce],
        styleSrc: ["'self'", nonce],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  const docs = helmet({
    ...shared,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        ...common,
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  const docsPrefix = `/${options.docsPath}`;
  return (req: Request, res: Response, next: NextFunction) => {
    res.cspNonce = randomBytes(16).toString('base64');
    if (servedOverHttps(req, options.publicUrlIsHttps)) res.setHeader('Strict-Transport-Security', HSTS);
    const isDocs =
      req.path === docsPrefix ||
      req.path.startsWith(`${docsPrefix}/`) ||
      req.path.startsWith(`${docsPrefix}-`);
    (isDocs ? docs : strict)(req, res, next);
  };
}

function servedOverHttps(req: Request, trustForwardedProto: boolean): boolean {
  if ((req.socket as Partial<TLSSocket>).encrypted === true) return true;
  if (!trustForwardedProto) return false;
  const forwarded = req.headers['x-forwarded-proto'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return first === 'https';
}
