import { type MigrationInterface, type QueryRunner, Table, TableForeignKey, TableIndex } from 'typeorm';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

const TS = String(ISO_TIMESTAMP_LENGTH);

/** Restore plans, their actions with execution state, restore runs and the id map of re-created objects. */
export class Restore1765094400000 implements MigrationInterface {
  name = 'Restore1765094400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'restore_plan',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'target_tenant_id', type: 'varchar', length: '36' },
          { name: 'snapshot_id', type: 'varchar', length: '36' },
          { name: 'live_snapshot_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'selection', type: 'text' },
          { name: 'summary', type: 'text' },
          { name: 'actor', type: 'varchar', length: '256' },
          { name: 'created_at', type: 'varchar', length: TS },
        ],
        indices: [
          new TableIndex({
            name: 'idx_restore_plan_tenant_created',
            columnNames: ['tenant_id', 'created_at'],
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_restore_plan_tenant',
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
        name: 'restore_action',
        columns: [
          { name: 'plan_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'seq', type: 'integer', isPrimary: true },
          { name: 'phase', type: 'integer' },
          { name: 'kind', type: 'varchar', length: '16' },
          { name: 'type_key', type: 'varchar', length: '64' },
          { name: 'collection', type: 'varchar', length: '128' },
          { name: 'object_id', type: 'varchar', length: '256' },
          { name: 'display_name', type: 'text', isNullable: true },
          { name: 'properties', type: 'text' },
          { name: 'link', type: 'text', isNullable: true },
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'detail', type: 'text', isNullable: true },
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'new_id', type: 'varchar', length: '256', isNullable: true },
          { name: 'error_code', type: 'varchar', length: '128', isNullable: true },
          { name: 'error_message', type: 'text', isNullable: true },
          { name: 'started_at', type: 'varchar', length: TS, isNullable: true },
          { name: 'sealed_secret', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'idx_restore_action_plan_state', columnNames: ['plan_id', 'state'] }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_restore_action_plan',
            columnNames: ['plan_id'],
            referencedTableName: 'restore_plan',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'restore_run',
        columns: [
          { name: 'id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'plan_id', type: 'varchar', length: '36', isUnique: true },
          { name: 'tenant_id', type: 'varchar', length: '36' },
          { name: 'target_tenant_id', type: 'varchar', length: '36' },
          { name: 'snapshot_id', type: 'varchar', length: '36' },
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'actor', type: 'varchar', length: '256' },
          { name: 'pre_restore_snapshot_id', type: 'varchar', length: '36', isNullable: true },
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'started_at', type: 'varchar', length: TS },
          { name: 'finished_at', type: 'varchar', length: TS, isNullable: true },
        ],
        indices: [
          new TableIndex({
            name: 'idx_restore_run_tenant_started',
            columnNames: ['tenant_id', 'started_at'],
          }),
          new TableIndex({
            name: 'idx_restore_run_target_started',
            columnNames: ['target_tenant_id', 'started_at'],
          }),
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_restore_run_plan',
            columnNames: ['plan_id'],
            referencedTableName: 'restore_plan',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'restore_id_map',
        columns: [
          { name: 'plan_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'kind', type: 'varchar', length: '16', isPrimary: true },
          { name: 'old_id', type: 'varchar', length: '256', isPrimary: true },
          { name: 'new_id', type: 'varchar', length: '256' },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'fk_restore_id_map_plan',
            columnNames: ['plan_id'],
            referencedTableName: 'restore_plan',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('restore_id_map');
    await queryRunner.dropTable('restore_run');
    await queryRunner.dropTable('restore_action');
    await queryRunner.dropTable('restore_plan');
  }
}
