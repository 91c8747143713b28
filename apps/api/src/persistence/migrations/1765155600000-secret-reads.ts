import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

/**
 * Secrets a backup run read before it committed (BitLocker recovery keys, whose every read is
 * audited in the customer's tenant), sealed, so an interrupted run's reads are not repeated.
 */
export class SecretReads1765155600000 implements MigrationInterface {
  name = 'SecretReads1765155600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'backup_secret_read',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'type_key', type: 'varchar', length: '64', isPrimary: true },
          { name: 'object_id', type: 'varchar', length: '256', isPrimary: true },
          { name: 'sealed_value', type: 'text' },
          { name: 'read_at', type: 'varchar', length: String(ISO_TIMESTAMP_LENGTH) },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_backup_secret_read_tenant',
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
    await queryRunner.dropTable('backup_secret_read');
  }
}
