import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * The Graph deltaLink to resume a collection from. A deltaLink works like a bearer token for the
 * collection's changes, so it is stored only sealed (AES-256-GCM) in the unmapped `sealed_link`
 * column (BLOB / BYTEA), and replaced only when a snapshot commits.
 */
@Entity({ name: 'delta_state' })
export class BackupDeltaStateEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @PrimaryColumn({ name: 'type_key', type: 'varchar', length: 64 })
  typeKey!: string;

  @PrimaryColumn({ name: 'collection', type: 'varchar', length: 128 })
  collection!: string;

  @Column({ name: 'snapshot_seq', type: 'integer' })
  snapshotSeq!: number;

  /** When Graph issued the link; delta tokens expire, so the engine decides on a full sync by age. */
  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
