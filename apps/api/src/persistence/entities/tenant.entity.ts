import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** An Entra tenant the service backs up. The primary key is the tenant id GUID, lower-case. */
@Entity({ name: 'tenant' })
export class TenantEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 256 })
  displayName!: string;

  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;

  @IsoTimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;

  /** The partner that manages the tenant (at most one), or null. */
  @Column({ name: 'partner_id', type: 'varchar', length: 36, nullable: true })
  partnerId!: string | null;

  @IsoTimestampColumn({ name: 'partner_linked_at', nullable: true })
  partnerLinkedAt!: Date | null;
}
