import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** The application permissions verified as granted in a tenant (the `roles` of an app token). */
@Entity({ name: 'consent_grant' })
export class ConsentGrantEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  /** JSON array of permission names, sorted. */
  @Column({ name: 'granted_roles', type: 'text' })
  grantedRoles!: string;

  @Column({ name: 'granted_by', type: 'varchar', length: 256 })
  grantedBy!: string;

  @IsoTimestampColumn({ name: 'granted_at' })
  grantedAt!: Date;

  @IsoTimestampColumn({ name: 'verified_at' })
  verifiedAt!: Date;
}
