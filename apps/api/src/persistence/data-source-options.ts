import type { DataSourceOptions } from 'typeorm';
import type { DatabaseConfig } from '../config/app-config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { restrictSqliteFiles } from './sqlite-file-mode';

/** How long a SQLite writer waits for a lock held by another connection before failing. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * The one place TypeORM options are built from configuration; the API, the CLI, and the
 * integration tests all use it so they open the database the same way. Migrations run on
 * start-up and `synchronize` is never on: the schema only changes through committed migrations.
 */
export function buildDataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: true,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
  } as const;
  if (database.type === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: database.path,
      // TypeORM creates the parent directory on first start; WAL lets readers (API) and a
      // writer (CLI, backup run) work at the same time.
      enableWAL: true,
      timeout: SQLITE_BUSY_TIMEOUT_MS,
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        restrictSqliteFiles(database.path);
        db.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return {
    ...common,
    type: 'postgres',
    url: database.url,
    ...(database.schema === undefined ? {} : { schema: database.schema }),
  };
}
