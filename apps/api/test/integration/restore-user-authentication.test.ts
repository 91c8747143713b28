import { BackupService } from '../../src/modules/backup';
import { requiredAppRoles } from '../../src/modules/exporters';
import { RestoreService } from '../../src/modules/restore/restore.service';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';

jest.setTimeout(180_000);

type Json = Record<string, unknown>;

const MOBILE = '3179e48a-750b-4051-897c-87b9720928f7';
const PHONE = '#microsoft.graph.phoneAuthenticationMethod';
const FIDO2 = '#microsoft.graph.fido2AuthenticationMethod';

describe(`${RestoreService.name}: users' authentication methods and sponsors`, () => {
  let h: BackupEngineHarness;
  let tenant: string;
  let sut: RestoreService;

  beforeAll(async () => {
    h = await startBackupEngineHarness({ usersPerTenant: 120 });
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
      .runBackup(tenant, { types: ['users'], trigger: 'cli', actor: 'cli:test', full: true });
    expect(summary.status).toBe('completed');
    return summary.snapshotId!;
  }

  it('puts back a deleted phone method and sponsor, gives a re-created user its phone, and reports its security key', async () => {
    const client = h.graph.forTenant(tenant);
    const methodsOf = async (userId: string) =>
      (await client.get<{ value: Json[] }>(`/users/${userId}/authentication/methods`)).value;
    const mobileOf = (methods: Json[]) =>
      methods.find((m) => m['@odata.type'] === PHONE && m['phoneType'] === 'mobile');
    const roleHolders = new Set(
      (await h.truth(tenant, 'roleAssignments')).map((a) => String(a['principalId'])),
    );
    const members = (await h.truth(tenant, 'users')).filter(
      (u) =>
        u['userType'] === 'Member' &&
        u['onPremisesSyncEnabled'] !== true &&
        !roleHolders.has(String(u['id'])),
    );
    const withMethods: Array<{ id: string; methods: Json[] }> = [];
    for (const u of members)
      withMethods.push({ id: String(u['id']), methods: await methodsOf(String(u['id'])) });
    // Deleted for good and re-created: a mobile phone and a FIDO2 key.
    const doomed = withMethods.find(
      (u) => mobileOf(u.methods) !== undefined && u.methods.some((m) => m['@odata.type'] === FIDO2),
    )!;
    // Loses its mobile phone.
    const phoneLoser = withMethods.find((u) => u !== doomed && mobileOf(u.methods) !== undefined)!;
    expect(doomed).toBeDefined();
    expect(phoneLoser).toBeDefined();
    const guest = (await h.truth(tenant, 'users')).find((u) => u['userType'] === 'Guest')!;
    const guestId = String(guest['id']);
    const sponsorsOf = async (userId: string) =>
      (await client.get<{ value: Json[] }>(`/users/${userId}/sponsors`)).value.map((s) => s['id']);
    const sponsors = await sponsorsOf(guestId);
    expect(sponsors.length).toBeGreaterThan(0);

    const snapshot = await backup();
    const stored = await h.stored(tenant, snapshot, 'users', 'authenticationMethods');
    expect(stored.get(`${doomed.id}_${MOBILE}`)).toMatchObject({
      userId: doomed.id,
      methodId: MOBILE,
      phoneNumber: mobileOf(doomed.methods)!['phoneNumber'],
    });
    expect([...stored.values()].some((m) => 'temporaryAccessPass' in m)).toBe(false);
    const storedGuest = (await h.stored(tenant, snapshot, 'users', 'users')).get(guestId)!;
    expect((storedGuest['sponsors'] as Json[]).map((s) => s['id'])).toEqual(sponsors);

    await client.delete(`/users/${phoneLoser.id}/authentication/phoneMethods/${MOBILE}`);
    await client.delete(`/users/${guestId}/sponsors/${String(sponsors[0])}/$ref`);
    // Neither change is reported by the user delta query: the restore's read of the live state sees
    // them once the users themselves changed (otherwise at the next full backup).
    await client.patch(`/users/${phoneLoser.id}`, { jobTitle: 'Touched after losing a phone' });
    await client.patch(`/users/${guestId}`, { jobTitle: 'Touched after losing a sponsor' });
    await h.change(tenant, { action: 'delete', collection: 'users', id: doomed.id });
    await client.delete(`/directory/deletedItems/${doomed.id}`);

    const plan = await sut.createPlan(
      tenant,
      { snapshotId: snapshot, types: ['users'] },
      { actor: 'cli:test' },
    );
    expect(plan.missingPermissions).toEqual([]);
    const key = doomed.methods.find((m) => m['@odata.type'] === FIDO2)!;
    expect(plan.unrecoverable).toContainEqual(
      expect.objectContaining({
        id: `${doomed.id}_${String(key['id'])}`,
        reason: expect.stringMatching(/FIDO2 security key methods are registered by the user/),
      }),
    );
    const run = await sut.executePlan(tenant, plan.planId, { actor: 'cli:test' });
    const actions = [];
    for await (const a of sut.planActions(tenant, plan.planId)) actions.push(a);
    expect(actions.filter((a) => a.state === 'failed')).toEqual([]);
    expect(run.status).toBe('completed');

    expect(mobileOf(await methodsOf(phoneLoser.id))?.['phoneNumber']).toBe(
      mobileOf(phoneLoser.methods)!['phoneNumber'],
    );
    expect(await sponsorsOf(guestId)).toEqual(expect.arrayContaining(sponsors));
    const reborn = run.idMap[doomed.id]!;
    expect(reborn).toBeDefined();
    expect(reborn).not.toBe(doomed.id);
    const rebornMethods = await methodsOf(reborn);
    expect(mobileOf(rebornMethods)?.['phoneNumber']).toBe(mobileOf(doomed.methods)!['phoneNumber']);
    expect(rebornMethods.some((m) => m['@odata.type'] === FIDO2)).toBe(false);
    // The phone is mapped to the id the next backup stores it under.
    expect(run.idMap[`${doomed.id}_${MOBILE}`]).toBe(`${reborn}_${MOBILE}`);
  });
});
