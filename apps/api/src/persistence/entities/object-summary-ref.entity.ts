import { Entity, PrimaryColumn } from 'typeorm';

/**
 * The browse index's reverse lookups: one row per id a relationship of a stored payload names
 * (a group's member, a role assignment's principal), so "member of", "roles" and "direct reports"
 * are index lookups instead of a scan of every group or user.
 */
@Entity({ name: 'object_summary_ref' })
export class ObjectSummaryRefEntity {
  @PrimaryColumn({ name: 'hash', type: 'varchar', length: 64 })
  hash!: string;

  @PrimaryColumn({ name: 'type_key', type: 'varchar', length: 64 })
  typeKey!: string;

  @PrimaryColumn({ name: 'collection', type: 'varchar', length: 128 })
  collection!: string;

  @PrimaryColumn({ name: 'relation', type: 'varchar', length: 64 })
  relation!: string;

  @PrimaryColumn({ name: 'target', type: 'varchar', length: 512 })
  target!: string;
}
