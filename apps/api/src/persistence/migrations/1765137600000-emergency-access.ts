import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

const TS = String(ISO_TIMESTAMP_LENGTH);

/**
 * Emergency access: break-glass accounts per tenant (scrypt password hash with its parameters,
 * the TOTP secret sealed with the data key, the last time step used, failures and lock), the
 * contacts told of every use (per tenant or per partner), and the notification outbox.
 */
export class EmergencyAccess1765137600000 implements MigrationInterface {
  name = 'EmergencyAccess1765137600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'break_glass_account',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'username', type: 'varchar', length: '64' },
          { name: 'password_hash', type: 'varchar', length: '512' },
          { name: 'totp_secret_sealed', type: 'text' },
          { name: 'last_used_step', type: 'integer', isNullable: true },
          { name: 'failed_attempts', type: 'integer', default: 0 },
          { name: 'locked_until', type: 'varchar', length: TS, isNullable: true },
          { name: 'created_at', type: 'varchar', length: TS },
          { name: 'created_by', type: 'varchar', length: '256' },
          { name: 'last_used_at', type: 'varchar', length: TS, isNullable: true },
          { name: 'last_used_address', type: 'varchar', length: '64', isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'uq_break_glass_account_tenant_username',
            columnNames: ['tenant_id', 'username'],
            isUnique: true,
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_break_glass_account_tenant',
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
        name: 'emergency_contact',
        columns: [
          { name: 'owner_kind', type: 'varchar', length: '16', isPrimary: true },
          { name: 'owner_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'emails', type: 'text' },
          { name: 'webhook_url', type: 'varchar', length: '2048', isNullable: true },
          { name: 'updated_at', type: 'varchar', length: TS },
          { name: 'updated_by', type: 'varchar', length: '256' },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'partner_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'kind', type: 'varchar', length: '64' },
          { name: 'subject', type: 'varchar', length: '256' },
          { name: 'body', type: 'text' },
          { name: 'channel', type: 'varchar', length: '16' },
          { name: 'recipient', type: 'varchar', length: '2048', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'error', type: 'varchar', length: '512', isNullable: true },
          { name: 'created_at', type: 'varchar', length: TS },
          { name: 'sent_at', type: 'varchar', length: TS, isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'idx_notification_tenant_page',
            columnNames: ['tenant_id', 'created_at', 'id'],
          }),
          new TableIndex({
            name: 'idx_notification_partner_page',
            columnNames: ['partner_id', 'created_at', 'id'],
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('notification');
    await queryRunner.dropTable('emergency_contact');
    await queryRunner.dropTable('break_glass_account');
  }
}
