import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What a running snapshot has seen so far: a put (`content_hash` set) or a delta removal
 * (`content_hash` null) per object. Invisible to readers; applied to `object_version` in the
 * snapshot's commit transaction and deleted there, or discarded when the run fails or dies.
 */
@Entity({ name: 'backup_staged_object' })
export class BackupStagedObjectEntity {
  @PrimaryColumn({ name: 'snapshot_id', type: 'varchar', length: 36 })
  snapshotId!: string;

  @PrimaryColumn({ name: 'type_key', type: 'varchar', length: 64 })
  typeKey!: string;

  @PrimaryColumn({ name: 'collection', type: 'varchar', length: 128 })
  collection!: string;

  @PrimaryColumn({ name: 'object_id', type: 'varchar', length: 512 })
  objectId!: string;

  @Column({ name: 'content_hash', type: 'varchar', length: 64, nullable: true })
  contentHash!: string | null;
}
