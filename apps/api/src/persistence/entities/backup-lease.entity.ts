import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** Who may run a backup of a tenant right now; expires so a crashed holder cannot keep it. */
@Entity({ name: 'backup_lease' })
export class BackupLeaseEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'holder_id', type: 'varchar', length: 128 })
  holderId!: string;

  @IsoTimestampColumn({ name: 'acquired_at' })
  acquiredAt!: Date;

  @IsoTimestampColumn({ name: 'expires_at' })
  expiresAt!: Date;
}
