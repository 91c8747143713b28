import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

const TS = String(ISO_TIMESTAMP_LENGTH);

/** Backup run reports: trigger, actor and summary figures of each run. */
export class BackupRunReport1764151200000 implements MigrationInterface {
  name = 'BackupRunReport1764151200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'backup_run_report',
        columns: [
          { name: 'run_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'trigger', type: 'varchar', length: '16' },
          { name: 'actor', type: 'varchar', length: '256' },
          { name: 'mode', type: 'varchar', length: '16' },
          { name: 'types', type: 'text' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'started_at', type: 'varchar', length: TS },
          { name: 'finished_at', type: 'varchar', length: TS, isNullable: true },
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'summary', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'idx_backup_run_report_tenant_started',
            columnNames: ['tenant_id', 'started_at'],
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_backup_run_report_tenant',
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
    await queryRunner.dropTable('backup_run_report');
  }
}
