import { Entity, PrimaryColumn } from 'typeorm';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

/**
 * A lookup row per (log entry, target id): which directory objects an audit entry names in its
 * `targetResources`, with the entry's activity time. Payloads are encrypted, so "the audit entries
 * of object X between two snapshots" is answered from this index instead of decrypting every
 * entry of the tenant.
 */
@Entity({ name: 'log_entry_target' })
export class BackupLogTargetEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @PrimaryColumn({ name: 'type_key', type: 'varchar', length: 64 })
  typeKey!: string;

  @PrimaryColumn({ name: 'target_id', type: 'varchar', length: 512 })
  targetId!: string;

  /** ISO-8601 UTC (`activityDateTime`), empty when the entry carries no time. */
  @PrimaryColumn({ name: 'activity_at', type: 'varchar', length: ISO_TIMESTAMP_LENGTH })
  activityAt!: string;

  @PrimaryColumn({ name: 'entry_id', type: 'varchar', length: 512 })
  entryId!: string;
}
