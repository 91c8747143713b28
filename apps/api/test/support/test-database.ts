import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { DatabaseConfig } from '../../src/config/app-config';
import { buildDataSourceOptions } from '../../src/persistence/data-source-options';

export type TestEngine = 'sqlite' | 'postgres';

/**
 * The engines to run persistence tests on: SQLite always, PostgreSQL when `TEST_DATABASE_URL`
 * is set (e.g. `postgres://postgres@127.0.0.1:5432/test`). Use with `describe.each`.
 */
export function testDatabases(): TestEngine[] {
  return postgresTestUrl() === undefined ? ['sqlite'] : ['sqlite', 'postgres'];
}

function postgresTestUrl(): string | undefined {
  const url = process.env['TEST_DATABASE_URL'];
  return url === undefined || url.trim() === '' ? undefined : url;
}

/** An empty database of the given engine: a temp SQLite file or a fresh PostgreSQL schema. */
export interface TestDatabaseLocation {
  readonly engine: TestEngine;
  readonly config: DatabaseConfig;
  /** Deletes the file / drops the schema. Destroy data sources on it first. */
  drop(): Promise<void>;
}

export async function createTestDatabaseLocation(engine: TestEngine): Promise<TestDatabaseLocation> {
  if (engine === 'sqlite') {
    const dir = await mkdtemp(join(tmpdir(), 'entra-backup-db-'));
    return {
      engine,
      config: { type: 'sqlite', path: join(dir, 'entra-backup.sqlite') },
      drop: () => rm(dir, { recursive: true, force: true }),
    };
  }
  const url = postgresTestUrl();
  if (url === undefined) throw new Error('TEST_DATABASE_URL must be set to run PostgreSQL tests');
  const schema = `eb_test_${randomBytes(6).toString('hex')}`;
  await withPgClient(url, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  return {
    engine,
    config: { type: 'postgres', url, schema },
    drop: () => withPgClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)),
  };
}

async function withPgClient(url: string, work: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDataSource {
  readonly engine: TestEngine;
  readonly config: DatabaseConfig;
  /** Initialized, with every migration run from an empty database. */
  readonly dataSource: DataSource;
  /** Closes the connection and drops the database. */
  destroy(): Promise<void>;
}

/** Opens a migrated data source on an empty database, exactly as the application does. */
export async function createTestDataSource(engine: TestEngine): Promise<TestDataSource> {
  const location = await createTestDatabaseLocation(engine);
  const dataSource = new DataSource(buildDataSourceOptions(location.config));
  try {
    await dataSource.initialize();
  } catch (error) {
    await location.drop();
    throw error;
  }
  return {
    engine,
    config: location.config,
    dataSource,
    destroy: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await location.drop();
    },
  };
}
