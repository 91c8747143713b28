import { createHash } from 'node:crypto';
import { Store, type SessionData } from 'express-session';
import type { Clock } from '../../core/clock';
import type { AuthSessionRepository } from '../../persistence/repositories/auth-session.repository';

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

  private expiryOf(session: SessionData): Date {
    const expires = session.cookie?.expires;
    if (expires) return new Date(expires);
    return new Date(this.clock.now().getTime() + DEFAULT_TTL_MS);
  }
}
