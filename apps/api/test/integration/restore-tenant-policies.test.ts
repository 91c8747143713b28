import { BackupService } from '../../src/modules/backup';
import { requiredAppRoles } from '../../src/modules/exporters';
import { RestoreService } from '../../src/modules/restore/restore.service';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';
import { testDatabases } from '../support/test-database';

jest.setTimeout(180_000);

const NEW_PARTNER = '0f4f2b7e-7c1a-4a3e-9a5d-2d7c9c1e8b11';

/** What a policy holds, without what Graph stamps on every write. */
function settings(object: Record<string, unknown> | undefined): Record<string, unknown> {
  const { lastModifiedDateTime: _stamp, ...rest } = object ?? {};
  return rest;
}

describe.each(testDatabases())('Restore of the tenant-wide policies against the emulator (%s)', (engine) => {
  let h: BackupEngineHarness;
  let tenant: string;
  let sut: RestoreService;

  beforeAll(async () => {
    h = await startBackupEngineHarness({ usersPerTenant: 30, engine });
    tenant = h.tenants[0]!;
    h.consent(tenant, requiredAppRoles());
    sut = h.app.get(RestoreService);
  });

  afterAll(async () => {
    await h.close();
  });

  it('backs up the Conditional Access type with its tenant-wide policies and brings changed and deleted ones back', async () => {
    const client = h.graph.forTenant(tenant);
    const truth = async (collection: string) => h.truth(tenant, collection);
    const summary = await h.app.get(BackupService).runBackup(tenant, {
      types: ['conditionalAccessPolicies'],
      trigger: 'cli',
      actor: 'cli:test',
      full: true,
    });
    expect(summary.status).toBe('completed');
    expect(summary.types.conditionalAccessPolicies?.skippedCollections).toBeUndefined();
    const before = {
      authorization: (await truth('authorizationPolicy'))[0],
      securityDefaults: (await truth('identitySecurityDefaultsEnforcementPolicy'))[0],
      methods: (await truth('authenticationMethodsPolicy'))[0],
      consent: (await truth('adminConsentRequestPolicy'))[0],
      partners: await truth('crossTenantAccessPolicyPartners'),
      grants: await truth('permissionGrantPolicies'),
    };
    const custom = before.grants.find((g) => !String(g['id']).startsWith('microsoft-'))!;
    expect(custom).toBeDefined();
    const [deletedPartner] = before.partners;
    expect(deletedPartner).toBeDefined();

    // The disaster: guests invitable by anyone, security defaults flipped, a partner deleted and
    // another added, admin consent requests switched off, a custom consent policy deleted, SMS
    // sign-in enabled.
    await client.patch('/policies/authorizationPolicy', {
      allowInvitesFrom: 'everyone',
      defaultUserRolePermissions: { allowedToCreateApps: true, permissionGrantPoliciesAssigned: [] },
    });
    await client.patch('/policies/identitySecurityDefaultsEnforcementPolicy', {
      isEnabled: before.securityDefaults!['isEnabled'] !== true,
    });
    await client.delete(`/policies/crossTenantAccessPolicy/partners/${String(deletedPartner!['tenantId'])}`);
    await client.post('/policies/crossTenantAccessPolicy/partners', { tenantId: NEW_PARTNER });
    await client.put('/policies/adminConsentRequestPolicy', {
      isEnabled: false,
      notifyReviewers: false,
      remindersEnabled: false,
      requestDurationInDays: 1,
      reviewers: [],
    });
    await client.delete(`/policies/permissionGrantPolicies/${String(custom['id'])}`);
    await client.patch('/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/Sms', {
      '@odata.type': '#microsoft.graph.smsAuthenticationMethodConfiguration',
      state: 'enabled',
    });

    const plan = await sut.createPlan(
      tenant,
      { snapshotId: summary.snapshotId!, types: ['conditionalAccessPolicies'], removeNew: true },
      { actor: 'cli:test' },
    );
    expect(plan.missingPermissions).toEqual([]);
    const planned = [];
    for await (const a of sut.planActions(tenant, plan.planId)) planned.push(`${a.action} ${a.collection}`);
    expect(planned.sort()).toEqual([
      'recreate crossTenantAccessPolicyPartners',
      'recreate permissionGrantPolicies',
      'remove crossTenantAccessPolicyPartners',
      'update adminConsentRequestPolicy',
      'update authenticationMethodsPolicy',
      'update authorizationPolicy',
      'update identitySecurityDefaultsEnforcementPolicy',
    ]);

    const run = await sut.executePlan(tenant, plan.planId, { actor: 'cli:test' });
    const actions = [];
    for await (const a of sut.planActions(tenant, plan.planId)) actions.push(a);
    expect(actions.filter((a) => a.state === 'failed')).toEqual([]);
    expect(run.status).toBe('completed');

    expect((await truth('authorizationPolicy'))[0]).toEqual(before.authorization);
    expect((await truth('identitySecurityDefaultsEnforcementPolicy'))[0]).toEqual(before.securityDefaults);
    expect((await truth('adminConsentRequestPolicy'))[0]).toEqual(before.consent);
    expect(settings((await truth('authenticationMethodsPolicy'))[0])).toEqual(settings(before.methods));
    const partners = await truth('crossTenantAccessPolicyPartners');
    expect(partners.map((p) => p['tenantId']).sort()).toEqual(
      before.partners.map((p) => p['tenantId']).sort(),
    );
    expect(partners.find((p) => p['tenantId'] === deletedPartner!['tenantId'])).toEqual(deletedPartner);
    // The custom consent policy is back under its id; its condition sets get new ids from Graph.
    const withoutSetIds = (g: Record<string, unknown> | undefined) => ({
      ...g,
      includes: (g?.['includes'] as Array<Record<string, unknown>>).map(({ id: _id, ...set }) => set),
      excludes: (g?.['excludes'] as Array<Record<string, unknown>>).map(({ id: _id, ...set }) => set),
    });
    const grants = await truth('permissionGrantPolicies');
    expect(withoutSetIds(grants.find((g) => g['id'] === custom['id']))).toEqual(withoutSetIds(custom));
  });
});
