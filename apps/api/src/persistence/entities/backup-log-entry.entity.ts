import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

/**
 * An append-only log record (sign-in, directory audit), stored once per id. It belongs to every
 * snapshot from `first_seen_seq` on.
 */
@Entity({ name: 'log_entry' })
@Index('idx_log_entry_first_seen', ['tenantId', 'typeKey', 'firstSeenSeq'])
@Index('idx_log_entry_activity', ['tenantId', 'typeKey', 'activityAt'])
/** Whether a blob is still referenced, for retention's garbage collection. */
@Index('idx_log_entry_hash', ['contentHash'])
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

  /**
   * The entry's own time (ISO-8601 UTC; empty when it has none), set with its target lookup rows
   * (`log_entry_target`). Null for entries stored before that index existed, until the history
   * reader indexes them.
   */
  @Column({ name: 'activity_at', type: 'varchar', length: ISO_TIMESTAMP_LENGTH, nullable: true })
  activityAt!: string | null;
}
