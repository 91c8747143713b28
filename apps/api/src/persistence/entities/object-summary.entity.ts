import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The browse index: per stored payload (content hash) and collection, the non-secret display
 * columns the portal lists, searches and sorts by. Payloads stay encrypted in `blob`; this row
 * holds only what a table shows (see the backup-storage README). Written with the blob by the
 * snapshot writer; rows of payloads stored before the index existed are built at start-up.
 */
@Entity({ name: 'object_summary' })
export class ObjectSummaryEntity {
  @PrimaryColumn({ name: 'hash', type: 'varchar', length: 64 })
  hash!: string;

  @PrimaryColumn({ name: 'type_key', type: 'varchar', length: 64 })
  typeKey!: string;

  @PrimaryColumn({ name: 'collection', type: 'varchar', length: 128 })
  collection!: string;

  @Column({ name: 'spec_version', type: 'integer' })
  specVersion!: number;

  @Column({ name: 'name', type: 'text', nullable: true })
  name!: string | null;

  @Column({ name: 'alt_id', type: 'varchar', length: 512, nullable: true })
  altId!: string | null;

  @Column({ name: 'search', type: 'text' })
  search!: string;

  @Column({ name: 'c0', type: 'varchar', length: 256, nullable: true })
  c0!: string | null;

  @Column({ name: 'c1', type: 'varchar', length: 256, nullable: true })
  c1!: string | null;

  @Column({ name: 'c2', type: 'varchar', length: 256, nullable: true })
  c2!: string | null;

  @Column({ name: 'c3', type: 'varchar', length: 256, nullable: true })
  c3!: string | null;

  @Column({ name: 'c4', type: 'varchar', length: 256, nullable: true })
  c4!: string | null;

  @Column({ name: 'c5', type: 'varchar', length: 256, nullable: true })
  c5!: string | null;

  @Column({ name: 'c6', type: 'varchar', length: 256, nullable: true })
  c6!: string | null;

  @Column({ name: 'c7', type: 'varchar', length: 256, nullable: true })
  c7!: string | null;

  @Column({ name: 'display', type: 'text' })
  display!: string;

  @Column({ name: 'refs', type: 'text', nullable: true })
  refs!: string | null;
}
