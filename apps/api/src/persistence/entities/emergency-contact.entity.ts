import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** Who is told of emergency sign-ins: a tenant's contacts or a partner's. */
@Entity({ name: 'emergency_contact' })
export class EmergencyContactEntity {
  /** `tenant` or `partner`. */
  @PrimaryColumn({ name: 'owner_kind', type: 'varchar', length: 16 })
  ownerKind!: string;

  @PrimaryColumn({ name: 'owner_id', type: 'varchar', length: 36 })
  ownerId!: string;

  /** JSON array of addresses. */
  @Column({ name: 'emails', type: 'text' })
  emails!: string;

  @Column({ name: 'webhook_url', type: 'varchar', length: 2048, nullable: true })
  webhookUrl!: string | null;

  @IsoTimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'varchar', length: 256 })
  updatedBy!: string;
}
