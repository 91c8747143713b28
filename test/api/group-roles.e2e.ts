import { errorBodySchema, sessionSchema } from '@entra-backup/common';
import {
  type EmulatorTestApp,
  GLOBAL_ADMINISTRATOR,
  grantConsent,
  signIn,
  startAppWithEmulator,
} from './support/emulator-app';

jest.setTimeout(60_000);

describe('Administrators through role-assignable groups (e2e)', () => {
  let env: EmulatorTestApp;

  beforeEach(async () => {
    env = await startAppWithEmulator();
  });

  afterEach(async () => {
    await env.close();
  });

  /** The tenant's role-assignable group, with the plain member added through the control API. */
  async function memberOfRoleAssignableGroup(): Promise<string> {
    const tenant = env.emulator.world.directory(env.tenantId)!;
    const group = [...tenant.collection('groups').values()].find((g) => g['isAssignableToRole'] === true);
    expect(group).toBeDefined();
    const groupId = String(group!['id']);
    if (!tenant.related('members', 'groups', groupId).includes(env.member.id)) {
      const res = await env.emulatorFetch(
        `${env.emulator.baseUrl}/_emulator/tenants/${env.tenantId}/changes`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'addMember', id: groupId, memberId: env.member.id }),
        },
      );
      expect(res.status).toBe(200);
    }
    return groupId;
  }

  function assignGlobalAdministrator(principalId: string, directoryScopeId: string): void {
    env.emulator.world.directory(env.tenantId)!.create('roleAssignments', {
      principalId,
      roleDefinitionId: GLOBAL_ADMINISTRATOR,
      directoryScopeId,
      appScopeId: null,
      condition: null,
    });
  }

  it('lets in, after consent, a member of a group that holds Global Administrator tenant-wide', async () => {
    await grantConsent(env, await signIn(env, env.admin));
    const groupId = await memberOfRoleAssignableGroup();

    // The group's other roles are not portal roles: still no access.
    const before = await signIn(env, env.member);
    expect(before.landedOn).toBe('/no-access');

    assignGlobalAdministrator(groupId, '/');
    const session = await signIn(env, env.member);

    expect(session.landedOn).toBe('/');
    const body = sessionSchema.parse((await session.agent.get('/api/auth/session').expect(200)).body);
    expect(body.user?.roles).toEqual(['Global Administrator']);
    await session.agent.get(`/api/tenants/${env.tenantId}/settings`).expect(200);
  });

  it('refuses a member of a group that holds Global Administrator only over an administrative unit', async () => {
    await grantConsent(env, await signIn(env, env.admin));
    const groupId = await memberOfRoleAssignableGroup();
    const unit = [
      ...env.emulator.world.directory(env.tenantId)!.collection('administrativeUnits').values(),
    ][0];
    expect(unit).toBeDefined();
    assignGlobalAdministrator(groupId, `/administrativeUnits/${String(unit!['id'])}`);

    const session = await signIn(env, env.member);

    expect(session.landedOn).toBe('/no-access');
    const res = await session.agent.get(`/api/tenants/${env.tenantId}/settings`).expect(403);
    expect(errorBodySchema.parse(res.body).code).toBe('NO_ACCESS');
  });
});
