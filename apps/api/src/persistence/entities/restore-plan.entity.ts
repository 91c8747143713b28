import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** A computed restore plan: what it restores from where into where, and its summary figures. */
@Entity({ name: 'restore_plan' })
@Index('idx_restore_plan_tenant_created', ['tenantId', 'createdAt'])
export class RestorePlanEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  /** The snapshot's tenant. */
  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'target_tenant_id', type: 'varchar', length: 36 })
  targetTenantId!: string;

  @Column({ name: 'snapshot_id', type: 'varchar', length: 36 })
  snapshotId!: string;

  /** The backup of the target the plan was computed against. */
  @Column({ name: 'live_snapshot_id', type: 'varchar', length: 36, nullable: true })
  liveSnapshotId!: string | null;

  /** `ready`, `executing`, `executed` or `expired`. */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  /** The selection as JSON. */
  @Column({ name: 'selection', type: 'text' })
  selection!: string;

  /** Summary figures (planned, byAction, unrecoverable, missingPermissions) as JSON. */
  @Column({ name: 'summary', type: 'text' })
  summary!: string;

  @Column({ name: 'actor', type: 'varchar', length: 256 })
  actor!: string;

  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
