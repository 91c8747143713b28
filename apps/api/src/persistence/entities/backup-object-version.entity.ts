import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One distinct version of a directory object, valid from snapshot `valid_from_seq` up to (not
 * including) `valid_to_seq`; an open version (`valid_to_seq` null) is current. The tenant as of
 * snapshot S is `valid_from_seq <= S AND (valid_to_seq IS NULL OR valid_to_seq > S)`.
 */
@Entity({ name: 'object_version' })
@Index('idx_object_version_open', ['tenantId', 'typeKey', 'validToSeq'])
/** Whether a blob is still referenced, for retention's garbage collection. */
@Index('idx_object_version_hash', ['contentHash'])
export class BackupObjectVersionEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @PrimaryColumn({ name: 'type_key', type: 'varchar', length: 64 })
  typeKey!: string;

  /** The Graph collection (`users`, `roleAssignments`, `namedLocations`, ...). */
  @PrimaryColumn({ name: 'collection', type: 'varchar', length: 128 })
  collection!: string;

  @PrimaryColumn({ name: 'object_id', type: 'varchar', length: 512 })
  objectId!: string;

  @PrimaryColumn({ name: 'valid_from_seq', type: 'integer' })
  validFromSeq!: number;

  @Column({ name: 'valid_to_seq', type: 'integer', nullable: true })
  validToSeq!: number | null;

  @Column({ name: 'content_hash', type: 'varchar', length: 64 })
  contentHash!: string;
}
