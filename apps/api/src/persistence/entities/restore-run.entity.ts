import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** One execution of a plan (a plan is executed at most once; an interrupted one is resumed). */
@Entity({ name: 'restore_run' })
@Index('idx_restore_run_tenant_started', ['tenantId', 'startedAt'])
@Index('idx_restore_run_target_started', ['targetTenantId', 'startedAt'])
export class RestoreRunEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'plan_id', type: 'varchar', length: 36, unique: true })
  planId!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'target_tenant_id', type: 'varchar', length: 36 })
  targetTenantId!: string;

  @Column({ name: 'snapshot_id', type: 'varchar', length: 36 })
  snapshotId!: string;

  /** `running`, `completed`, `partial`, `failed` or `interrupted`. */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'actor', type: 'varchar', length: 256 })
  actor!: string;

  @Column({ name: 'pre_restore_snapshot_id', type: 'varchar', length: 36, nullable: true })
  preRestoreSnapshotId!: string | null;

  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;

  @IsoTimestampColumn({ name: 'started_at' })
  startedAt!: Date;

  @IsoTimestampColumn({ name: 'finished_at', nullable: true })
  finishedAt!: Date | null;
}
