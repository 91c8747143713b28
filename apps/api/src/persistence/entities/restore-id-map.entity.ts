import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Old id → new id of what a restore created (`id`) and of re-created applications' `appId`. */
@Entity({ name: 'restore_id_map' })
export class RestoreIdMapEntity {
  @PrimaryColumn({ name: 'plan_id', type: 'varchar', length: 36 })
  planId!: string;

  /** `id` or `appId`. */
  @PrimaryColumn({ name: 'kind', type: 'varchar', length: 16 })
  kind!: string;

  @PrimaryColumn({ name: 'old_id', type: 'varchar', length: 256 })
  oldId!: string;

  @Column({ name: 'new_id', type: 'varchar', length: 256 })
  newId!: string;
}
