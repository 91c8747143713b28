import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * A signed-in portal session (express-session's data). The key is the SHA-256 of the session id,
 * so a copy of the database does not hand out live cookies.
 */
@Entity({ name: 'auth_session' })
export class AuthSessionEntity {
  @PrimaryColumn({ name: 'sid_hash', type: 'varchar', length: 64 })
  sidHash!: string;

  /** The session as JSON (user, CSRF token, pending sign-in). */
  @Column({ name: 'data', type: 'text' })
  data!: string;

  @Index('idx_auth_session_expires_at')
  @IsoTimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;
}
