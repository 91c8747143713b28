import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** The notification outbox: one row per message and recipient, with how its delivery went. */
@Entity({ name: 'notification' })
export class NotificationEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36, nullable: true })
  tenantId!: string | null;

  /** Set when the recipient is a partner's contact. */
  @Column({ name: 'partner_id', type: 'varchar', length: 36, nullable: true })
  partnerId!: string | null;

  @Column({ name: 'kind', type: 'varchar', length: 64 })
  kind!: string;

  @Column({ name: 'subject', type: 'varchar', length: 256 })
  subject!: string;

  @Column({ name: 'body', type: 'text' })
  body!: string;

  /** `email`, `webhook` or `none` (nobody to tell: recorded only). */
  @Column({ name: 'channel', type: 'varchar', length: 16 })
  channel!: string;

  @Column({ name: 'recipient', type: 'varchar', length: 2048, nullable: true })
  recipient!: string | null;

  /** `recorded`, `pending`, `sent`, `failed`, `held` (for a digest) or `digested`. */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'error', type: 'varchar', length: 512, nullable: true })
  error!: string | null;

  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @IsoTimestampColumn({ name: 'sent_at', nullable: true })
  sentAt!: Date | null;

  /** The notification recipient (its webhook secret signs the document); null for other contacts. */
  @Column({ name: 'recipient_id', type: 'varchar', length: 36, nullable: true })
  recipientId!: string | null;

  /** The JSON document a webhook receives, kept so every retry posts the same bytes. */
  @Column({ name: 'payload', type: 'text', nullable: true })
  payload!: string | null;

  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;

  @IsoTimestampColumn({ name: 'next_attempt_at', nullable: true })
  nextAttemptAt!: Date | null;
}

/** One delivery attempt of a notification and how it went. */
@Entity({ name: 'notification_attempt' })
export class NotificationAttemptEntity {
  @PrimaryColumn({ name: 'notification_id', type: 'varchar', length: 36 })
  notificationId!: string;

  @PrimaryColumn({ name: 'attempt', type: 'integer' })
  attempt!: number;

  @IsoTimestampColumn({ name: 'at' })
  at!: Date;

  /** `sent` or `failed`. */
  @Column({ name: 'outcome', type: 'varchar', length: 16 })
  outcome!: string;

  @Column({ name: 'detail', type: 'varchar', length: 512, nullable: true })
  detail!: string | null;
}

/** A mail address or webhook told of a tenant's alerts (or of all its customers', for a partner). */
@Entity({ name: 'notification_recipient' })
export class NotificationRecipientEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  /** `tenant` or `partner`. */
  @Column({ name: 'owner_kind', type: 'varchar', length: 16 })
  ownerKind!: string;

  @Column({ name: 'owner_id', type: 'varchar', length: 36 })
  ownerId!: string;

  /** `email` or `webhook`. */
  @Column({ name: 'channel', type: 'varchar', length: 16 })
  channel!: string;

  @Column({ name: 'address', type: 'varchar', length: 2048 })
  address!: string;

  /** A webhook's signing secret, sealed with the data key (base64); null for mail. */
  @Column({ name: 'secret_sealed', type: 'text', nullable: true })
  secretSealed!: string | null;

  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 256 })
  createdBy!: string;
}

/** A tenant's alert thresholds and digest choice (defaults apply without a row). */
@Entity({ name: 'alert_settings' })
export class AlertSettingsEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'mass_deletion_threshold', type: 'integer' })
  massDeletionThreshold!: number;

  @Column({ name: 'bitlocker_read_threshold', type: 'integer' })
  bitlockerReadThreshold!: number;

  @Column({ name: 'daily_digest', type: 'boolean', default: false })
  dailyDigest!: boolean;

  @IsoTimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 256 })
  updatedBy!: string;
}

/** What a periodic check of a tenant last saw and when (stale backups, consent health, digest). */
@Entity({ name: 'alert_state' })
export class AlertStateEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @PrimaryColumn({ name: 'check_key', type: 'varchar', length: 32 })
  checkKey!: string;

  @Column({ name: 'fingerprint', type: 'varchar', length: 512, nullable: true })
  fingerprint!: string | null;

  @IsoTimestampColumn({ name: 'checked_at' })
  checkedAt!: Date;
}
