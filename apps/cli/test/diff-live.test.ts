import { BackupLab } from '../../../test/robustness/support/backup-lab';
import { EmulatorControl } from '../../../test/robustness/support/emulator-control';

jest.setTimeout(120_000);

/** `diff <snapshot> live` reads the tenant now (a backup with trigger `compare`) and compares. */
describe('entra-backup diff … live', () => {
  let lab: BackupLab;
  let control: EmulatorControl;

  beforeAll(async () => {
    lab = await BackupLab.start({ users: 30 });
    control = new EmulatorControl(lab.emulator);
    await lab.registerTenant('users,groups,signInLogs');
  });

  afterAll(async () => {
    await control.close();
    await lab.dispose();
  });

  it('shows a user changed since the snapshot by name, old → new, and keeps the ids in JSON', async () => {
    expect((await lab.run(['backup', lab.tenantId])).code).toBe(0);
    const user = (await control.truth(lab.tenantId, 'users')).find(
      (u) => u['onPremisesSyncEnabled'] !== true,
    )!;
    const longTitle = `Head of ${'very '.repeat(30)}long titles`;
    await control.change(lab.tenantId, {
      action: 'update',
      collection: 'users',
      id: user['id'],
      patch: { jobTitle: longTitle },
    });

    const text = await lab.run(['diff', lab.tenantId, 'latest', 'live']);

    expect(text).toMatchObject({
      code: 0,
      stderr: 'Reading the live tenant through Microsoft Graph (a backup of the compared types)…\n',
    });
    const lines = text.stdout.split('\n');
    expect(lines[0]).toMatch(/^From snapshot #1 \(.+\) to the live tenant \(read now as snapshot #2, .+\)$/);
    expect(lines).toContain('Users: 0 added, 1 changed, 0 removed');
    expect(lines).toContain(`  ~ ${String(user['displayName'])} (${String(user['id'])})`);
    const change = lines.find((line) => line.startsWith('      jobTitle: '))!;
    expect(change).toMatch(/ → "Head of very very .*… \(\d+ chars\)$/);
    expect(change.length).toBeLessThan(200);

    const json = await lab.run(['diff', lab.tenantId, '1', 'live', '--json']);
    const parsed = JSON.parse(json.stdout) as {
      to: { live: boolean };
      types: Array<{
        type: string;
        collections: Array<{ changed: Array<{ id: string; name: string; properties: unknown[] }> }>;
      }>;
    };
    expect(parsed.to.live).toBe(true);
    // The live read covers the directory types the snapshot holds, not the append-only logs.
    expect(parsed.types.map((t) => t.type)).toEqual(['users']);
    expect(parsed.types[0]?.collections[0]?.changed).toEqual([
      {
        id: user['id'],
        name: user['displayName'],
        properties: [
          {
            kind: 'value',
            path: 'jobTitle',
            ...(user['jobTitle'] === undefined ? {} : { old: user['jobTitle'] }),
            new: longTitle,
          },
        ],
      },
    ]);
  });
});
