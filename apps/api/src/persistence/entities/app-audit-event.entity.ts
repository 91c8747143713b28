import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** Append-only trail of who changed what in the application (not the tenant's own audit log). */
@Entity({ name: 'app_audit_event' })
export class AppAuditEventEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @IsoTimestampColumn({ name: 'occurred_at' })
  occurredAt!: Date;

  /** `api`, `cli:<os user>`, later the signed-in operator. */
  @Column({ name: 'actor', type: 'varchar', length: 256 })
  actor!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36, nullable: true })
  tenantId!: string | null;

  @Column({ name: 'action', type: 'varchar', length: 64 })
  action!: string;

  /** JSON text: portable across engines and never queried into. */
  @Column({ name: 'details', type: 'text' })
  details!: string;
}
