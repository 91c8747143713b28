import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { requiredAppRoles } from '../../../api/src/modules/consent/consent-permissions';
import { ConsentGrantsService } from '../../../api/src/modules/consent/consent-grants.service';
import { loadAppConfig, type AppConfig } from '../../../api/src/config/app-config';
import { run } from '../../src/cli';
import { CliModule } from '../../src/cli.module';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the real CLI in-process against a temporary data directory, capturing its output. */
export class CliHarness {
  private constructor(
    readonly dataDir: string,
    readonly config: AppConfig,
  ) {}

  /** @param dataSubdir where the data directory goes inside the temp dir (default: the temp dir itself) */
  static async create(dataSubdir = '.'): Promise<CliHarness> {
    const dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-cli-'));
    return new CliHarness(
      dataDir,
      loadAppConfig({ NODE_ENV: 'test', ENTRA_BACKUP_DATA_DIR: join(dataDir, dataSubdir) }),
    );
  }

  async run(...argv: string[]): Promise<CliResult> {
    let stdout = '';
    let stderr = '';
    const code = await run(
      argv,
      {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text) },
      },
      { config: this.config, actor: 'cli:tester' },
    );
    return { code, stdout, stderr };
  }

  /** Records the tenant's admin consent (every permission), as the portal's consent callback does. */
  async grantConsent(tenantId: string): Promise<void> {
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(this.config), { logger: false });
    try {
      const at = new Date();
      await app.get(ConsentGrantsService).save({
        tenantId,
        grantedRoles: [...requiredAppRoles()].sort(),
        grantedBy: 'admin@contoso.com',
        grantedAt: at,
        verifiedAt: at,
      });
    } finally {
      await app.close();
    }
  }

  async dispose(): Promise<void> {
    await rm(this.dataDir, { recursive: true, force: true });
  }
}
