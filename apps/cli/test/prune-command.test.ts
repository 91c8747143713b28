import { NestFactory } from '@nestjs/core';
import { RetentionService } from '../../api/src/modules/retention/retention.service';
import { CliModule } from '../src/cli.module';
import { CliHarness } from './support/cli-harness';

// Every run boots the application (Nest + migrations); leave room on a busy CI machine.
jest.setTimeout(30_000);

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

describe('entra-backup prune', () => {
  let cli: CliHarness;

  beforeEach(async () => {
    cli = await CliHarness.create();
    expect((await cli.run('tenant', 'add', TENANT, '--name', 'Contoso')).code).toBe(0);
  });

  afterEach(async () => {
    await cli.dispose();
  });

  async function placeLegalHold(): Promise<void> {
    const app = await NestFactory.createApplicationContext(CliModule.forRoot(cli.config), { logger: false });
    try {
      await app
        .get(RetentionService)
        .update(TENANT, { legalHold: true, legalHoldReason: 'Case 42' }, 'cli:tester');
    } finally {
      await app.close();
    }
  }

  it('is a dry run by default and prunes with --apply', async () => {
    const dry = await cli.run('prune', TENANT);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run for tenant');
    expect(dry.stdout).toContain('0 snapshot(s) would be pruned, 0 kept');
    expect(dry.stdout).toContain('--apply');

    const applied = await cli.run('prune', TENANT, '--apply', '--json');
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.stdout)).toMatchObject({
      status: 'completed',
      trigger: 'cli',
      actor: 'cli:tester',
    });
  });

  it('exits 3 and prunes nothing under a legal hold', async () => {
    await placeLegalHold();
    const dry = await cli.run('prune', TENANT);
    expect(dry.stdout).toContain('A legal hold is in force');

    const held = await cli.run('prune', TENANT, '--apply');
    expect(held.code).toBe(3);
    expect(held.stdout).toBe('Prune held: A legal hold suspends pruning (Case 42).\n');
    expect(held.stderr).toBe('error: Nothing pruned: A legal hold suspends pruning (Case 42)\n');
  });

  it('refuses an unknown tenant with exit 1', async () => {
    const result = await cli.run('prune', '00000000-0000-4000-8000-000000000000');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: .*00000000-0000-4000-8000-000000000000/);
  });
});
