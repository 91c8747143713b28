import { type MigrationInterface, type QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { ISO_TIMESTAMP_LENGTH } from '../columns';

const TS = String(ISO_TIMESTAMP_LENGTH);

/**
 * What a REST client scripting the API needs: the key that replaced a rotated key
 * (`api_key.replaced_by_id`), the answers of `Idempotency-Key` requests (`idempotency_record`,
 * kept a day), and the counters of the per-key rate limit when several processes share a
 * PostgreSQL database (`api_rate_limit`, in the layout rate-limiter-flexible's
 * RateLimiterPostgres uses; created on SQLite too so both engines have one schema).
 */
export class ApiKeysIdempotency1765130400000 implements MigrationInterface {
  name = 'ApiKeysIdempotency1765130400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'api_key',
      new TableColumn({ name: 'replaced_by_id', type: 'varchar', length: '36', isNullable: true }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'idempotency_record',
        columns: [
          // SHA-256 (hex) of principal, method, path and the client's key.
          { name: 'scope_hash', type: 'varchar', length: '64', isPrimary: true },
          { name: 'principal', type: 'varchar', length: '300' },
          { name: 'route', type: 'varchar', length: '512' },
          // SHA-256 (hex) of the canonical JSON body: the same key with another body is refused.
          { name: 'request_hash', type: 'varchar', length: '64' },
          // `pending` while the first request runs, `done` once its answer is stored.
          { name: 'state', type: 'varchar', length: '16' },
          { name: 'response_status', type: 'integer', isNullable: true },
          { name: 'response_body', type: 'text', isNullable: true },
          { name: 'created_at', type: 'varchar', length: TS },
          { name: 'expires_at', type: 'varchar', length: TS },
        ],
        indices: [new TableIndex({ name: 'idx_idempotency_record_expires', columnNames: ['expires_at'] })],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'api_rate_limit',
        columns: [
          { name: 'key', type: 'varchar', length: '255', isPrimary: true },
          { name: 'points', type: 'integer', default: 0 },
          { name: 'expire', type: 'bigint', isNullable: true },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('api_rate_limit');
    await queryRunner.dropTable('idempotency_record');
    await queryRunner.dropColumn('api_key', 'replaced_by_id');
  }
}
