import { type MigrationInterface, type QueryRunner, TableColumn, TableIndex } from 'typeorm';

/**
 * The audit log becomes readable by tenant and by partner: every event records the kind of
 * principal, the caller's network address, the outcome, and (for partner-level events) the
 * partner. Existing events get their kind from the actor's prefix; they all succeeded or say so in
 * their action (`auth.sign-in-refused`, `consent.failed`). Indexes serve the newest-first keyset
 * pages of one tenant and of one partner.
 */
export class AuditLog1765134000000 implements MigrationInterface {
  name = 'AuditLog1765134000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('app_audit_event', [
      new TableColumn({
        name: 'principal_kind',
        type: 'varchar',
        length: '16',
        isNullable: false,
        default: "'system'",
      }),
      new TableColumn({ name: 'address', type: 'varchar', length: '64', isNullable: true }),
      new TableColumn({
        name: 'outcome',
        type: 'varchar',
        length: '16',
        isNullable: false,
        default: "'success'",
      }),
      new TableColumn({ name: 'partner_id', type: 'varchar', length: '36', isNullable: true }),
    ]);
    const table = tablePath(queryRunner, 'app_audit_event');
    for (const [prefix, kind] of [
      ['user:', 'person'],
      ['key:', 'api-key'],
      ['emergency:', 'emergency'],
      ['cli:', 'cli'],
    ] as const) {
      await queryRunner.query(`UPDATE ${table} SET principal_kind = '${kind}' WHERE actor LIKE '${prefix}%'`);
    }
    await queryRunner.query(
      `UPDATE ${table} SET outcome = 'refused' WHERE action IN ('auth.sign-in-refused')`,
    );
    await queryRunner.query(`UPDATE ${table} SET outcome = 'failed' WHERE action IN ('consent.failed')`);
    await queryRunner.query(
      `UPDATE ${table} SET outcome = 'failed' WHERE action IN ('backup.run', 'restore.run') AND details LIKE '%"status":"failed"%'`,
    );
    await queryRunner.createIndices('app_audit_event', [
      new TableIndex({
        name: 'idx_app_audit_event_tenant_page',
        columnNames: ['tenant_id', 'occurred_at', 'id'],
      }),
      new TableIndex({
        name: 'idx_app_audit_event_partner_page',
        columnNames: ['partner_id', 'occurred_at', 'id'],
      }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('app_audit_event', 'idx_app_audit_event_partner_page');
    await queryRunner.dropIndex('app_audit_event', 'idx_app_audit_event_tenant_page');
    await queryRunner.dropColumn('app_audit_event', 'partner_id');
    await queryRunner.dropColumn('app_audit_event', 'outcome');
    await queryRunner.dropColumn('app_audit_event', 'address');
    await queryRunner.dropColumn('app_audit_event', 'principal_kind');
  }
}

/** The escaped table name, qualified with the configured schema (PostgreSQL tests use their own). */
function tablePath(queryRunner: QueryRunner, table: string): string {
  const { driver, options } = queryRunner.connection;
  const schema = 'schema' in options ? options.schema : undefined;
  return schema === undefined ? driver.escape(table) : `${driver.escape(schema)}.${driver.escape(table)}`;
}
