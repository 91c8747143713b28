import { type MigrationInterface, type QueryRunner, Table, TableForeignKey } from 'typeorm';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

/** The per-tenant interval of full reconciliations (days); tenants without a row use the default. */
export class ReconciliationPolicy1765141200000 implements MigrationInterface {
  name = 'ReconciliationPolicy1765141200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'tenant_reconciliation',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'every_days', type: 'integer' },
          { name: 'updated_at', type: 'varchar', length: String(ISO_TIMESTAMP_LENGTH) },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_tenant_reconciliation_tenant',
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
    await queryRunner.dropTable('tenant_reconciliation');
  }
}
