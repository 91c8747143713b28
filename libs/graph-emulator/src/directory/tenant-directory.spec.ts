import { AdjustableClock } from '../shared/world-port';
import { GRAPH_APP_ROLES, MICROSOFT_GRAPH_APP_ID } from './catalog';
import { DirectoryError, SOFT_DELETE_RETENTION_MS, TenantDirectory } from './tenant-directory';

const spec = {
  index: 0,
  tenantId: '00000000-0000-4000-8000-000000000001',
  displayName: 'Contoso Demo',
  domain: 'contosodemo.onmicrosoft.com',
  users: 200,
  premium: true,
};

describe(TenantDirectory.name, () => {
  let clock: AdjustableClock;
  let sut: TenantDirectory;

  beforeEach(() => {
    clock = new AdjustableClock();
    clock.set(Date.UTC(2026, 10, 20, 12));
    sut = new TenantDirectory(42, spec, Date.UTC(2026, 10, 20), clock);
  });

  const groupOfKind = (unified: boolean) =>
    [...sut.collection('groups').values()].find(
      (g) =>
        (g['groupTypes'] as string[]).includes('Unified') === unified &&
        !(g['groupTypes'] as string[]).includes('DynamicMembership'),
    )!;

  it('soft-deletes users, Microsoft 365 and security groups, hard-deletes mail-enabled groups', () => {
    const user = sut.collection('users').at(5)!;
    expect(sut.remove('users', String(user['id']))).toEqual({ soft: true });
    expect(sut.remove('groups', String(groupOfKind(true)['id']))).toEqual({ soft: true });
    expect(sut.remove('groups', String(groupOfKind(false)['id']))).toEqual({ soft: true });
    const distribution = sut.create('groups', {
      displayName: 'Sales DL',
      mailEnabled: true,
      securityEnabled: false,
      mailNickname: 'salesdl',
      groupTypes: [],
    });
    const mailEnabledSecurity = sut.create('groups', {
      displayName: 'Mail-enabled SG',
      mailEnabled: true,
      securityEnabled: true,
      mailNickname: 'mesg',
      groupTypes: [],
    });
    expect(sut.remove('groups', String(distribution['id']))).toEqual({ soft: false });
    expect(sut.remove('groups', String(mailEnabledSecurity['id']))).toEqual({ soft: false });
    expect(
      sut
        .deletedItems()
        .map((d) => d.collection)
        .sort(),
    ).toEqual(['groups', 'groups', 'users']);
    const ofObjects = sut.changes.filter(
      (c) => !c.member && (c.collection === 'users' || c.collection === 'groups') && c.kind !== 'upsert',
    );
    expect(ofObjects.map((c) => c.kind)).toEqual([
      'softDeleted',
      'softDeleted',
      'softDeleted',
      'deleted',
      'deleted',
    ]);
    expect(
      sut.changes
        .filter((c) => c.member)
        .every((c) => c.member!.removed && (c.collection === 'groups' || c.member!.relation === 'manager')),
    ).toBe(true);
  });

  it('hard-deletes a type whose soft delete is turned off', () => {
    const legacy = new TenantDirectory(42, spec, Date.UTC(2026, 10, 20), clock, { securityGroups: false });
    const security = [...legacy.collection('groups').values()].find(
      (g) => (g['groupTypes'] as string[]).length === 0 && g['securityEnabled'] === true,
    )!;
    expect(legacy.remove('groups', String(security['id']))).toEqual({ soft: false });
    expect(legacy.deletedItems()).toEqual([]);
    expect(() => new TenantDirectory(42, spec, 0, clock, { devices: true } as never)).toThrow(
      /Unknown soft-delete type\(s\): devices/,
    );
  });

  it('restores a soft-deleted user with its group memberships, and purges after 30 days', () => {
    const group = groupOfKind(false);
    const member = sut.related('members', 'groups', String(group['id']))[0]!;
    sut.remove('users', member);
    expect(sut.related('members', 'groups', String(group['id']))).not.toContain(member);
    sut.restore(member);
    expect(sut.related('members', 'groups', String(group['id']))).toContain(member);
    sut.remove('users', member);
    clock.advance(SOFT_DELETE_RETENTION_MS + 1);
    expect(sut.deletedItem(member)).toBeUndefined();
    expect(sut.changes[sut.changes.length - 1]).toMatchObject({ id: member, kind: 'deleted' });
  });

  it('deletes an application together with its service principal, and restores only the application', () => {
    const app = sut.collection('applications').at(0)!;
    const sp = sut.servicePrincipalByAppId(String(app['appId']))!;
    sut.remove('applications', String(app['id']));
    expect(sut.collection('servicePrincipals').has(String(sp['id']))).toBe(false);
    sut.restore(String(app['id']));
    expect(sut.collection('applications').has(String(app['id']))).toBe(true);
    expect(sut.collection('servicePrincipals').has(String(sp['id']))).toBe(false);
  });

  it('deletes the role and app role assignments of a deleted principal, and does not bring them back on restore', () => {
    const withRole = [...sut.collection('roleAssignments').values()].find((a) =>
      sut.collection('users').has(String(a['principalId'])),
    )!;
    const userId = String(withRole['principalId']);
    const appAssignment = [...sut.collection('appRoleAssignments').values()].find((a) =>
      sut.collection('servicePrincipals').has(String(a['principalId'])),
    )!;
    const spId = String(appAssignment['principalId']);
    const of = (name: 'roleAssignments' | 'roleEligibilitySchedules' | 'appRoleAssignments', id: string) =>
      [...sut.collection(name).values()].filter((a) => a['principalId'] === id || a['resourceId'] === id);
    expect(of('roleAssignments', userId).length).toBeGreaterThan(0);

    sut.remove('users', userId);
    sut.remove('servicePrincipals', spId);

    expect(of('roleAssignments', userId)).toEqual([]);
    expect(of('roleEligibilitySchedules', userId)).toEqual([]);
    expect(of('appRoleAssignments', userId)).toEqual([]);
    expect(of('appRoleAssignments', spId)).toEqual([]);
    expect(sut.changes.filter((c) => c.id === String(withRole['id']))).toEqual([
      expect.objectContaining({ collection: 'roleAssignments', kind: 'deleted' }),
    ]);
    sut.restore(userId);
    expect(of('roleAssignments', userId)).toEqual([]);
  });

  it('refuses circular group nesting and duplicate members', () => {
    const parent = sut.collection('groups').at(1)!;
    const child = sut.collection('groups').at(2)!;
    sut.addRelated('members', 'groups', String(parent['id']), String(child['id']));
    expect(() => sut.addRelated('members', 'groups', String(child['id']), String(parent['id']))).toThrow(
      DirectoryError,
    );
    expect(() => sut.addRelated('members', 'groups', String(parent['id']), String(child['id']))).toThrow(
      /already exist/,
    );
  });

  it('refuses a manager that would create a cycle', () => {
    const top = String(sut.collection('users').at(0)!['id']);
    const report = String(sut.collection('users').at(9)!['id']);
    expect(() => sut.setManager(top, report)).toThrow(/circular/);
  });

  it('grants application permissions through admin consent on the Microsoft Graph service principal', () => {
    expect(sut.grantedAppRoles('aaaaaaaa-0000-4000-8000-000000000000')).toEqual([]);
    sut.applyAdminConsent({ appId: 'aaaaaaaa-0000-4000-8000-000000000000', displayName: 'Entra Backup' }, [
      'User.Read.All',
      'Group.Read.All',
      'Not.A.Permission',
    ]);
    sut.applyAdminConsent({ appId: 'aaaaaaaa-0000-4000-8000-000000000000', displayName: 'Entra Backup' }, [
      'User.Read.All',
    ]);
    expect(sut.grantedAppRoles('aaaaaaaa-0000-4000-8000-000000000000').sort()).toEqual([
      'Group.Read.All',
      'User.Read.All',
    ]);
    const sp = sut.servicePrincipalByAppId('aaaaaaaa-0000-4000-8000-000000000000')!;
    const assignments = [...sut.collection('appRoleAssignments').values()].filter(
      (a) => a['principalId'] === sp['id'],
    );
    expect(assignments.map((a) => a['appRoleId']).sort()).toEqual(
      [GRAPH_APP_ROLES[0]!.id, GRAPH_APP_ROLES[2]!.id].sort(),
    );
    expect(assignments[0]!['resourceId']).toBe(sut.servicePrincipalByAppId(MICROSOFT_GRAPH_APP_ID)!['id']);
  });

  it('lists Global Administrators first among sign-in users, with their role template ids', () => {
    const users = sut.listSignInUsers(15);
    expect(users).toHaveLength(15);
    expect(users[0]!.roleTemplateIds).toContain('62e90394-69f5-4237-9190-012177145e10');
    expect(users[1]!.roleTemplateIds).toContain('62e90394-69f5-4237-9190-012177145e10');
    expect(users.some((u) => u.roleTemplateIds.length === 0)).toBe(true);
  });

  it('finds users by id or userPrincipalName, including renamed ones', () => {
    const user = sut.collection('users').at(3)!;
    expect(sut.userByIdOrUpn(String(user['userPrincipalName']).toUpperCase())?.['id']).toBe(user['id']);
    sut.update('users', String(user['id']), { userPrincipalName: `renamed@${spec.domain}` });
    expect(sut.userByIdOrUpn(`renamed@${spec.domain}`)?.['id']).toBe(user['id']);
    expect(sut.userByIdOrUpn(String(user['userPrincipalName']))).toBeUndefined();
  });

  it('records membership removals in the groups of a deleted user, and re-adds them on restore', () => {
    const group = groupOfKind(false);
    const member = sut.related('members', 'groups', String(group['id']))[0]!;
    sut.remove('users', member);
    const removal = sut.changes.find((c) => c.collection === 'groups' && c.id === group['id']);
    expect(removal?.member).toEqual({
      relation: 'members',
      id: member,
      odataType: '#microsoft.graph.user',
      removed: true,
    });
    sut.restore(member);
    const readd = [...sut.changes].reverse().find((c) => c.collection === 'groups' && c.id === group['id']);
    expect(readd?.member?.removed).toBe(false);
  });

  it('refuses to restore a user whose userPrincipalName was taken meanwhile', () => {
    const user = sut.collection('users').at(40)!;
    sut.remove('users', String(user['id']));
    sut.create('users', { userPrincipalName: user['userPrincipalName'], displayName: 'Namesake' });
    expect(() => sut.restore(String(user['id']))).toThrow(/userPrincipalName already exists/);
    expect(sut.deletedItem(String(user['id']))).toBeDefined();
  });
});
