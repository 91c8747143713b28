import { requiredAppRoles } from '../../src/modules/exporters';
import { BackupService } from '../../src/modules/backup';
import { CompareService } from '../../src/modules/compare/compare.service';
import { ConsentGrantsService } from '../../src/modules/consent/consent-grants.service';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';
import { testDatabases } from '../support/test-database';

jest.setTimeout(180_000);

const ACTOR = 'cli:test';

describe.each(testDatabases())(`${CompareService.name} on stored snapshots (%s)`, (engine) => {
  let h: BackupEngineHarness;
  let tenant: string;
  let sut: CompareService;

  beforeAll(async () => {
    h = await startBackupEngineHarness({ usersPerTenant: 40, engine });
    tenant = h.tenants[0]!;
    h.consent(tenant, requiredAppRoles());
    sut = h.app.get(CompareService);
  });

  afterAll(async () => {
    await h.close();
  });

  async function backup(): Promise<string> {
    const summary = await h.app
      .get(BackupService)
      .runBackup(tenant, { types: ['users', 'groups'], trigger: 'cli', actor: ACTOR, full: true });
    expect(summary.status).toBe('completed');
    return summary.snapshotId!;
  }

  it('answers what changed between two snapshots, by name, old → new, and with the live tenant', async () => {
    const before = await backup();
    const users = (await h.truth(tenant, 'users')).filter((u) => u['onPremisesSyncEnabled'] !== true);
    const [edited, removed, member] = [users[2]!, users[5]!, users[7]!];
    const group = (await h.truth(tenant, 'groups')).find(
      (g) =>
        g['onPremisesSyncEnabled'] !== true &&
        !((g['groupTypes'] as string[]) ?? []).includes('DynamicMembership'),
    )!;
    await h.change(tenant, {
      action: 'update',
      collection: 'users',
      id: edited['id'],
      patch: { jobTitle: 'Auditor' },
    });
    await h.change(tenant, { action: 'hardDelete', collection: 'users', id: removed['id'] });
    await h.change(tenant, {
      action: 'addMember',
      collection: 'groups',
      id: group['id'],
      memberId: member['id'],
    });
    const after = await backup();

    const summary = await sut.summary(tenant, { from: before, to: after }, ACTOR);
    expect(summary.types.find((t) => t.type === 'users')?.primary).toEqual({
      added: 0,
      changed: 1,
      removed: 1,
    });

    const page = await sut.objects(
      tenant,
      { from: before, to: after, type: 'users', page: 1, pageSize: 50 },
      ACTOR,
    );
    // The removed user's authentication methods are gone with it.
    const methods = page.items.filter((i) => !i.primary);
    expect(methods.length).toBeGreaterThan(0);
    for (const method of methods)
      expect(method).toMatchObject({
        collection: 'authenticationMethods',
        id: expect.stringMatching(new RegExp(`^${String(removed['id'])}_`)),
        change: 'removed',
      });
    expect(page.items.filter((i) => i.primary)).toEqual([
      {
        collection: 'users',
        primary: true,
        id: edited['id'],
        name: edited['displayName'],
        change: 'changed',
        properties: [
          {
            kind: 'value',
            path: 'jobTitle',
            ...(edited['jobTitle'] === undefined ? {} : { old: edited['jobTitle'] }),
            new: 'Auditor',
          },
        ],
      },
      {
        collection: 'users',
        primary: true,
        id: removed['id'],
        name: removed['displayName'],
        change: 'removed',
        properties: [],
      },
    ]);

    const groups = await sut.objects(
      tenant,
      { from: before, to: after, type: 'groups', page: 1, pageSize: 50 },
      ACTOR,
    );
    expect(groups.items.find((g) => g.id === group['id'])?.properties).toContainEqual({
      kind: 'references',
      path: 'members',
      added: [{ id: member['id'], name: member['displayName'], kind: 'user' }],
      removed: [],
    });

    // Reversed, the removed user is added again and the member leaves.
    const reverse = await sut.summary(tenant, { from: after, to: before, types: ['users'] }, ACTOR);
    expect(reverse.types[0]?.primary).toEqual({ added: 1, changed: 1, removed: 0 });

    // With the live tenant: consent recorded, one more change, and the read covers the types asked for.
    await h.app.get(ConsentGrantsService).save({
      tenantId: tenant,
      grantedRoles: [...requiredAppRoles()].sort(),
      grantedBy: 'admin',
      grantedAt: new Date(),
      verifiedAt: new Date(),
    });
    await h.change(tenant, {
      action: 'update',
      collection: 'users',
      id: edited['id'],
      patch: { jobTitle: 'Lead' },
    });
    const live = await sut.summary(tenant, { from: after, to: 'live', types: ['users'] }, ACTOR);
    expect(live.to).toMatchObject({ live: true });
    expect(live.types.map((t) => [t.type, t.primary])).toEqual([
      ['users', { added: 0, changed: 1, removed: 0 }],
    ]);
    const livePage = await sut.objects(
      tenant,
      { from: after, to: live.to.snapshotId, type: 'users', page: 1, pageSize: 10 },
      ACTOR,
    );
    expect(livePage.items[0]?.properties).toEqual([
      { kind: 'value', path: 'jobTitle', old: 'Auditor', new: 'Lead' },
    ]);
  });
});
