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
 * Alerts: notification recipients per tenant or partner (mail addresses, webhooks with a sealed
 * signing secret), durable deliveries (the outbox gains attempts, the next attempt's time, the
 * recipient and the document to post) with a log of every attempt, alert thresholds per tenant,
 * and the state of the periodic checks (stale backups, consent health, digests).
 */
export class Alerts1765148400000 implements MigrationInterface {
  name = 'Alerts1765148400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('notification', [
      new TableColumn({ name: 'recipient_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'payload', type: 'text', isNullable: true }),
      new TableColumn({ name: 'attempts', type: 'integer', default: 0 }),
      new TableColumn({ name: 'next_attempt_at', type: 'varchar', length: TS, isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'notification',
      new TableIndex({ name: 'idx_notification_due', columnNames: ['status', 'next_attempt_at'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_attempt',
        columns: [
          { name: 'notification_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'attempt', type: 'integer', isPrimary: true },
          { name: 'at', type: 'varchar', length: TS },
          { name: 'outcome', type: 'varchar', length: '16' },
          { name: 'detail', type: 'varchar', length: '512', isNullable: true },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_notification_attempt_notification',
            columnNames: ['notification_id'],
            referencedTableName: 'notification',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'notification_recipient',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'owner_kind', type: 'varchar', length: '16' },
          { name: 'owner_id', type: 'varchar', length: '36' },
          { name: 'channel', type: 'varchar', length: '16' },
          { name: 'address', type: 'varchar', length: '2048' },
          { name: 'secret_sealed', type: 'text', isNullable: true },
          { name: 'created_at', type: 'varchar', length: TS },
          { name: 'created_by', type: 'varchar', length: '256' },
        ],
        indices: [
          new TableIndex({
            name: 'idx_notification_recipient_owner',
            columnNames: ['owner_kind', 'owner_id'],
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'alert_settings',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'mass_deletion_threshold', type: 'integer' },
          { name: 'bitlocker_read_threshold', type: 'integer' },
          { name: 'daily_digest', type: 'boolean', default: false },
          { name: 'updated_at', type: 'varchar', length: TS },
          { name: 'updated_by', type: 'varchar', length: '256' },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_alert_settings_tenant',
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
        name: 'alert_state',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'check_key', type: 'varchar', length: '32', isPrimary: true },
          { name: 'fingerprint', type: 'varchar', length: '512', isNullable: true },
          { name: 'checked_at', type: 'varchar', length: TS },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_alert_state_tenant',
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
    await queryRunner.dropTable('alert_state');
    await queryRunner.dropTable('alert_settings');
    await queryRunner.dropTable('notification_recipient');
    await queryRunner.dropTable('notification_attempt');
    await queryRunner.dropIndex('notification', 'idx_notification_due');
    await queryRunner.dropColumns('notification', ['recipient_id', 'payload', 'attempts', 'next_attempt_at']);
  }
}
