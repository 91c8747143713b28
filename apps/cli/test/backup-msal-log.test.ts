import { BackupLab } from '../../../test/robustness/support/backup-lab';

jest.setTimeout(120_000);

/**
 * Client-credential token responses carry no `client_info`, and msal warns about it for every token.
 * That is expected for app-only tokens, so a successful backup must not print it on stderr.
 */
describe('entra-backup backup: msal log lines', () => {
  let lab: BackupLab;

  beforeAll(async () => {
    lab = await BackupLab.start({ users: 20 });
    await lab.registerTenant('users');
  });

  afterAll(async () => {
    await lab.dispose();
  });

  it('prints no msal warning for a successful app-only backup', async () => {
    const result = await lab.run(['backup', lab.tenantId]);

    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^users: succeeded, \d+ read from Graph$/m);
    expect(result.stderr).toMatch(
      /^backup \S+ completed: users 20 objects \(\+ \d+ authentication methods\)$/m,
    );
    expect(result.stderr).not.toMatch(/msal|client info/i);
  });
});
