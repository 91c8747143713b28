import { existsSync } from 'node:fs';
import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type AppConfig, describeConfig } from '../../api/src/config/app-config';
import { connectToDemoServer } from '../../api/src/demo/demo-connection';
import type { CliIo } from './cli-io';
import { CliLogger } from './cli-logger';
import { CliModule } from './cli.module';

/**
 * What a command needs: services from the Nest application context, opened on first use (so
 * `--help` and argument errors never touch the database), and who is acting.
 */
export class CliContext {
  private app: Promise<INestApplicationContext> | undefined;
  /** What to do when a command needs Graph and no credentials or demo server are there. */
  private graphHint: string | undefined;

  constructor(
    private readonly loadConfig: () => AppConfig,
    readonly io: CliIo,
    /** Recorded in the audit trail, e.g. `cli:alice`. */
    readonly actor: string,
  ) {}

  async get<T>(service: Type<T>): Promise<T> {
    this.app ??= this.open();
    return (await this.app).get(service);
  }

  /** Why Graph cannot be reached (no credentials, no demo server on the data dir), once known. */
  get graphUnavailableHint(): string | undefined {
    return this.graphHint;
  }

  private async open(): Promise<INestApplicationContext> {
    const loaded = this.loadConfig();
    // Without Microsoft app credentials the CLI uses the emulator of the demo server running on
    // the same data dir, as the server itself does in demo mode.
    const connection = connectToDemoServer(loaded);
    this.graphHint = connection.kind === 'none' ? connection.hint : undefined;
    const { config } = connection;
    const newDataDir = !existsSync(config.storage.dataDir);
    // Silent while booting: a failure (database unreachable, data directory not writable)
    // rejects here and is reported once, as one line, by the command runner; Nest and TypeORM
    // would otherwise print their own multi-line versions of the same error first.
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(config), {
      logger: false,
      abortOnError: false,
    });
    app.useLogger(new CliLogger(this.io));
    const where = `data dir ${config.storage.dataDir}, database ${describeDatabase(config)}`;
    if (connection.kind === 'demo') {
      this.io.stderr.write(
        `note: demo mode: Microsoft Graph and sign-in are the demo server's emulator at ${connection.emulatorUrl}; ${where}\n`,
      );
    } else if (newDataDir) {
      this.io.stderr.write(
        `note: created a new, empty ${where}; set ENTRA_BACKUP_DATA_DIR to use the server's data dir\n`,
      );
    }
    return app;
  }

  async close(): Promise<void> {
    if (this.app === undefined) return;
    const app = await this.app.catch(() => undefined);
    this.app = undefined;
    await app?.close();
  }
}

function describeDatabase(config: AppConfig): string {
  const database = describeConfig(config)['database'] as { type: string; path?: string; url?: string };
  return database.type === 'sqlite' ? `SQLite ${database.path}` : `PostgreSQL ${database.url}`;
}
