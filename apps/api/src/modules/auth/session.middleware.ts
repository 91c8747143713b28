import { Injectable, Logger, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import session from 'express-session';
import { AppConfig } from '../../config/app-config';
import { Clock } from '../../core/clock';
import { AuthSessionRepository } from '../../persistence/repositories/auth-session.repository';
import { loadSessionSecret } from './session-secret';
import { DatabaseSessionStore } from './session-store';

export const SESSION_COOKIE = 'entra_backup_sid';
/** Idle timeout of a portal session (each request extends it). */
export const SESSION_IDLE_MS = 8 * 3600_000;

/**
 * express-session with our database store: an httpOnly, SameSite=Lax cookie that is `Secure`
 * whenever the public URL is https (every deployment but a localhost trial).
 */
@Injectable()
export class SessionMiddleware implements NestMiddleware {
  private readonly handler: RequestHandler;

  constructor(config: AppConfig, sessions: AuthSessionRepository, clock: Clock) {
    const secure = new URL(config.auth.publicUrl).protocol === 'https:';
    const host = new URL(config.auth.publicUrl).hostname;
    if (!secure && !['localhost', '127.0.0.1', '::1', '[::1]'].includes(host)) {
      new Logger('Auth').warn(
        `ENTRA_BACKUP_PUBLIC_URL ${config.auth.publicUrl} is not https: session cookies are sent unencrypted`,
      );
    }
    this.handler = session({
      name: SESSION_COOKIE,
      secret: loadSessionSecret(config.auth.sessionSecret, config.storage.dataDir),
      store: new DatabaseSessionStore(sessions, clock),
      resave: false,
      saveUninitialized: false,
      rolling: true,
      // Behind a TLS-terminating proxy the request arrives as http; trust its X-Forwarded-Proto
      // so the Secure cookie is still set.
      proxy: secure,
      cookie: { httpOnly: true, sameSite: 'lax', secure, maxAge: SESSION_IDLE_MS, path: '/' },
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    this.handler(req, res, next);
  }
}
