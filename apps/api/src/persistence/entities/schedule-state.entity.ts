import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * A tenant's automatic backups: when the next one is due, and who is starting it right now.
 * `next_run_at` is null while no object type is switched on. A claim (`claimed_by` until
 * `claimed_until`) lets exactly one process start a due run.
 */
@Entity({ name: 'backup_schedule' })
export class ScheduleStateEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'offset_minutes', type: 'integer' })
  offsetMinutes!: number;

  @Index('idx_backup_schedule_next_run_at')
  @IsoTimestampColumn({ name: 'next_run_at', nullable: true })
  nextRunAt!: Date | null;

  @IsoTimestampColumn({ name: 'first_configured_at', nullable: true })
  firstConfiguredAt!: Date | null;

  @IsoTimestampColumn({ name: 'last_run_at', nullable: true })
  lastRunAt!: Date | null;

  @Column({ name: 'last_run_id', type: 'varchar', length: 64, nullable: true })
  lastRunId!: string | null;

  /** Why the last due run did not start (e.g. consent missing); null after a start. */
  @Column({ name: 'last_error', type: 'varchar', length: 1024, nullable: true })
  lastError!: string | null;

  /** Whether the first (full) backup has been started. */
  @Column({ name: 'first_run_started', type: 'boolean', default: false })
  firstRunStarted!: boolean;

  @Column({ name: 'claimed_by', type: 'varchar', length: 128, nullable: true })
  claimedBy!: string | null;

  @IsoTimestampColumn({ name: 'claimed_until', nullable: true })
  claimedUntil!: Date | null;

  @IsoTimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
