import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/**
 * Content-addressed payload: canonical JSON, compressed and encrypted, stored once however many
 * versions, snapshots or tenants refer to it. The `payload` column (BLOB on SQLite, BYTEA on
 * PostgreSQL) is not mapped: the engines share no binary type name TypeORM accepts on both, and
 * only the backup repositories read or write it, through SQL.
 */
@Entity({ name: 'blob' })
export class BackupBlobEntity {
  /** SHA-256 (hex) of the canonical JSON. */
  @PrimaryColumn({ name: 'hash', type: 'varchar', length: 64 })
  hash!: string;

  @Column({ name: 'raw_size', type: 'integer' })
  rawSize!: number;

  @Column({ name: 'stored_size', type: 'integer' })
  storedSize!: number;

  @IsoTimestampColumn({ name: 'created_at' })
  createdAt!: Date;
}
