import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * One of a partner's staff, by sign-in name (lower-case). The person's own tenant is bound on
 * their first sign-in, so the membership cannot pass to an account of the same name elsewhere.
 */
@Entity({ name: 'partner_member' })
export class PartnerMemberEntity {
  @PrimaryColumn({ name: 'partner_id', type: 'varchar', length: 36 })
  partnerId!: string;

  @PrimaryColumn({ name: 'upn', type: 'varchar', length: 256 })
  upn!: string;

  /** `owner`, `admin`, `operator` or `viewer`. */
  @Column({ name: 'role', type: 'varchar', length: 16 })
  role!: string;

  @Column({ name: 'home_tenant_id', type: 'varchar', length: 36, nullable: true })
  homeTenantId!: string | null;

  @Column({ name: 'object_id', type: 'varchar', length: 36, nullable: true })
  objectId!: string | null;

  @IsoTimestampColumn({ name: 'added_at' })
  addedAt!: Date;

  @Column({ name: 'added_by', type: 'varchar', length: 256 })
  addedBy!: string;
}
