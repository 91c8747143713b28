import type { INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { AppConfig } from '../../api/src/config/app-config';
import type { CliIo } from './cli-io';
import { CliLogger } from './cli-logger';
import { CliModule } from './cli.module';

/**
 * What a command needs: services from the Nest application context, opened on first use (so
 * `--help` and argument errors never touch the database), and who is acting.
 */
export class CliContext {
  private app: Promise<INestApplicationContext> | undefined;

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

  private async open(): Promise<INestApplicationContext> {
    // Silent while booting: a failure (database unreachable, data directory not writable)
    // rejects here and is reported once, as one line, by the command runner; Nest and TypeORM
    // would otherwise print their own multi-line versions of the same error first.
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(this.loadConfig()), {
      logger: false,
      abortOnError: false,
    });
    app.useLogger(new CliLogger(this.io));
    return app;
  }

  async close(): Promise<void> {
    if (this.app === undefined) return;
    const app = await this.app.catch(() => undefined);
    this.app = undefined;
    await app?.close();
  }
}
