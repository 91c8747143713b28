import { Injectable } from '@nestjs/common';
import {
  DataSource,
  type EntityTarget,
  type ObjectLiteral,
  QueryFailedError,
  type QueryRunner,
} from 'typeorm';

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
 * TypeORM's better-sqlite3 driver shares ONE connection (and query runner) per DataSource, so two
 * async flows of this process would otherwise interleave inside each other's transaction (or fail
 * with "transaction already started"), and a read could observe a commit in progress. On SQLite
 * every statement and transaction of these repositories therefore passes through one gate per
 * DataSource. Transactions start with `BEGIN IMMEDIATE`, taking SQLite's write lock up front, so
 * a transaction that reads and then writes cannot fail half-way with SQLITE_BUSY when another
 * process (CLI and API side by side) wrote in between; the busy timeout makes it wait instead.
 * PostgreSQL runs each transaction on its own pooled connection and needs no gate.
 */
@Injectable()
export class BackupSqlRepository implements SqlExecutor {
  readonly engine: 'sqlite' | 'postgres';

  constructor(private readonly dataSource: DataSource) {
    const type = dataSource.options.type;
    if (type === 'postgres') this.engine = 'postgres';
    else if (type === 'better-sqlite3' || type === 'sqlite') this.engine = 'sqlite';
    else throw new Error(`Backup storage supports SQLite and PostgreSQL, not ${type}`);
  }

  /** The escaped, schema-qualified table name of an entity, for use in SQL. */
  table(entity: EntityTarget<ObjectLiteral>): string {
    const path = this.dataSource.getMetadata(entity).tablePath;
    return path
      .split('.')
      .map((part) => this.dataSource.driver.escape(part))
      .join('.');
  }

  rows<T>(sql: string, params: readonly SqlParam[] = []): Promise<T[]> {
    return this.exclusive((runner) => queryRows<T>(runner, this.engine, sql, params));
  }

  run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
    return this.exclusive((runner) => queryRun(runner, this.engine, sql, params));
  }

  /** Runs `work` in one transaction: all of its statements take effect, or none. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.exclusive(async (runner) => {
      if (this.engine === 'sqlite') await runner.query('BEGIN IMMEDIATE');
      else await runner.startTransaction();
      const tx: SqlExecutor = {
        rows: <R>(sql: string, params: readonly SqlParam[] = []) =>
          queryRows<R>(runner, this.engine, sql, params),
        run: (sql: string, params: readonly SqlParam[] = []) => queryRun(runner, this.engine, sql, params),
      };
      try {
        const result = await work(tx);
        if (this.engine === 'sqlite') await runner.query('COMMIT');
        else await runner.commitTransaction();
        return result;
      } catch (error) {
        // Never leave a transaction open on SQLite's shared connection, and never let a failed
        // rollback (e.g. on a broken connection) hide the error that caused it.
        await this.rollbackQuietly(runner);
        throw error;
      }
    });
  }

  private async rollbackQuietly(runner: QueryRunner): Promise<void> {
    try {
      if (this.engine === 'sqlite') {
        const connection = (await runner.connect()) as { inTransaction?: boolean };
        if (connection.inTransaction !== false) await runner.query('ROLLBACK');
      } else if (runner.isTransactionActive) {
        await runner.rollbackTransaction();
      }
    } catch {
      // The original error is the one worth reporting; the engine undoes the transaction anyway.
    }
  }

  private async exclusive<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const release = this.engine === 'sqlite' ? await gateOf(this.dataSource).acquire() : undefined;
    const runner = this.dataSource.createQueryRunner();
    try {
      return await work(runner);
    } finally {
      await runner.release();
      release?.();
    }
  }
}

async function queryRows<T>(
  runner: QueryRunner,
  engine: 'sqlite' | 'postgres',
  sql: string,
  params: readonly SqlParam[],
): Promise<T[]> {
  const result = await runner.query(toEngine(sql, engine), [...params], true);
  return (result.records ?? []) as T[];
}

async function queryRun(
  runner: QueryRunner,
  engine: 'sqlite' | 'postgres',
  sql: string,
  params: readonly SqlParam[],
): Promise<number> {
  const result = await runner.query(toEngine(sql, engine), [...params], true);
  return typeof result.affected === 'number' ? result.affected : 0;
}

/** PostgreSQL numbers its placeholders; the SQL here never has `?` inside a literal. */
function toEngine(sql: string, engine: 'sqlite' | 'postgres'): string {
  if (engine === 'sqlite') return sql;
  let index = 0;
  return sql.replace(/\?/g, () => `$${(index += 1)}`);
}

/** A FIFO mutex: one holder at a time, in arrival order. */
class Gate {
  private tail: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    return release;
  }
}

const gates = new WeakMap<DataSource, Gate>();

function gateOf(dataSource: DataSource): Gate {
  let gate = gates.get(dataSource);
  if (gate === undefined) {
    gate = new Gate();
    gates.set(dataSource, gate);
  }
  return gate;
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
