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

  /** `recorded`, `sent` or `failed`. */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'error', type: 'varchar', length: 512, nullable: true })
  error!: string | null;

  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @IsoTimestampColumn({ name: 'sent_at', nullable: true })
  sentAt!: Date | null;
}
