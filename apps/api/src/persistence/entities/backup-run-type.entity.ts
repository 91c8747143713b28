import { Column, Entity, PrimaryColumn } from 'typeorm';
import { IsoTimestampColumn } from '../columns';

/** The outcome and figures of one object type within a backup run. */
@Entity({ name: 'backup_run_type' })
export class BackupRunTypeEntity {
  @PrimaryColumn({ name: 'run_id', type: 'varchar', length: 36 })
  runId!: string;

  @PrimaryColumn({ name: 'type_key', type: 'varchar', length: 64 })
  typeKey!: string;

  /** `succeeded`, `skipped` or `failed`. */
  @Column({ name: 'status', type: 'varchar', length: 16 })
  status!: string;

  @Column({ name: 'reason', type: 'text', nullable: true })
  reason!: string | null;

  @Column({ name: 'graph_code', type: 'varchar', length: 128, nullable: true })
  graphCode!: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 128, nullable: true })
  requestId!: string | null;

  /** Objects of the type (all its collections) in the snapshot after the run. */
  @Column({ name: 'objects', type: 'integer' })
  objects!: number;

  @Column({ name: 'added', type: 'integer' })
  added!: number;

  @Column({ name: 'changed', type: 'integer' })
  changed!: number;

  @Column({ name: 'removed', type: 'integer' })
  removed!: number;

  @Column({ name: 'requests', type: 'integer' })
  requests!: number;

  @Column({ name: 'retries', type: 'integer' })
  retries!: number;

  @Column({ name: 'throttled_waits', type: 'integer' })
  throttledWaits!: number;

  @Column({ name: 'throttled_wait_ms', type: 'integer' })
  throttledWaitMs!: number;

  /** Bytes of new (not de-duplicated) payloads this type stored. */
  @Column({ name: 'bytes_stored', type: 'integer' })
  bytesStored!: number;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs!: number;

  @IsoTimestampColumn({ name: 'finished_at' })
  finishedAt!: Date;
}
