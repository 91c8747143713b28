import type { IncomingMessage } from 'node:http';
import { RequestMethod } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Params } from 'nestjs-pino';
import type { LoggerOptions } from 'pino';
import type { AppConfig } from '../../config/app-config';
import { REDACTED, redactSensitive, redactUrl } from './redact';

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
        req: (req: { headers?: unknown; url?: unknown }) => ({
          ...req,
          ...(typeof req.url === 'string' ? { url: redactUrl(req.url) } : {}),
          headers: redactSensitive(req.headers),
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
