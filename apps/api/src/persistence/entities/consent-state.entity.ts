import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * A pending admin-consent request: the SHA-256 of its `state`, the session it belongs to (also
 * hashed) and its expiry. `used_at` makes the state single-use.
 */
@Entity({ name: 'consent_state' })
export class ConsentStateEntity {
  @PrimaryColumn({ name: 'state_hash', type: 'varchar', length: 64 })
  stateHash!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'session_hash', type: 'varchar', length: 64 })
  sessionHash!: string;

  @Column({ name: 'requested_by', type: 'varchar', length: 256 })
  requestedBy!: string;

  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @IsoTimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;

  @IsoTimestampColumn({ name: 'used_at', nullable: true })
  usedAt!: Date | null;
}
