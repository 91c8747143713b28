import type { ObjectTypeKey } from '@entra-backup/common';
import { BackupService } from '../../src/modules/backup';
import { requiredAppRoles } from '../../src/modules/exporters';
import { RestoreService } from '../../src/modules/restore/restore.service';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';

jest.setTimeout(180_000);

type Json = Record<string, unknown>;

const EXTENSION = /^extension_([0-9a-f]{32})_(costCenter|projectCode)$/;
const USER_READ = 'e1fe6dd8-ba31-4d61-89e7-88639da4683d';

describe(`${RestoreService.name}: directory extension values and permission classifications, against the emulator`, () => {
  let h: BackupEngineHarness;
  let tenant: string;
  let sut: RestoreService;

  beforeAll(async () => {
    h = await startBackupEngineHarness({ usersPerTenant: 60 });
    tenant = h.tenants[0]!;
    h.consent(tenant, requiredAppRoles());
    sut = h.app.get(RestoreService);
  });

  afterAll(async () => {
    await h.close();
  });

  async function backup(types: ObjectTypeKey[]): Promise<string> {
    const summary = await h.app
      .get(BackupService)
      .runBackup(tenant, { types, trigger: 'cli', actor: 'cli:test', full: true });
    expect(summary.status).toBe('completed');
    for (const type of types) expect(summary.types[type]?.skippedCollections).toBeUndefined();
    return summary.snapshotId!;
  }

  async function restore(snapshotId: string, types: ObjectTypeKey[]) {
    const plan = await sut.createPlan(tenant, { snapshotId, types }, { actor: 'cli:test' });
    expect(plan.missingPermissions).toEqual([]);
    const run = await sut.executePlan(tenant, plan.planId, { actor: 'cli:test' });
    const actions = [];
    for await (const a of sut.planActions(tenant, plan.planId)) actions.push(a);
    expect(actions.filter((a) => a.state === 'failed')).toEqual([]);
    expect(run.status).toBe('completed');
    return { plan, run };
  }

  /**
   * Cloud-only users or groups (those synchronised from on-premises are written there) that carry
   * a value of the seed's extensions and hold no directory role (deleting such a user needs a
   * higher role), with the extension's name.
   */
  async function carrying(collection: 'users' | 'groups'): Promise<Array<{ object: Json; name: string }>> {
    const privileged = new Set(
      [
        ...(await h.truth(tenant, 'roleAssignments')),
        ...(await h.truth(tenant, 'roleEligibilitySchedules')),
      ].map((a) => a['principalId']),
    );
    return (await h.truth(tenant, collection))
      .filter((object) => object['onPremisesSyncEnabled'] !== true && !privileged.has(object['id']))
      .flatMap((object) =>
        Object.keys(object)
          .filter((k) => EXTENSION.test(k))
          .map((name) => ({ object, name })),
      );
  }

  const graphServicePrincipal = async () =>
    (await h.truth(tenant, 'servicePrincipals')).find(
      (sp) => sp['appId'] === '00000003-0000-0000-c000-000000000000',
    )!;

  it('brings changed and removed extension values and a removed classification back, and removes one added since', async () => {
    const client = h.graph.forTenant(tenant);
    const users = await carrying('users');
    const groups = await carrying('groups');
    expect(users.length).toBeGreaterThanOrEqual(2);
    expect(groups.length).toBeGreaterThanOrEqual(1);
    const [changed, cleared] = users;
    const [group] = groups;
    const sp = await graphServicePrincipal();
    const classifications = sp['delegatedPermissionClassifications'] as Json[];
    const openid = classifications.find((c) => c['permissionName'] === 'openid')!;

    const snapshot = await backup(['users', 'groups', 'enterpriseApps']);
    const storedUsers = await h.stored(tenant, snapshot, 'users', 'users');
    expect(storedUsers.get(String(changed!.object['id']))![changed!.name]).toBe(
      changed!.object[changed!.name],
    );
    const storedSp = (await h.stored(tenant, snapshot, 'enterpriseApps', 'servicePrincipals')).get(
      String(sp['id']),
    )!;
    expect(storedSp['delegatedPermissionClassifications']).toEqual(classifications);
    // Only the API publishing user-consentable permissions is asked for classifications.
    const others = [...(await h.stored(tenant, snapshot, 'enterpriseApps', 'servicePrincipals')).values()];
    expect(others.filter((o) => 'delegatedPermissionClassifications' in o)).toHaveLength(1);

    await client.patch(`/users/${String(changed!.object['id'])}`, { [changed!.name]: 'CC-0000' });
    await client.patch(`/users/${String(cleared!.object['id'])}`, { [cleared!.name]: null });
    await client.patch(`/groups/${String(group!.object['id'])}`, { [group!.name]: 'PRJ-99999' });
    const spPath = `/servicePrincipals/${String(sp['id'])}/delegatedPermissionClassifications`;
    await client.delete(`${spPath}/${String(openid['id'])}`);
    await client.post(spPath, { permissionId: USER_READ, classification: 'low' });
    // Graph documents no change tracking of a service principal's classifications through
    // `servicePrincipals/delta`: the restore's incremental read of the live state sees them once the
    // service principal itself changed (otherwise at the next full reconciliation).
    await client.patch(`/servicePrincipals/${String(sp['id'])}`, {
      notes: 'Touched after its classifications changed',
    });

    await restore(snapshot, ['users', 'groups', 'enterpriseApps']);

    const read = async (collection: string, id: unknown, name: string) =>
      (await client.get<Json>(`/${collection}/${String(id)}?$select=id,${name}`))[name];
    expect(await read('users', changed!.object['id'], changed!.name)).toBe(changed!.object[changed!.name]);
    expect(await read('users', cleared!.object['id'], cleared!.name)).toBe(cleared!.object[cleared!.name]);
    expect(await read('groups', group!.object['id'], group!.name)).toBe(group!.object[group!.name]);
    const after = await client.get<{ value: Json[] }>(spPath);
    expect(after.value.map((c) => [c['permissionId'], c['classification']]).sort()).toEqual(
      classifications.map((c) => [c['permissionId'], c['classification']]).sort(),
    );
  });

  it('writes the values of an application re-created with a new appId under its new extension names', async () => {
    const client = h.graph.forTenant(tenant);
    const users = await carrying('users');
    const groups = await carrying('groups');
    const oldHex = EXTENSION.exec(users[0]!.name)![1]!;
    const app = (await h.truth(tenant, 'applications')).find(
      (a) => String(a['appId']).replace(/-/g, '') === oldHex,
    )!;
    const [kept, purged] = users;
    const [group] = groups;

    const snapshot = await backup(['users', 'groups', 'appRegistrations']);
    // The application is deleted for good (its extensions and their values with it), and so is a
    // user carrying a value.
    await client.delete(`/applications/${String(app['id'])}`);
    await client.delete(`/directory/deletedItems/${String(app['id'])}`);
    await client.delete(`/users/${String(purged!.object['id'])}`);
    await client.delete(`/directory/deletedItems/${String(purged!.object['id'])}`);
    const hidden = await client.get<Json>(`/users/${String(kept!.object['id'])}?$select=id,${kept!.name}`);
    expect(hidden).not.toHaveProperty(kept!.name);

    const { run } = await restore(snapshot, ['users', 'groups', 'appRegistrations']);

    const newAppId = run.idMap[String(app['appId'])]!;
    expect(newAppId).toBeDefined();
    expect(newAppId).not.toBe(app['appId']);
    const renamed = (name: string) => name.replace(oldHex, newAppId.replace(/-/g, ''));
    const read = async (collection: string, id: string, name: string) =>
      (await client.get<Json>(`/${collection}/${id}?$select=id,${name}`))[name];
    expect(await read('users', String(kept!.object['id']), renamed(kept!.name))).toBe(
      kept!.object[kept!.name],
    );
    const recreated = run.idMap[String(purged!.object['id'])]!;
    expect(recreated).toBeDefined();
    expect(await read('users', recreated, renamed(purged!.name))).toBe(purged!.object[purged!.name]);
    expect(await read('groups', String(group!.object['id']), renamed(group!.name))).toBe(
      group!.object[group!.name],
    );
    // The old names are gone with the old application.
    expect(await read('users', String(kept!.object['id']), kept!.name)).toBeUndefined();
  });
});
