import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * What the backup service reports about a run beyond storage's run row: who started it and how,
 * and the summary figures (Graph requests against the minimum, BitLocker key reads, ...).
 */
@Entity({ name: 'backup_run_report' })
@Index('idx_backup_run_report_tenant_started', ['tenantId', 'startedAt'])
export class BackupRunReportEntity {
  @PrimaryColumn({ name: 'run_id', type: 'varchar', length: 36 })
  runId!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** `manual`, `schedule` or `cli`. */
  @Column({ name: 'trigger', type: 'varchar', length: 16 })
  trigger!: string;

  @Column({ name: 'actor', type: 'varchar', length: 256 })
  actor!: string;

  /** `full` or `incremental`. */
  @Column({ name: 'mode', type: 'varchar', length: 16 })
  mode!: string;

  /** JSON array of the run's object type keys. */
  @Column({ name: 'types', type: 'text' })
  types!: string;

  /** `running`, `completed`, `partial`, `failed` or `interrupted`. */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  @IsoTimestampColumn({ name: 'started_at' })
  startedAt!: Date;

  @IsoTimestampColumn({ name: 'finished_at', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;

  /** The run summary as JSON once the run ended with a result; null while running or when it died. */
  @Column({ name: 'summary', type: 'text', nullable: true })
  summary!: string | null;
}
