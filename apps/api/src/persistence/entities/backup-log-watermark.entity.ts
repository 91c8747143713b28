import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** How far an append-only log has been read; advanced only when a snapshot commits. */
@Entity({ name: 'log_watermark' })
export class BackupLogWatermarkEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @PrimaryColumn({ name: 'type_key', type: 'varchar', length: 64 })
  typeKey!: string;

  /** Opaque to storage; the engine stores e.g. the newest `createdDateTime` it read. */
  @Column({ name: 'watermark', type: 'varchar', length: 256 })
  watermark!: string;

  @Column({ name: 'snapshot_seq', type: 'integer' })
  snapshotSeq!: number;

  @IsoTimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
