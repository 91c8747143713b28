import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * An append-only log record (sign-in, directory audit), stored once per id. It belongs to every
 * snapshot from `first_seen_seq` on.
 */
@Entity({ name: 'log_entry' })
@Index('idx_log_entry_first_seen', ['tenantId', 'typeKey', 'firstSeenSeq'])
export class BackupLogEntryEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @PrimaryColumn({ name: 'type_key', type: 'varchar', length: 64 })
  typeKey!: string;

  @PrimaryColumn({ name: 'entry_id', type: 'varchar', length: 512 })
  entryId!: string;

  /** The Graph collection (`signIns`, `directoryAudits`). */
  @Column({ name: 'collection', type: 'varchar', length: 128 })
  collection!: string;

  @Column({ name: 'first_seen_seq', type: 'integer' })
  firstSeenSeq!: number;

  @Column({ name: 'content_hash', type: 'varchar', length: 64 })
  contentHash!: string;
}
