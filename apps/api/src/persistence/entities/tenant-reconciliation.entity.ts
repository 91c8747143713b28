import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * How often a tenant's backups reconcile with a full read. No row: the default
 * (`DEFAULT_RECONCILE_EVERY_DAYS`).
 */
@Entity({ name: 'tenant_reconciliation' })
export class TenantReconciliationEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @Column({ name: 'every_days', type: 'integer' })
  everyDays!: number;

  @IsoTimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
