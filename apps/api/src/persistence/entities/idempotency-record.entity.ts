import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * One `Idempotency-Key` of one principal on one route: claimed (`pending`) before the request's
 * work starts, then holding the answer (`done`) that repeats of the key get back until it expires.
 */
@Entity({ name: 'idempotency_record' })
export class IdempotencyRecordEntity {
  @PrimaryColumn({ name: 'scope_hash', type: 'varchar', length: 64 })
  scopeHash!: string;

  @Column({ name: 'principal', type: 'varchar', length: 300 })
  principal!: string;

  @Column({ name: 'route', type: 'varchar', length: 512 })
  route!: string;

  @Column({ name: 'request_hash', type: 'varchar', length: 64 })
  requestHash!: string;

  /** `pending` or `done`. */
  @Column({ name: 'state', type: 'varchar', length: 16 })
  state!: string;

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus!: number | null;

  /** The answer's JSON. */
  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody!: string | null;

  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @IsoTimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;
}
