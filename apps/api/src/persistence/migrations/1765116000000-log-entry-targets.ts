import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  TableColumn,
  TableForeignKey,
  TableIndex,
} from 'typeorm';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

const TS = String(ISO_TIMESTAMP_LENGTH);

/**
 * A lookup of log entries by the objects they name and by time, for "who changed it": the
 * entry's `activity_at` and one `log_entry_target` row per target id. Entries stored before keep
 * `activity_at` null; their payloads are encrypted with a key migrations do not hold, so the
 * history reader backfills them (decrypting each once) the first time it reads the tenant's audit log.
 */
export class LogEntryTargets1765116000000 implements MigrationInterface {
  name = 'LogEntryTargets1765116000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'log_entry',
      new TableColumn({ name: 'activity_at', type: 'varchar', length: TS, isNullable: true }),
    );
    await queryRunner.createIndex(
      'log_entry',
      new TableIndex({
        name: 'idx_log_entry_activity',
        columnNames: ['tenant_id', 'type_key', 'activity_at'],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'log_entry_target',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'type_key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'target_id', type: 'varchar', length: '512', isPrimary: true },
          { name: 'activity_at', type: 'varchar', length: TS, isPrimary: true },
          { name: 'entry_id', type: 'varchar', length: '512', isPrimary: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_log_entry_target_tenant',
            columnNames: ['tenant_id'],
            referencedTableName: 'tenant',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('log_entry_target');
    await queryRunner.dropIndex('log_entry', 'idx_log_entry_activity');
    await queryRunner.dropColumn('log_entry', 'activity_at');
  }
}
