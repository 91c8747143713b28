import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

const TS = String(ISO_TIMESTAMP_LENGTH);

/** Portal sessions, admin-consent states and grants, and the backup schedule. */
export class AuthConsentSchedule1764147600000 implements MigrationInterface {
  name = 'AuthConsentSchedule1764147600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'auth_session',
        columns: [
          { name: 'sid_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'data', type: 'text' },
          { name: 'expires_at', type: 'varchar', length: TS },
        ],
        indices: [new TableIndex({ name: 'idx_auth_session_expires_at', columnNames: ['expires_at'] })],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'consent_state',
        columns: [
          { name: 'state_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'session_hash', type: 'varchar', length: '64' },
          { name: 'requested_by', type: 'varchar', length: '256' },
          { name: 'created_at', type: 'varchar', length: TS },
          { name: 'expires_at', type: 'varchar', length: TS },
          { name: 'used_at', type: 'varchar', length: TS, isNullable: true },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'consent_grant',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'granted_roles', type: 'text' },
          { name: 'granted_by', type: 'varchar', length: '256' },
          { name: 'granted_at', type: 'varchar', length: TS },
          { name: 'verified_at', type: 'varchar', length: TS },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_consent_grant_tenant',
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
        name: 'backup_schedule',
        columns: [
          { name: 'tenant_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'offset_minutes', type: 'integer' },
          { name: 'next_run_at', type: 'varchar', length: TS, isNullable: true },
          { name: 'first_configured_at', type: 'varchar', length: TS, isNullable: true },
          { name: 'last_run_at', type: 'varchar', length: TS, isNullable: true },
          { name: 'last_run_id', type: 'varchar', length: '64', isNullable: true },
          { name: 'last_error', type: 'varchar', length: '1024', isNullable: true },
          { name: 'first_run_started', type: 'boolean', default: false },
          { name: 'claimed_by', type: 'varchar', length: '128', isNullable: true },
          { name: 'claimed_until', type: 'varchar', length: TS, isNullable: true },
          { name: 'updated_at', type: 'varchar', length: TS },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_backup_schedule_tenant',
            columnNames: ['tenant_id'],
            referencedTableName: 'tenant',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [new TableIndex({ name: 'idx_backup_schedule_next_run_at', columnNames: ['next_run_at'] })],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('backup_schedule');
    await queryRunner.dropTable('consent_grant');
    await queryRunner.dropTable('consent_state');
    await queryRunner.dropTable('auth_session');
  }
}
