import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * One row per (tenant, object type key). Keys are plain strings rather than columns, so a new
 * object type needs no migration; a missing row means the type is off.
 */
@Entity({ name: 'tenant_setting' })
export class TenantSettingEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @PrimaryColumn({ name: 'object_type', type: 'varchar', length: 64 })
  objectType!: string;

  @Column({ name: 'enabled', type: 'boolean' })
  enabled!: boolean;

  @IsoTimestampColumn({ name: 'updated_at' })
  updatedAt!: Date;
}
