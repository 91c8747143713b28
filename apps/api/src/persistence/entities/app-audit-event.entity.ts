import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** Append-only trail of who changed what in the application (not the tenant's own audit log). */
@Entity({ name: 'app_audit_event' })
export class AppAuditEventEntity {
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 36 })
  id!: string;

  @IsoTimestampColumn({ name: 'occurred_at' })
  occurredAt!: Date;

  /** `user:<upn>`, `key:eb_<prefix>`, `emergency:<name>`, `cli:<os user>`, `schedule`, `anonymous`. */
  @Column({ name: 'actor', type: 'varchar', length: 256 })
  actor!: string;

  /** person, api-key, emergency, cli, system or anonymous. */
  @Column({ name: 'principal_kind', type: 'varchar', length: 16 })
  principalKind!: string;

  /** The caller's network address (HTTP requests only). */
  @Column({ name: 'address', type: 'varchar', length: 64, nullable: true })
  address!: string | null;

  /** success, refused or failed. */
  @Column({ name: 'outcome', type: 'varchar', length: 16 })
  outcome!: string;

  @Column({ name: 'tenant_id', type: 'varchar', length: 36, nullable: true })
  tenantId!: string | null;

  /** Partner-level events (staff, keys, onboarding) and events of a partner's staff. */
  @Column({ name: 'partner_id', type: 'varchar', length: 36, nullable: true })
  partnerId!: string | null;

  @Column({ name: 'action', type: 'varchar', length: 64 })
  action!: string;

  /** JSON text: portable across engines and never queried into. */
  @Column({ name: 'details', type: 'text' })
  details!: string;
}
