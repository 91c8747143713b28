import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * A secret read from Graph by a run that has not (yet) committed it: a BitLocker recovery key,
 * whose every read is audited in the customer's tenant. Kept outside the run's staging area, so a
 * run killed after the read does not make the next run read it again; removed when a snapshot
 * holding the type commits. The value is sealed with the data key, bound to its row.
 */
@Entity({ name: 'backup_secret_read' })
export class BackupSecretReadEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'varchar', length: 36 })
  tenantId!: string;

  @PrimaryColumn({ name: 'type_key', type: 'varchar', length: 64 })
  typeKey!: string;

  @PrimaryColumn({ name: 'object_id', type: 'varchar', length: 256 })
  objectId!: string;

  /** AES-256-GCM sealed value (see `PayloadCodec.sealText`), base64. */
  @Column({ name: 'sealed_value', type: 'text' })
  sealedValue!: string;

  @IsoTimestampColumn({ name: 'read_at' })
  readAt!: Date;
}
