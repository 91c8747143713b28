import { Injectable } from '@nestjs/common';
import { type EntityTarget, type ObjectLiteral, QueryFailedError, type QueryRunner } from 'typeorm';
import { type DatabaseEngine, DatabaseGate } from '../database-gate';

export type SqlParam = string | number | null | Buffer;

/** Runs SQL written once for both engines: `?` placeholders, double-quoted identifiers. */
export interface SqlExecutor {
  rows<T>(sql: string, params?: readonly SqlParam[]): Promise<T[]>;
  /** Runs a statement and returns the number of affected rows. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
}

/**
 * Portable SQL for the backup repositories, whose set-based statements (close every open version
 * not seen in this snapshot, insert the new ones, as-of reads) are clearer and far faster as SQL
 * than through the ORM. Every statement here is plain SQL that SQLite ≥ 3.35 and PostgreSQL ≥ 13
 * both accept (UPSERT, RETURNING, correlated subqueries).
 *
 * Every statement and transaction passes through the `DatabaseGate`, which keeps them from
 * interleaving with those of other flows on SQLite's single connection.
 */
@Injectable()
export class BackupSqlRepository implements SqlExecutor {
  readonly engine: DatabaseEngine;

  constructor(private readonly gate: DatabaseGate) {
    this.engine = gate.engine;
  }

  /** The escaped, schema-qualified table name of an entity, for use in SQL. */
  table(entity: EntityTarget<ObjectLiteral>): string {
    const { dataSource } = this.gate;
    const path = dataSource.getMetadata(entity).tablePath;
    return path
      .split('.')
      .map((part) => dataSource.driver.escape(part))
      .join('.');
  }

  rows<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.gate.run((manager) => queryRows<T>(manager.queryRunner, this.engine, sql, params));
  }

  run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    return this.gate.run((manager) => queryRun(manager.queryRunner, this.engine, sql, params));
  }

  /** Runs `work` in one transaction: all of its statements take effect, or none. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.gate.transaction((manager) => {
      const runner = manager.queryRunner;
      return work({
        rows: <R>(sql: string, params: readonly SqlParam[] = []) =>
          queryRows<R>(runner, this.engine, sql, params),
        run: (sql: string, params: readonly SqlParam[] = []) => queryRun(runner, this.engine, sql, params),
      });
    });
  }
}

async function queryRows<T>(
  runner: QueryRunner,
  engine: DatabaseEngine,
  sql: string,
  params: readonly SqlParam[],
): Promise<T[]> {
  const result = await runner.query(toEngine(sql, engine), [...params], true);
  return (result.records ?? []) as T[];
}

async function queryRun(
  runner: QueryRunner,
  engine: DatabaseEngine,
  sql: string,
  params: readonly SqlParam[],
): Promise<number> {
  const result = await runner.query(toEngine(sql, engine), [...params], true);
  return typeof result.affected === 'number' ? result.affected : 0;
}

/** PostgreSQL numbers its placeholders; the SQL here never has `?` inside a literal. */
function toEngine(sql: string, engine: DatabaseEngine): string {
  if (engine === 'sqlite') return sql;
  let index = 0;
  return sql.replace(/\?/g, () => `$${(index += 1)}`);
}

/** COUNT and SUM come back as strings from PostgreSQL (bigint) and as numbers from SQLite. */
export function toNumber(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const parsed = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(parsed)) throw new Error(`Expected a number from the database, got ${String(value)}`);
  return parsed;
}

/** better-sqlite3 reports `SQLITE_CONSTRAINT_FOREIGNKEY`, node-postgres SQLSTATE 23503. */
export function isForeignKeyViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError: unknown = error.driverError;
  const code =
    typeof driverError === 'object' && driverError !== null
      ? (driverError as { code?: unknown }).code
      : undefined;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
