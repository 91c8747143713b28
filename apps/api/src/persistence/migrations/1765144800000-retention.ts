import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

const TS = String(ISO_TIMESTAMP_LENGTH);

/**
 * Retention: a policy and legal hold per tenant, a record of every prune, and the content-hash
 * indexes the garbage collector needs to tell whether a blob is still referenced by any object
 * version or log entry (of any tenant: blobs are shared) without scanning either table.
 */
export class Retention1765144800000 implements MigrationInterface {
  name = 'Retention1765144800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'retention_policy',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'keep_all_days', type: 'integer' },
          { name: 'daily_days', type: 'integer' },
          { name: 'weekly_weeks', type: 'integer' },
          { name: 'monthly_months', type: 'integer' },
          { name: 'log_days', type: 'integer' },
          { name: 'legal_hold', type: 'boolean' },
          { name: 'legal_hold_reason', type: 'varchar', length: '512', isNullable: true },
          { name: 'updated_at', type: 'varchar', length: TS },
          { name: 'updated_by', type: 'varchar', length: '256' },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_retention_policy_tenant',
            columnNames: ['tenant_id'],
            referencedTableName: 'tenant',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'prune_run',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'trigger', type: 'varchar', length: '16' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'actor', type: 'varchar', length: '256' },
          { name: 'started_at', type: 'varchar', length: TS },
          { name: 'finished_at', type: 'varchar', length: TS, isNullable: true },
          { name: 'snapshots', type: 'integer' },
          { name: 'object_versions', type: 'integer' },
          { name: 'log_entries', type: 'integer' },
          { name: 'blobs', type: 'integer' },
          { name: 'bytes', type: 'bigint' },
          { name: 'reason', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'idx_prune_run_tenant_started', columnNames: ['tenant_id', 'started_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_prune_run_tenant',
            columnNames: ['tenant_id'],
            referencedTableName: 'tenant',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createIndex(
      'object_version',
      new TableIndex({ name: 'idx_object_version_hash', columnNames: ['content_hash'] }),
    );
    await queryRunner.createIndex(
      'log_entry',
      new TableIndex({ name: 'idx_log_entry_hash', columnNames: ['content_hash'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('log_entry', 'idx_log_entry_hash');
    await queryRunner.dropIndex('object_version', 'idx_object_version_hash');
    await queryRunner.dropTable('prune_run');
    await queryRunner.dropTable('retention_policy');
  }
}
