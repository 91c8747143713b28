import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * One prune of a tenant (scheduled, API or CLI): its outcome and what it freed. A prune killed
 * midway stays `running` until the next prune of the tenant marks it `failed`.
 */
@Entity({ name: 'prune_run' })
@Index('idx_prune_run_tenant_started', ['tenantId', 'startedAt'])
export class PruneRunEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** `schedule`, `api` or `cli`. */
  @Column({ name: 'trigger', type: 'varchar', length: 16 })
  trigger!: string;

  /** `running`, `completed`, `failed`, `held` or `skipped`. */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'actor', type: 'varchar', length: 256 })
  actor!: string;

  @IsoTimestampColumn({ name: 'started_at' })
  startedAt!: Date;

  @IsoTimestampColumn({ name: 'finished_at', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'snapshots', type: 'integer' })
  snapshots!: number;

  @Column({ name: 'object_versions', type: 'integer' })
  objectVersions!: number;

  @Column({ name: 'log_entries', type: 'integer' })
  logEntries!: number;

  @Column({ name: 'blobs', type: 'integer' })
  blobs!: number;

  @Column({ name: 'bytes', type: 'bigint' })
  bytes!: string;

  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;
}
