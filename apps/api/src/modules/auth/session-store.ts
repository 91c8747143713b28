import { createHash } from 'node:crypto';
import { Store, type SessionData } from 'express-session';
import type { Clock } from '../../core/clock';
import type { AuthSessionRepository } from '../../persistence/repositories/auth-session.repository';
import { PENDING_SIGN_IN_TTL_MS } from './oidc-client';

/** Sessions without a cookie expiry (never the case with our settings) live this long. */
const DEFAULT_TTL_MS = 8 * 3600_000;

export function hashSessionId(sid: string): string {
  return createHash('sha256').update(sid).digest('hex');
}

/**
 * express-session's store on our database (SQLite or PostgreSQL) through the repository layer,
 * so sessions survive restarts and are shared by every process. Ids are stored hashed.
 */
export class DatabaseSessionStore extends Store {
  constructor(
    private readonly sessions: AuthSessionRepository,
    private readonly clock: Clock,
  ) {
    super();
  }

  override get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): void {
    this.sessions
      .findLive(hashSessionId(sid), this.clock.now())
      .then((data) => callback(null, data === null ? null : (JSON.parse(data) as SessionData)))
      .catch((error: unknown) => callback(error));
  }

  override set(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
    this.sessions
      .save(hashSessionId(sid), JSON.stringify(session), this.expiryOf(session))
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  override touch(sid: string, session: SessionData, callback?: (err?: unknown) => void): void {
    this.sessions
      .extend(hashSessionId(sid), this.expiryOf(session))
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  override destroy(sid: string, callback?: (err?: unknown) => void): void {
    this.sessions
      .delete(hashSessionId(sid))
      .then(() => callback?.())
      .catch((error: unknown) => callback?.(error));
  }

  /**
   * The cookie's expiry for a signed-in session. A session that holds no one yet (a sign-in on
   * its way to Microsoft and back) lives as long as that sign-in may take, so abandoned sign-in
   * starts do not pile up for the 8 hours of a session.
   */
  private expiryOf(session: SessionData): Date {
    const now = this.clock.now().getTime();
    const expires = session.cookie?.expires;
    const cookieExpiry = expires ? new Date(expires).getTime() : now + DEFAULT_TTL_MS;
    const signedIn = session.user !== undefined || session.emergency !== undefined;
    return new Date(signedIn ? cookieExpiry : Math.min(cookieExpiry, now + PENDING_SIGN_IN_TTL_MS));
  }
}
