import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import type { TableColumnOptions } from 'typeorm/schema-builder/options/TableColumnOptions';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

const TIMESTAMP = { type: 'varchar', length: String(ISO_TIMESTAMP_LENGTH) } as const;
const TENANT_ID = { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true } as const;
const TYPE_KEY = { name: 'type_key', type: 'varchar', length: '64', isPrimary: true } as const;
const COLLECTION = { name: 'collection', type: 'varchar', length: '128', isPrimary: true } as const;

function tenantForeignKey(table: string): TableForeignKey {
  return new TableForeignKey({
    name: `fk_${table}_tenant`,
    columnNames: ['tenant_id'],
    referencedTableName: 'tenant',
    referencedColumnNames: ['id'],
    onDelete: 'CASCADE',
  });
}

/**
 * Versioned, content-addressed backup storage: runs and per-type results, snapshots, object
 * versions with snapshot ranges, encrypted blobs, the staging area of running snapshots,
 * append-only logs with watermarks, sealed delta links, and the per-tenant run lease.
 * Binary columns are BLOB on SQLite and BYTEA on PostgreSQL; everything else is portable.
 */
export class BackupStorage1764136800000 implements MigrationInterface {
  name = 'BackupStorage1764136800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const binary = (name: string): TableColumnOptions => ({
      name,
      type: queryRunner.connection.driver.options.type === 'postgres' ? 'bytea' : 'blob',
    });

    await queryRunner.createTable(
      new Table({
        name: 'backup_run',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'mode', type: 'varchar', length: '16' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'types', type: 'text' },
          { name: 'started_at', ...TIMESTAMP },
          { name: 'finished_at', ...TIMESTAMP, isNullable: true },
          { name: 'reason', type: 'text', isNullable: true },
        ],
        foreignKeys: [tenantForeignKey('backup_run')],
        indices: [
          new TableIndex({ name: 'idx_backup_run_tenant_status', columnNames: ['tenant_id', 'status'] }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'backup_run_type',
        columns: [
          { name: 'run_id', type: 'varchar', length: '36', isPrimary: true },
          TYPE_KEY,
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'graph_code', type: 'varchar', length: '128', isNullable: true },
          { name: 'request_id', type: 'varchar', length: '128', isNullable: true },
          ...[
            'objects',
            'added',
            'changed',
            'removed',
            'requests',
            'retries',
            'throttled_waits',
            'throttled_wait_ms',
            'bytes_stored',
            'duration_ms',
          ].map((name) => ({ name, type: 'integer' })),
          { name: 'finished_at', ...TIMESTAMP },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_backup_run_type_run',
            columnNames: ['run_id'],
            referencedTableName: 'backup_run',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'snapshot',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'seq', type: 'integer' },
          { name: 'run_id', type: 'varchar', length: '36', isUnique: true },
          { name: 'mode', type: 'varchar', length: '16' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'created_at', ...TIMESTAMP },
          { name: 'completed_at', ...TIMESTAMP, isNullable: true },
        ],
        foreignKeys: [
          tenantForeignKey('snapshot'),
          new TableForeignKey({
            name: 'fk_snapshot_run',
            columnNames: ['run_id'],
            referencedTableName: 'backup_run',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({
            name: 'uq_snapshot_tenant_seq',
            columnNames: ['tenant_id', 'seq'],
            isUnique: true,
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'object_version',
        columns: [
          TENANT_ID,
          TYPE_KEY,
          COLLECTION,
          { name: 'object_id', type: 'varchar', length: '512', isPrimary: true },
          { name: 'valid_from_seq', type: 'integer', isPrimary: true },
          { name: 'valid_to_seq', type: 'integer', isNullable: true },
          { name: 'content_hash', type: 'varchar', length: '64' },
        ],
        foreignKeys: [tenantForeignKey('object_version')],
        // The primary key (tenant, type, collection, object id, from) serves as-of reads in object
        // id order; this index finds the open versions a commit closes or keeps.
        indices: [
          new TableIndex({
            name: 'idx_object_version_open',
            columnNames: ['tenant_id', 'type_key', 'valid_to_seq'],
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'blob',
        columns: [
          { name: 'hash', type: 'varchar', length: '64', isPrimary: true },
          binary('payload'),
          { name: 'raw_size', type: 'integer' },
          { name: 'stored_size', type: 'integer' },
          { name: 'created_at', ...TIMESTAMP },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'backup_staged_object',
        columns: [
          { name: 'snapshot_id', type: 'varchar', length: '36', isPrimary: true },
          TYPE_KEY,
          COLLECTION,
          { name: 'object_id', type: 'varchar', length: '512', isPrimary: true },
          { name: 'content_hash', type: 'varchar', length: '64', isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_backup_staged_object_snapshot',
            columnNames: ['snapshot_id'],
            referencedTableName: 'snapshot',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'log_entry',
        columns: [
          TENANT_ID,
          TYPE_KEY,
          { name: 'entry_id', type: 'varchar', length: '512', isPrimary: true },
          { name: 'collection', type: 'varchar', length: '128' },
          { name: 'first_seen_seq', type: 'integer' },
          { name: 'content_hash', type: 'varchar', length: '64' },
        ],
        foreignKeys: [tenantForeignKey('log_entry')],
        indices: [
          new TableIndex({
            name: 'idx_log_entry_first_seen',
            columnNames: ['tenant_id', 'type_key', 'first_seen_seq'],
          }),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'log_watermark',
        columns: [
          TENANT_ID,
          TYPE_KEY,
          { name: 'watermark', type: 'varchar', length: '256' },
          { name: 'snapshot_seq', type: 'integer' },
          { name: 'updated_at', ...TIMESTAMP },
        ],
        foreignKeys: [tenantForeignKey('log_watermark')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'delta_state',
        columns: [
          TENANT_ID,
          TYPE_KEY,
          COLLECTION,
          binary('sealed_link'),
          { name: 'snapshot_seq', type: 'integer' },
          { name: 'created_at', ...TIMESTAMP },
        ],
        foreignKeys: [tenantForeignKey('delta_state')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'backup_lease',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'holder_id', type: 'varchar', length: '128' },
          { name: 'acquired_at', ...TIMESTAMP },
          { name: 'expires_at', ...TIMESTAMP },
        ],
        foreignKeys: [tenantForeignKey('backup_lease')],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'backup_lease',
      'delta_state',
      'log_watermark',
      'log_entry',
      'backup_staged_object',
      'blob',
      'object_version',
      'snapshot',
      'backup_run_type',
      'backup_run',
    ]) {
      await queryRunner.dropTable(table);
    }
  }
}
