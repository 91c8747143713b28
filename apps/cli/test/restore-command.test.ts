import { readdir } from 'node:fs/promises';
import { CliHarness } from './support/cli-harness';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const TARGET = '0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f';
const RESTORE = '9a8b7c6d-5e4f-4a3b-2c1d-0e9f8a7b6c5d';

function expectOneErrorLine(stderr: string, ...mentions: string[]) {
  const lines = stderr.split('\n').filter((line) => line.length > 0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  for (const mention of mentions) expect(lines[0]).toContain(mention);
}

/**
 * The command line of `restore`, `restore-resume` and `restores` through the real CLI. The
 * harness has no terminal on stdin, like a script or CI job.
 */
describe('entra-backup restore', () => {
  let cli: CliHarness;

  beforeEach(async () => {
    cli = await CliHarness.create();
  });

  afterEach(async () => {
    await cli.dispose();
  });

  /** A refused command line opened no database and computed nothing. */
  async function expectNothingDone(): Promise<void> {
    await expect(readdir(cli.dataDir)).resolves.toEqual([]);
  }

  it('lists the restore commands in the help', async () => {
    const result = await cli.run('--help');

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\s+restore \[options\] <tenantId>/m);
    expect(result.stdout).toMatch(/^\s+restore-resume \[options\] <restoreId>/m);
    expect(result.stdout).toMatch(/^\s+restores \[options\] <tenantId>/m);
  });

  it('documents every option of restore', async () => {
    const result = await cli.run('restore', '--help');

    expect(result.code).toBe(0);
    for (const option of [
      '--snapshot <id>',
      '--types <keys>',
      '--ids <ids>',
      '--properties <names>',
      '--no-relationships',
      '--remove-new',
      '--to-tenant <tenantId>',
      '--map-domain <old=new>',
      '--dry-run',
      '--yes',
      '--json',
    ]) {
      expect(result.stdout).toContain(option);
    }
  });

  it.each([
    [
      '--properties without --ids',
      ['restore', TENANT, '--snapshot', 'latest', '--properties', 'jobTitle', '--dry-run'],
      ['--properties', 'exactly one object with --ids'],
    ],
    [
      '--properties with two ids',
      ['restore', TENANT, '--snapshot', 'latest', '--ids', 'a,b', '--properties', 'jobTitle', '--dry-run'],
      ['exactly one object with --ids (got 2)'],
    ],
    [
      '--map-domain without --to-tenant',
      ['restore', TENANT, '--snapshot', 'latest', '--map-domain', 'contoso.com=fabrikam.com', '--dry-run'],
      ['--map-domain', 'add --to-tenant'],
    ],
    [
      'a malformed --map-domain',
      [
        'restore',
        TENANT,
        '--snapshot',
        'latest',
        '--to-tenant',
        TARGET,
        '--map-domain',
        'contoso.com',
        '--dry-run',
      ],
      ["'contoso.com'", 'old=new'],
    ],
    [
      'a bad snapshot',
      ['restore', TENANT, '--snapshot', 'yesterday', '--dry-run'],
      ["got 'yesterday'", '"latest"'],
    ],
    ['no snapshot', ['restore', TENANT, '--dry-run'], ["required option '--snapshot <id>' not specified"]],
    [
      'an unknown type key',
      ['restore', TENANT, '--snapshot', 'latest', '--types', 'users,printers', '--dry-run'],
      ['Unknown object type: printers'],
    ],
    ['a bad tenant id', ['restore', 'contoso', '--snapshot', 'latest', '--dry-run'], ["'contoso'", 'GUID']],
    [
      'a bad target tenant',
      ['restore', TENANT, '--snapshot', 'latest', '--to-tenant', 'fabrikam', '--dry-run'],
      ["'fabrikam'", 'GUID'],
    ],
  ])('refuses %s with exit 2', async (_case, argv, mentions) => {
    const result = await cli.run(...argv);

    expect(result.code).toBe(2);
    expectOneErrorLine(result.stderr, ...mentions);
    expect(result.stdout).toBe('');
    await expectNothingDone();
  });

  it('refuses to restore without --yes when stdin is not a terminal, before computing anything', async () => {
    const result = await cli.run('restore', TENANT, '--snapshot', 'latest', '--json');

    expect(result.code).toBe(2);
    expectOneErrorLine(result.stderr, 'stdin is not a terminal', 'pass --yes');
    expect(result.stdout).toBe('');
    await expectNothingDone();
  });

  describe('restore-resume', () => {
    it('refuses without --yes when stdin is not a terminal', async () => {
      const result = await cli.run('restore-resume', RESTORE);

      expect(result.code).toBe(2);
      expectOneErrorLine(result.stderr, 'pass --yes');
      await expectNothingDone();
    });

    it('refuses a restore id that is not a GUID', async () => {
      const result = await cli.run('restore-resume', 'last', '--yes');

      expect(result.code).toBe(2);
      expectOneErrorLine(result.stderr, "restoreId must be the id of a restore (a GUID), got 'last'");
      await expectNothingDone();
    });
  });

  it('refuses a bad --limit for restores', async () => {
    const result = await cli.run('restores', TENANT, '--limit', '0');

    expect(result.code).toBe(2);
    expectOneErrorLine(result.stderr, '--limit must be an integer from 1 to 500');
    await expectNothingDone();
  });
});
