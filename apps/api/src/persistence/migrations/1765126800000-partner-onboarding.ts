import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

const TS = String(ISO_TIMESTAMP_LENGTH);

/**
 * Onboarding links of partners (single use, expiring, stored as a token hash), and an index that
 * lets the partner dashboard find each tenant's last good backup with one index seek per tenant.
 */
export class PartnerOnboarding1765126800000 implements MigrationInterface {
  name = 'PartnerOnboarding1765126800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'onboarding_link',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'partner_id', type: 'varchar', length: '36' },
          { name: 'token_hash', type: 'varchar', length: '64' },
          { name: 'customer_name', type: 'varchar', length: '256' },
          { name: 'created_at', type: 'varchar', length: TS },
          { name: 'created_by', type: 'varchar', length: '256' },
          { name: 'expires_at', type: 'varchar', length: TS },
          { name: 'used_at', type: 'varchar', length: TS, isNullable: true },
          { name: 'used_by', type: 'varchar', length: '256', isNullable: true },
          { name: 'used_by_tenant_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'revoked_at', type: 'varchar', length: TS, isNullable: true },
          { name: 'revoked_by', type: 'varchar', length: '256', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'uq_onboarding_link_token_hash',
            columnNames: ['token_hash'],
            isUnique: true,
          }),
          new TableIndex({ name: 'idx_onboarding_link_partner', columnNames: ['partner_id', 'created_at'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_onboarding_link_partner',
            columnNames: ['partner_id'],
            referencedTableName: 'partner',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createIndex(
      'backup_run_report',
      new TableIndex({
        name: 'idx_backup_run_report_tenant_status_finished',
        columnNames: ['tenant_id', 'status', 'finished_at'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('backup_run_report', 'idx_backup_run_report_tenant_status_finished');
    await queryRunner.dropTable('onboarding_link');
  }
}
