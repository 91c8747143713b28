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
 * Principals beyond a tenant's own admins: partners (resellers) with their staff and the tenants
 * they manage (`tenant.partner_id`, at most one partner per tenant), and API keys.
 */
export class Principals1765123200000 implements MigrationInterface {
  name = 'Principals1765123200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'partner',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'name', type: 'varchar', length: '256' },
          { name: 'created_at', type: 'varchar', length: TS },
          { name: 'created_by', type: 'varchar', length: '256' },
        ],
        indices: [new TableIndex({ name: 'uq_partner_name', columnNames: ['name'], isUnique: true })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'partner_member',
        columns: [
          { name: 'partner_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'upn', type: 'varchar', length: '256', isPrimary: true },
          { name: 'role', type: 'varchar', length: '16' },
          { name: 'home_tenant_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'object_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'added_at', type: 'varchar', length: TS },
          { name: 'added_by', type: 'varchar', length: '256' },
        ],
        indices: [new TableIndex({ name: 'idx_partner_member_upn', columnNames: ['upn'] })],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_partner_member_partner',
            columnNames: ['partner_id'],
            referencedTableName: 'partner',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.addColumns('tenant', [
      new TableColumn({ name: 'partner_id', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'partner_linked_at', type: 'varchar', length: TS, isNullable: true }),
    ]);
    await queryRunner.createIndex(
      'tenant',
      new TableIndex({ name: 'idx_tenant_partner', columnNames: ['partner_id'] }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_key',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'prefix', type: 'varchar', length: '16' },
          { name: 'secret_hash', type: 'varchar', length: '64' },
          { name: 'name', type: 'varchar', length: '128' },
          { name: 'scopes', type: 'text' },
          { name: 'owner_kind', type: 'varchar', length: '16' },
          { name: 'owner_id', type: 'varchar', length: '36' },
          { name: 'tenant_ids', type: 'text', isNullable: true },
          { name: 'created_by', type: 'varchar', length: '256' },
          { name: 'created_at', type: 'varchar', length: TS },
          { name: 'expires_at', type: 'varchar', length: TS, isNullable: true },
          { name: 'last_used_at', type: 'varchar', length: TS, isNullable: true },
          { name: 'last_used_address', type: 'varchar', length: '64', isNullable: true },
          { name: 'revoked_at', type: 'varchar', length: TS, isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'uq_api_key_prefix', columnNames: ['prefix'], isUnique: true }),
          new TableIndex({ name: 'idx_api_key_owner', columnNames: ['owner_kind', 'owner_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('api_key');
    await queryRunner.dropIndex('tenant', 'idx_tenant_partner');
    await queryRunner.dropColumn('tenant', 'partner_linked_at');
    await queryRunner.dropColumn('tenant', 'partner_id');
    await queryRunner.dropTable('partner_member');
    await queryRunner.dropTable('partner');
  }
}
