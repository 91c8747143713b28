import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * A point-in-time view of a tenant. Only `complete` and `partial` snapshots are visible; `seq`
 * increases per tenant and is what object version ranges refer to.
 */
@Entity({ name: 'snapshot' })
@Index('uq_snapshot_tenant_seq', ['tenantId', 'seq'], { unique: true })
export class BackupSnapshotEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'seq', type: 'integer' })
  seq!: number;

  @Column({ name: 'run_id', type: 'varchar', length: 36, unique: true })
  runId!: string;

  /** `full` or `incremental`. */
  @Column({ name: 'mode', type: 'varchar', length: 16 })
  mode!: string;

  /** `writing`, `complete`, `partial`, `failed`, `interrupted` or `pruned` (retention let it go). */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @IsoTimestampColumn({ name: 'completed_at', nullable: true })
  completedAt!: Date | null;
}
