import { createServer } from 'node:net';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp } from '../../api/src/bootstrap';
import { loadAppConfig } from '../../api/src/config/app-config';
import { type DemoMode, DEMO_APP_NAME, startDemoModeIfUnconfigured } from '../../api/src/demo/demo-mode';
import { ConsentGrantsService } from '../../api/src/modules/consent/consent-grants.service';
import { requiredReadPermissions } from '../../api/src/modules/exporters';
import { TenantsService } from '../../api/src/modules/tenants/tenants.service';
import { CliHarness } from './support/cli-harness';

jest.setTimeout(120_000);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(),
      );
    });
  });
}

/** The CLI without Microsoft app credentials, on the data dir of a demo server (`npm start`). */
describe('entra-backup in demo mode', () => {
  let cli: CliHarness;

  beforeEach(async () => {
    cli = await CliHarness.create();
  });

  afterEach(async () => {
    await cli.dispose();
  });

  describe('next to a running demo server', () => {
    let demo: DemoMode;
    let server: NestExpressApplication;
    let tenantId: string;

    beforeEach(async () => {
      // The server as `npm start` runs it without credentials: demo mode on the same data dir.
      const config = loadAppConfig({
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        ENTRA_BACKUP_DATA_DIR: cli.dataDir,
        ENTRA_BACKUP_PORTAL_DIR: join(cli.dataDir, 'no-portal'),
        ENTRA_BACKUP_DEMO_PORT: String(await freePort()),
      });
      demo = (await startDemoModeIfUnconfigured(config))!;
      server = await createApp(demo.config);
      await server.init();
      await demo.afterStart(server);
      // An admin signed in and granted consent in the portal.
      tenantId = demo.emulator.world.listTenants()[0]!.tenantId;
      await server.get(TenantsService).create({ tenantId, displayName: 'Demo tenant' }, 'test');
      const roles = requiredReadPermissions();
      const at = new Date();
      await server
        .get(ConsentGrantsService)
        .save({ tenantId, grantedRoles: roles, grantedBy: 'admin', grantedAt: at, verifiedAt: at });
      demo.emulator.world.applyAdminConsent(
        tenantId,
        { appId: demo.config.graph.clientId!, displayName: DEMO_APP_NAME },
        roles,
      );
    });

    afterEach(async () => {
      await server.close();
      await demo.stop();
    });

    it('records admin consent granted in the tenant, then lets types be switched on', async () => {
      const other = demo.emulator.world.listTenants()[1]!.tenantId;
      demo.emulator.world.applyAdminConsent(
        other,
        { appId: demo.config.graph.clientId!, displayName: DEMO_APP_NAME },
        requiredReadPermissions(),
      );
      await cli.run('tenant', 'add', other, '--name', 'Other demo tenant');
      expect((await cli.run('settings', 'set', other, '--enable', 'users')).code).toBe(1);

      const consent = await cli.run('settings', 'consent', other);

      expect(consent.code).toBe(0);
      expect(consent.stdout).toContain(`Admin consent recorded for tenant ${other}`);
      await expect(cli.run('settings', 'set', other, '--enable', 'users', '--json')).resolves.toMatchObject({
        code: 0,
      });
    });

    it("backs up through the demo server's emulator and says which data dir and database it uses", async () => {
      const result = await cli.run('backup', tenantId, '--types', 'users', '--json');

      expect(result.stderr).not.toMatch(/credentials are not configured/);
      expect(result.code).toBe(0);
      const summary = JSON.parse(result.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
      expect(summary).toMatchObject({ status: 'completed', types: { users: { status: 'succeeded' } } });
      expect(result.stderr).toContain(`demo mode`);
      expect(result.stderr).toContain(demo.emulator.graphBaseUrl);
      expect(result.stderr).toContain(`data dir ${cli.dataDir}`);
      expect(result.stderr).toContain(`SQLite ${join(cli.dataDir, 'entra-backup.sqlite')}`);
    });
  });

  it('says how to reach Graph when no demo server runs on its data dir', async () => {
    const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
    await cli.run('tenant', 'add', tenantId, '--name', 'Contoso');

    const result = await cli.run('backup', tenantId, '--types', 'users');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`no demo server runs on the data dir ${cli.dataDir}`);
    expect(result.stderr).toContain('npm start');
  });

  it('says so when it creates a new, empty data dir instead of doing it silently', async () => {
    const fresh = await CliHarness.create('not/yet/there');
    try {
      const result = await fresh.run('tenant', 'list');

      expect(result.code).toBe(0);
      expect(result.stderr).toContain(`created a new, empty data dir ${fresh.config.storage.dataDir}`);
      expect(result.stderr).toContain('ENTRA_BACKUP_DATA_DIR');
      const again = await fresh.run('tenant', 'list');
      expect(again.stderr).toBe('');
    } finally {
      await fresh.dispose();
    }
  });
});
