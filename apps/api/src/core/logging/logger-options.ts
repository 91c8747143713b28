import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { LoggerOptions } from 'pino';
import type { AppConfig } from '../../config/app-config';
import { REDACTED, redactQuery, redactSensitive, redactUrl } from './redact';

/**
 * pino options shared by the HTTP logger and anything else that logs: JSON lines in
 * production, pino-pretty in development, and secrets redacted wherever they appear.
 */
export function buildPinoOptions(config: AppConfig): LoggerOptions {
  return {
    level: config.logging.level,
    // Known header locations first (fast path), then a deep pass for `*secret*`, `*token*`,
    // `password` and friends anywhere in a logged object.
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
      censor: REDACTED,
    },
    formatters: { log: (object) => redactSensitive(object) },
    ...(config.logging.pretty
      ? {
          transport: {
            target: 'pino-pretty',
            options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
          },
        }
      : {}),
  };
}

export function buildLoggerParams(config: AppConfig): Params {
  return {
    // nestjs-pino's default route '*' is legacy syntax for Express 5's path-to-regexp and
    // makes Nest print a conversion warning at every start.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
    pinoHttp: {
      ...buildPinoOptions(config),
      genReqId: (req: IncomingMessage) => req.correlationId ?? randomUUID(),
      customProps: (req: IncomingMessage) => ({ correlationId: req.correlationId }),
      serializers: {
        // pino's request serializer copies `query` and `params` besides the URL: the sign-in
        // callback's `code` and `state`, an onboarding link's token.
        req: (req: { headers?: unknown; url?: unknown; query?: unknown; params?: unknown }) => ({
          ...req,
          ...(typeof req.url === 'string' ? { url: redactUrl(req.url) } : {}),
          ...(req.query === undefined ? {} : { query: redactQuery(req.query) }),
          ...(req.params === undefined ? {} : { params: redactSensitive(req.params) }),
          headers: redactSensitive(req.headers),
        }),
        // A redirect's Location carries the sign-in request to Microsoft (state, nonce, PKCE).
        res: (res: { headers?: Record<string, unknown> }) => ({
          ...res,
          ...(res.headers === undefined ? {} : { headers: redactResponseHeaders(res.headers) }),
        }),
      },
      customLogLevel: (_req, res, error) => {
        if (error !== undefined || res.statusCode >= 500) return 'error';
        if (res.statusCode >= 400) return 'warn';
        return 'info';
      },
    },
  };
}

function redactResponseHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  const copy = redactSensitive(headers);
  const location = copy['location'];
  if (typeof location === 'string') copy['location'] = redactUrl(location);
  return copy;
}
