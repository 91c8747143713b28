import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** One backup run of a tenant: `running` until it commits, aborts, or is found dead at start-up. */
@Entity({ name: 'backup_run' })
@Index('idx_backup_run_tenant_status', ['tenantId', 'status'])
export class BackupRunEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** `full` or `incremental`. */
  @Column({ name: 'mode', type: 'varchar', length: 16 })
  mode!: string;

  /** `running`, `completed`, `partial`, `failed` or `interrupted`. */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  /** JSON array of the object type keys the run covers. */
  @Column({ name: 'types', type: 'text' })
  types!: string;

  @IsoTimestampColumn({ name: 'started_at' })
  startedAt!: Date;

  @IsoTimestampColumn({ name: 'finished_at', nullable: true })
  finishedAt!: Date | null;

  /** Why a run failed or was interrupted; null otherwise. */
  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;
}
