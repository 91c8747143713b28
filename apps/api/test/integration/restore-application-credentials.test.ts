import { BackupService } from '../../src/modules/backup';
import { requiredAppRoles } from '../../src/modules/exporters';
import { RestoreService } from '../../src/modules/restore/restore.service';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';

jest.setTimeout(120_000);

type Json = Record<string, unknown>;

const GITHUB = {
  name: 'github-release',
  issuer: 'https://token.actions.githubusercontent.com',
  subject: 'repo:contoso/app:environment:production',
  audiences: ['api://AzureADTokenExchange'],
  description: 'Releases',
};

describe(`${RestoreService.name}: what an application needs to come back`, () => {
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

  async function backup(): Promise<string> {
    const summary = await h.app
      .get(BackupService)
      .runBackup(tenant, { types: ['appRegistrations'], trigger: 'cli', actor: 'cli:test', full: true });
    expect(summary.status).toBe('completed');
    return summary.snapshotId!;
  }

  async function restore(snapshotId: string) {
    const plan = await sut.createPlan(
      tenant,
      { snapshotId, types: ['appRegistrations'] },
      { actor: 'cli:test' },
    );
    expect(plan.missingPermissions).toEqual([]);
    const run = await sut.executePlan(tenant, plan.planId, { actor: 'cli:test' });
    const actions = [];
    for await (const a of sut.planActions(tenant, plan.planId)) actions.push(a);
    expect(actions.filter((a) => a.state === 'failed')).toEqual([]);
    expect(run.status).toBe('completed');
    return { plan, run };
  }

  it('re-creates a deleted application with its federated credentials, extension definitions and certificates', async () => {
    const client = h.graph.forTenant(tenant);
    const apps = await h.truth(tenant, 'applications');
    const app = apps.find((a) => Array.isArray(a['keyCredentials']) && a['keyCredentials'].length > 0)!;
    const id = String(app['id']);
    await client.post(`/applications/${id}/federatedIdentityCredentials`, GITHUB);
    await client.post(`/applications/${id}/extensionProperties`, {
      name: 'badgeNumber',
      dataType: 'String',
      targetObjects: ['User', 'Group'],
    });
    const certificates = (
      await client.get<{ keyCredentials: Json[] }>(`/applications/${id}?$select=keyCredentials`)
    ).keyCredentials;
    expect(certificates[0]!['key']).toEqual(expect.any(String));

    const snapshot = await backup();
    const stored = (await h.stored(tenant, snapshot, 'appRegistrations', 'applications')).get(id)!;
    expect(stored['federatedIdentityCredentials']).toContainEqual(expect.objectContaining(GITHUB));
    expect(stored['keyCredentials']).toEqual(certificates);
    const oldPrefix = `extension_${String(app['appId']).replace(/-/g, '')}_`;
    expect((stored['extensionProperties'] as Json[]).map((e) => e['name'])).toContain(
      `${oldPrefix}badgeNumber`,
    );

    await client.delete(`/applications/${id}`);
    await client.delete(`/directory/deletedItems/${id}`);
    const { plan, run } = await restore(snapshot);
    const caveat = plan.unrecoverable.find((u) => u.id === id);
    // Certificates come back; only client secrets, if any, cannot.
    expect(caveat?.reason ?? '').not.toMatch(/without their public key/);

    const newId = run.idMap[id]!;
    const newAppId = run.idMap[String(app['appId'])]!;
    expect(newId).toBeDefined();
    const credentials = await client.get<{ value: Json[] }>(
      `/applications/${newId}/federatedIdentityCredentials`,
    );
    expect(credentials.value).toContainEqual(expect.objectContaining(GITHUB));
    const extensions = await client.get<{ value: Json[] }>(`/applications/${newId}/extensionProperties`);
    const newPrefix = `extension_${newAppId.replace(/-/g, '')}_`;
    expect(extensions.value.map((e) => [e['name'], e['targetObjects']])).toContainEqual([
      `${newPrefix}badgeNumber`,
      ['User', 'Group'],
    ]);
    expect(extensions.value).toHaveLength((stored['extensionProperties'] as Json[]).length);
    const uploaded = await client.get<{ keyCredentials: Json[] }>(
      `/applications/${newId}?$select=keyCredentials`,
    );
    expect(uploaded.keyCredentials.map((c) => c['key'])).toEqual(certificates.map((c) => c['key']));
  });

  it('puts back a federated credential removed from an existing application and removes one added since', async () => {
    const client = h.graph.forTenant(tenant);
    const app = (await h.truth(tenant, 'applications'))[0]!;
    const id = String(app['id']);
    const kept = (await client.post<Json>(`/applications/${id}/federatedIdentityCredentials`, {
      ...GITHUB,
      name: 'kept',
      subject: 'repo:contoso/app:ref:refs/heads/kept',
    }))!;
    const snapshot = await backup();
    await client.delete(`/applications/${id}/federatedIdentityCredentials/${String(kept['id'])}`);
    await client.post(`/applications/${id}/federatedIdentityCredentials`, {
      ...GITHUB,
      name: 'added-later',
      subject: 'repo:contoso/app:ref:refs/heads/later',
    });
    // Graph documents no change tracking of an application's federated credentials through
    // `applications/delta`: the restore's incremental read of the live state sees them once the
    // application itself changed (otherwise at the next full reconciliation).
    await client.patch(`/applications/${id}`, { notes: 'Touched after its credentials changed' });
    await restore(snapshot);
    const after = await client.get<{ value: Json[] }>(`/applications/${id}/federatedIdentityCredentials`);
    const names = after.value.map((c) => c['name']);
    expect(names).toContain('kept');
    expect(names).not.toContain('added-later');
  });
});
