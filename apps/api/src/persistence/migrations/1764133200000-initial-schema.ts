import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

/**
 * Tenants, per-type tenant settings and the application audit trail. Written with TypeORM's
 * portable `Table` API so the same migration runs on SQLite and PostgreSQL.
 */
export class InitialSchema1764133200000 implements MigrationInterface {
  name = 'InitialSchema1764133200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'tenant',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'display_name', type: 'varchar', length: '256' },
          { name: 'created_at', type: 'varchar', length: String(ISO_TIMESTAMP_LENGTH) },
          { name: 'updated_at', type: 'varchar', length: String(ISO_TIMESTAMP_LENGTH) },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'tenant_setting',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'object_type', type: 'varchar', length: '64', isPrimary: true },
          { name: 'enabled', type: 'boolean' },
          { name: 'updated_at', type: 'varchar', length: String(ISO_TIMESTAMP_LENGTH) },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_tenant_setting_tenant',
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
        name: 'app_audit_event',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'occurred_at', type: 'varchar', length: String(ISO_TIMESTAMP_LENGTH) },
          { name: 'actor', type: 'varchar', length: '256' },
          { name: 'tenant_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'action', type: 'varchar', length: '64' },
          { name: 'details', type: 'text' },
        ],
        indices: [
          new TableIndex({ name: 'idx_app_audit_event_occurred_at', columnNames: ['occurred_at'] }),
          new TableIndex({
            name: 'idx_app_audit_event_tenant_id',
            columnNames: ['tenant_id', 'occurred_at'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('app_audit_event');
    await queryRunner.dropTable('tenant_setting');
    await queryRunner.dropTable('tenant');
  }
}
