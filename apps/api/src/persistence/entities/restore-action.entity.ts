import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * One action of a plan, with its execution state: a restore writes the state of every action
 * before and after its Graph request, so a resumed restore knows what is done and never creates
 * anything twice. Only ids, names and property names are stored here; property values are read
 * from the (encrypted) snapshot when the action runs.
 */
@Entity({ name: 'restore_action' })
@Index('idx_restore_action_plan_state', ['planId', 'state'])
export class RestoreActionEntity {
  @PrimaryColumn({ name: 'plan_id', type: 'varchar', length: 36 })
  planId!: string;

  @PrimaryColumn({ name: 'seq', type: 'integer' })
  seq!: number;

  @Column({ name: 'phase', type: 'integer' })
  phase!: number;

  @Column({ name: 'kind', type: 'varchar', length: 16 })
  kind!: string;

  @Column({ name: 'type_key', type: 'varchar', length: 64 })
  typeKey!: string;

  @Column({ name: 'collection', type: 'varchar', length: 128 })
  collection!: string;

  @Column({ name: 'object_id', type: 'varchar', length: 256 })
  objectId!: string;

  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName!: string | null;

  /** JSON array of property names. */
  @Column({ name: 'properties', type: 'text' })
  properties!: string;

  /** JSON of the link (relation, target) of link actions. */
  @Column({ name: 'link', type: 'text', nullable: true })
  link!: string | null;

  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;

  /** JSON of what the executor needs beyond the snapshot (e.g. the live id of a link to remove). */
  @Column({ name: 'detail', type: 'text', nullable: true })
  detail!: string | null;

  /** `pending`, `started`, `done`, `failed` or `skipped`. */
  @Column({ name: 'state', type: 'varchar', length: 16 })
  state!: string;

  @Column({ name: 'new_id', type: 'varchar', length: 256, nullable: true })
  newId!: string | null;

  @Column({ name: 'error_code', type: 'varchar', length: 128, nullable: true })
  errorCode!: string | null;

  @Column({ name: 'error_message', type: 'text', nullable: true })
  errorMessage!: string | null;

  @IsoTimestampColumn({ name: 'started_at', nullable: true })
  startedAt!: Date | null;

  /** A re-created user's temporary password, sealed with the master key; dropped once handed out. */
  @Column({ name: 'sealed_secret', type: 'text', nullable: true })
  sealedSecret!: string | null;
}
