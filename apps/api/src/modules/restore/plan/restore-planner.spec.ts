import type { ObjectTypeKey } from '@entra-backup/common';
import type { NewActionRecord } from '../../../persistence/repositories/restore.repository';
import {
  type Comparison,
  type PlanSelection,
  RestorePlanner,
  type SnapshotSide,
  type StoredObject,
} from './restore-planner';
import { DESCRIPTORS } from '../../exporters/registry';
import { groupsDescriptor } from '../../exporters/descriptors/groups.descriptor';
import { usersDescriptor } from '../../exporters/descriptors/users.descriptor';

type Collections = Record<string, Record<string, StoredObject>>;

/** One side of the comparison, from `<type>/<collection>` → objects by id. */
function side(collections: Collections): SnapshotSide {
  const of = (type: ObjectTypeKey, collection: string) => collections[`${type}/${collection}`] ?? {};
  return {
    async *all(type, collection) {
      for (const [id, object] of Object.entries(of(type, collection)).sort(([a], [b]) => (a < b ? -1 : 1)))
        yield [id, object] as const;
    },
    ids(type, collection) {
      return Promise.resolve(new Set(Object.keys(of(type, collection))));
    },
    byIds(type, collection, ids) {
      const objects = of(type, collection);
      return Promise.resolve(
        new Map(ids.filter((id) => objects[id] !== undefined).map((id) => [id, objects[id]!] as const)),
      );
    },
  };
}

/** What differs between the sides, as the stored content hashes would tell it. */
function compare(source: Collections, live: Collections): Map<string, Comparison> {
  const out = new Map<string, Comparison>();
  for (const key of new Set([...Object.keys(source), ...Object.keys(live)])) {
    const a = source[key] ?? {};
    const b = live[key] ?? {};
    out.set(key, {
      onlyA: Object.keys(a).filter((id) => b[id] === undefined),
      onlyB: Object.keys(b).filter((id) => a[id] === undefined),
      changed: Object.keys(a).filter(
        (id) => b[id] !== undefined && JSON.stringify(a[id]) !== JSON.stringify(b[id]),
      ),
    });
  }
  return out;
}

const U1 = '11111111-1111-4111-8111-111111111111';
const U2 = '22222222-2222-4222-8222-222222222222';
const U3 = '33333333-3333-4333-8333-333333333333';
const G1 = 'aaaaaaaa-1111-4111-8111-111111111111';
const G2 = 'aaaaaaaa-2222-4222-8222-222222222222';
const P1 = 'cccccccc-1111-4111-8111-111111111111';
const P2 = 'cccccccc-2222-4222-8222-222222222222';
const R1 = 'dddddddd-1111-4111-8111-111111111111';
const GLOBAL_ADMIN = '62e90394-69f5-4237-9190-012177145e10';

const A1 = 'eeeeeeee-1111-4111-8111-111111111111';
const A2 = 'eeeeeeee-2222-4222-8222-222222222222';
const TL1 = 'ffffffff-1111-4111-8111-111111111111';
const TL2 = 'ffffffff-2222-4222-8222-222222222222';

function application(id: string): StoredObject {
  return { id, appId: id.replace(/^e/, 'b'), displayName: `App ${id.slice(9, 13)}`, owners: [] };
}

function lifetimePolicy(id: string, appliesTo: string[]): StoredObject {
  return {
    id,
    displayName: `Lifetime ${id.slice(9, 13)}`,
    definition: ['{"TokenLifetimePolicy":{"Version":1,"AccessTokenLifetime":"4:00:00"}}'],
    isOrganizationDefault: false,
    deletedDateTime: null,
    appliesTo: appliesTo.map((a) => ({ '@odata.type': '#microsoft.graph.application', id: a })),
  };
}

function user(id: string, overrides: Record<string, unknown> = {}): StoredObject {
  return {
    id,
    displayName: `User ${id.slice(0, 4)}`,
    userPrincipalName: `${id.slice(0, 4)}@contoso.com`,
    mailNickname: id.slice(0, 4),
    accountEnabled: true,
    jobTitle: 'Engineer',
    createdDateTime: '2025-01-01T00:00:00Z',
    assignedLicenses: [],
    onPremisesSyncEnabled: null,
    manager: null,
    ...overrides,
  };
}

function group(id: string, members: string[], overrides: Record<string, unknown> = {}): StoredObject {
  return {
    id,
    displayName: `Group ${id.slice(9, 13)}`,
    mailNickname: `g${id.slice(9, 13)}`,
    mailEnabled: false,
    securityEnabled: true,
    groupTypes: [],
    onPremisesSyncEnabled: null,
    members: members.map((m) => ({ '@odata.type': '#microsoft.graph.user', id: m })),
    owners: [],
    ...overrides,
  };
}

function policy(id: string, includeGroups: string[], state = 'enabled'): StoredObject {
  return {
    id,
    displayName: `Policy ${id.slice(9, 13)}`,
    state,
    createdDateTime: '2025-01-01T00:00:00Z',
    conditions: {
      users: { includeGroups, includeUsers: [] },
      applications: { includeApplications: ['All'] },
    },
    grantControls: { operator: 'OR', builtInControls: ['mfa'] },
  };
}

async function plan(options: {
  source: Collections;
  live: Collections;
  types: ObjectTypeKey[];
  bins?: Record<string, string[]>;
  /** The objects as they sit in the recycle bin (default: as in the snapshot). */
  deleted?: Record<string, StoredObject>;
  selection?: Partial<PlanSelection>;
  now?: Date;
}): Promise<{ actions: NewActionRecord[]; unrecoverable: Array<{ id: string; reason: string }> }> {
  const crossTenant = options.selection?.crossTenant === true;
  const sut = new RestorePlanner({
    selection: {
      types: options.types,
      relationships: true,
      removeNew: false,
      crossTenant,
      ...options.selection,
    },
    source: side(options.source),
    live: side(options.live),
    comparison: crossTenant ? null : compare(options.source, options.live),
    recycleBin: (type, collection) => {
      const ids = options.bins?.[`${type}/${collection}`] ?? [];
      const deleted = options.deleted ?? options.source[`${type}/${collection}`] ?? {};
      return Promise.resolve(new Map(ids.map((id) => [id, deleted[id] ?? { id }] as const)));
    },
    ...(options.now ? { now: options.now } : {}),
  });
  return sut.plan();
}

const summary = (a: NewActionRecord) =>
  [
    a.kind,
    a.collection,
    a.objectId,
    a.link ? `${a.link.relation}:${a.link.targetId}` : a.properties.join(','),
  ].join(' ');

describe(RestorePlanner.name, () => {
  it('brings a deleted user back from the recycle bin, and re-creates one that is gone for good with writable properties only', async () => {
    const result = await plan({
      types: ['users'],
      source: { 'users/users': { [U1]: user(U1), [U2]: user(U2) } },
      live: { 'users/users': {} },
      bins: { 'users/users': [U1] },
    });
    expect(result.actions.map(summary)).toEqual([
      `restoreDeleted users ${U1} `,
      `recreate users ${U2} accountEnabled,displayName,jobTitle,mailNickname,userPrincipalName`,
    ]);
    // The password and licences cannot come back: reported.
    expect(result.unrecoverable.map((u) => u.id)).toEqual([U2]);
  });

  it('writes back what changed before an object was deleted, after restoring it from the recycle bin', async () => {
    const result = await plan({
      types: ['users'],
      source: { 'users/users': { [U1]: user(U1) } },
      live: { 'users/users': {} },
      bins: { 'users/users': [U1] },
      deleted: {
        [U1]: user(U1, { jobTitle: 'Changed before deletion', deletedDateTime: '2026-12-01T00:00:00Z' }),
      },
    });
    expect(result.actions.map(summary)).toEqual([
      `restoreDeleted users ${U1} `,
      `update users ${U1} jobTitle`,
    ]);
  });

  it('updates exactly the writable properties that differ, ignoring server-owned ones', async () => {
    const result = await plan({
      types: ['users'],
      source: { 'users/users': { [U1]: user(U1) } },
      live: {
        'users/users': { [U1]: user(U1, { jobTitle: 'Changed', createdDateTime: '2026-01-01T00:00:00Z' }) },
      },
    });
    expect(result.actions.map(summary)).toEqual([`update users ${U1} jobTitle`]);
  });

  it('restores one property only when asked to', async () => {
    const result = await plan({
      types: ['users'],
      source: { 'users/users': { [U1]: user(U1, { jobTitle: 'Engineer', department: 'Sales' }) } },
      live: { 'users/users': { [U1]: user(U1, { jobTitle: 'Changed', department: 'Changed' }) } },
      selection: { ids: new Set([U1]), properties: ['department'] },
    });
    expect(result.actions.map(summary)).toEqual([`update users ${U1} department`]);
  });

  it('brings a group membership back to the snapshot: missing members added, newer ones removed', async () => {
    const result = await plan({
      types: ['users', 'groups'],
      source: {
        'users/users': { [U1]: user(U1), [U2]: user(U2), [U3]: user(U3) },
        'groups/groups': { [G1]: group(G1, [U1, U2]) },
      },
      live: {
        'users/users': { [U1]: user(U1), [U2]: user(U2), [U3]: user(U3) },
        'groups/groups': { [G1]: group(G1, [U1, U3]) },
      },
    });
    expect(result.actions.map(summary)).toEqual([
      `removeLink groups ${G1} members:${U3}`,
      `addLink groups ${G1} members:${U2}`,
    ]);
  });

  describe('authentication methods', () => {
    const MOBILE = '3179e48a-750b-4051-897c-87b9720928f7';
    const EMAIL = '3ddfcfc8-9383-446f-83cc-3ab9be4be18f';
    const KEY = '99999999-9999-4999-8999-999999999999';
    const phone = (userId: string, phoneNumber: string): StoredObject => ({
      '@odata.type': '#microsoft.graph.phoneAuthenticationMethod',
      id: `${userId}_${MOBILE}`,
      methodId: MOBILE,
      userId,
      phoneNumber,
      phoneType: 'mobile',
      smsSignInState: 'notAllowedByPolicy',
    });
    const email = (userId: string, emailAddress: string): StoredObject => ({
      '@odata.type': '#microsoft.graph.emailAuthenticationMethod',
      id: `${userId}_${EMAIL}`,
      methodId: EMAIL,
      userId,
      emailAddress,
    });
    const key = (userId: string): StoredObject => ({
      '@odata.type': '#microsoft.graph.fido2AuthenticationMethod',
      id: `${userId}_${KEY}`,
      methodId: KEY,
      userId,
      displayName: 'YubiKey',
      model: 'YubiKey 5 Series',
    });
    const methods = (...list: StoredObject[]) => Object.fromEntries(list.map((m) => [String(m['id']), m]));

    it('gives a re-created user its phone and email methods back and reports the ones only the user can register', async () => {
      const result = await plan({
        types: ['users'],
        source: {
          'users/users': { [U2]: user(U2) },
          'users/authenticationMethods': methods(
            phone(U2, '+1 2065550100'),
            email(U2, 'u2@example.com'),
            key(U2),
          ),
        },
        live: { 'users/users': {}, 'users/authenticationMethods': {} },
      });

      expect(result.actions.map(summary)).toEqual([
        `recreate users ${U2} accountEnabled,displayName,jobTitle,mailNickname,userPrincipalName`,
        `addLink authenticationMethods ${U2}_${MOBILE} authenticationMethods:${U2}`,
        `addLink authenticationMethods ${U2}_${EMAIL} authenticationMethods:${U2}`,
        `skip authenticationMethods ${U2}_${KEY} authenticationMethods`,
      ]);
      expect(result.actions.find((a) => a.kind === 'skip')?.reason).toBe(
        'authenticationMethods: FIDO2 security key methods are registered by the user, not by an administrator: the user must register it again',
      );
      expect(result.unrecoverable.map((u) => u.id)).toEqual([U2, `${U2}_${KEY}`]);
    });

    it('into another tenant, registers the methods of the users it creates, and reports those of users it cannot', async () => {
      const result = await plan({
        types: ['users'],
        source: {
          'users/users': { [U1]: user(U1), [U2]: user(U2, { onPremisesSyncEnabled: true }) },
          'users/authenticationMethods': methods(phone(U1, '+1 2065550100'), phone(U2, '+1 2065550101')),
        },
        live: {},
        selection: { crossTenant: true },
      });

      expect(result.actions.filter((a) => a.collection === 'authenticationMethods').map(summary)).toEqual([
        `addLink authenticationMethods ${U1}_${MOBILE} authenticationMethods:${U1}`,
        `skip authenticationMethods ${U2}_${MOBILE} authenticationMethods`,
      ]);
      expect(result.unrecoverable).toContainEqual(
        expect.objectContaining({
          id: `${U2}_${MOBILE}`,
          reason: `authenticationMethods: ${U2} is not in the target tenant and this restore does not create it`,
        }),
      );
    });

    it('puts back a changed phone number and a deleted email method, and leaves the security keys alone', async () => {
      const result = await plan({
        types: ['users'],
        source: {
          'users/users': { [U1]: user(U1) },
          'users/authenticationMethods': methods(
            phone(U1, '+1 2065550100'),
            email(U1, 'u1@example.com'),
            key(U1),
          ),
        },
        live: {
          'users/users': { [U1]: user(U1) },
          'users/authenticationMethods': methods(phone(U1, '+1 2065550199'), key(U1), key(U2)),
        },
      });

      expect(result.actions.map(summary)).toEqual([
        `removeLink authenticationMethods ${U1}_${MOBILE} authenticationMethods:${U1}`,
        `addLink authenticationMethods ${U1}_${MOBILE} authenticationMethods:${U1}`,
        `addLink authenticationMethods ${U1}_${EMAIL} authenticationMethods:${U1}`,
      ]);
      expect(result.unrecoverable).toEqual([]);
    });
  });

  describe('a collection needing write permissions beyond its type', () => {
    beforeEach(() => {
      const [groups] = groupsDescriptor.collections;
      jest.replaceProperty(DESCRIPTORS, 'groups', {
        ...groupsDescriptor,
        collections: [{ ...groups, permissions: { read: [], write: ['GroupExtra.ReadWrite.All'] } }],
      });
      // Users without their authentication methods, whose own extra permission is not the subject here.
      jest.replaceProperty(DESCRIPTORS, 'users', {
        ...usersDescriptor,
        collections: [usersDescriptor.collections[0]],
      });
    });
    afterEach(() => jest.restoreAllMocks());

    const membership = (grantedPermissions: string[]) =>
      plan({
        types: ['users', 'groups'],
        source: {
          'users/users': { [U1]: user(U1, { jobTitle: 'Snapshot' }), [U2]: user(U2) },
          'groups/groups': { [G1]: group(G1, [U1, U2]) },
        },
        live: {
          'users/users': { [U1]: user(U1), [U2]: user(U2) },
          'groups/groups': { [G1]: group(G1, [U1]) },
        },
        selection: { grantedPermissions },
      });

    it('is not written when the target lacks them: the plan says so, the rest is planned', async () => {
      const result = await membership(['User.ReadWrite.All', 'Group.ReadWrite.All']);

      expect(result.actions.map(summary)).toEqual([`update users ${U1} jobTitle`, 'skip groups * ']);
      const reason =
        "Not restored: the target's consent lacks GroupExtra.ReadWrite.All needed to write groups; grant admin consent again in Settings";
      expect(result.actions.find((a) => a.kind === 'skip')?.reason).toBe(reason);
      expect(result.unrecoverable).toEqual([{ type: 'groups', id: '*', displayName: null, reason }]);
    });

    it('is written when the target grants them', async () => {
      const result = await membership(['GroupExtra.ReadWrite.All']);

      expect(result.actions.map(summary)).toEqual([
        `update users ${U1} jobTitle`,
        `addLink groups ${G1} members:${U2}`,
      ]);
    });
  });

  it('never writes members of a dynamic group, and reports it', async () => {
    const dynamic = { groupTypes: ['DynamicMembership'], membershipRule: '(user.department -eq "Sales")' };
    const result = await plan({
      types: ['groups'],
      source: { 'groups/groups': { [G1]: group(G1, [U1, U2], dynamic) } },
      live: { 'groups/groups': { [G1]: group(G1, [U1], dynamic) } },
    });
    expect(result.actions.map((a) => [a.kind, a.reason])).toEqual([
      ['skip', 'members: Dynamic membership: members follow the membership rule'],
    ]);
    expect(result.unrecoverable.map((u) => u.id)).toEqual([G1]);
  });

  it('re-adds a re-created user to its groups even when the live read still lists the old id', async () => {
    const result = await plan({
      types: ['users', 'groups'],
      source: { 'users/users': { [U1]: user(U1) }, 'groups/groups': { [G1]: group(G1, [U1]) } },
      // Graph's delta does not report every link a deleted principal loses: the group looks unchanged.
      live: { 'users/users': {}, 'groups/groups': { [G1]: group(G1, [U1]) } },
    });
    expect(result.actions.map(summary)).toEqual([
      `recreate users ${U1} accountEnabled,displayName,jobTitle,mailNickname,userPrincipalName`,
      `addLink groups ${G1} members:${U1}`,
    ]);
  });

  it('links to an object of the same collection that is re-created later in the pass', async () => {
    // U1 sorts before its manager U3; G1 before its member group G2.
    const manager = { '@odata.type': '#microsoft.graph.user', id: U3 };
    const result = await plan({
      types: ['users', 'groups'],
      source: {
        'users/users': { [U1]: user(U1, { manager }), [U3]: user(U3) },
        'groups/groups': {
          [G1]: group(G1, [], { members: [{ '@odata.type': '#microsoft.graph.group', id: G2 }] }),
          [G2]: group(G2, []),
        },
      },
      live: {
        'users/users': { [U1]: user(U1) },
        'groups/groups': { [G1]: group(G1, []) },
      },
    });
    expect(result.actions.filter((a) => a.kind === 'addLink' || a.kind === 'skip').map(summary)).toEqual([
      `addLink users ${U1} manager:${U3}`,
      `addLink groups ${G1} members:${G2}`,
    ]);
  });

  it("adds a re-created user's memberships held by groups outside the selection", async () => {
    const result = await plan({
      types: ['users'],
      source: {
        'users/users': { [U1]: user(U1) },
        'groups/groups': { [G1]: group(G1, [U1, U2]), [G2]: group(G2, [U2]) },
      },
      live: { 'users/users': {}, 'groups/groups': { [G1]: group(G1, [U2]), [G2]: group(G2, [U2]) } },
    });
    expect(result.actions.map(summary)).toEqual([
      `recreate users ${U1} accountEnabled,displayName,jobTitle,mailNickname,userPrincipalName`,
      `addLink groups ${G1} members:${U1}`,
    ]);
  });

  it('writes a Conditional Access policy that names a re-created group disabled, and restores its state last', async () => {
    const result = await plan({
      types: ['groups', 'conditionalAccessPolicies'],
      source: {
        'groups/groups': { [G1]: group(G1, []) },
        'conditionalAccessPolicies/policies': { [P1]: policy(P1, [G1]), [P2]: policy(P2, [G1]) },
      },
      live: { 'groups/groups': {}, 'conditionalAccessPolicies/policies': { [P2]: policy(P2, [G1]) } },
    });
    const actions = result.actions.map((a) => [summary(a), a.detail]);
    expect(actions).toEqual([
      [`recreate groups ${G1} displayName,groupTypes,mailEnabled,mailNickname,securityEnabled`, null],
      [`recreate policies ${P1} conditions,displayName,grantControls,state`, { safeState: true }],
      // Unchanged, but it names the re-created group: rewritten with the new id.
      [`update policies ${P2} conditions`, null],
      [`update policies ${P1} state`, null],
    ]);
    expect(result.actions.at(-1)!.phase).toBeGreaterThan(result.actions[1]!.phase);
  });

  it('re-creates an authentication context before the policy that names it, which needs no safe state: the id stays', async () => {
    const c1 = { id: 'c1', displayName: 'Require trusted device', description: null, isAvailable: true };
    const named = {
      ...policy(P1, []),
      conditions: {
        users: { includeUsers: ['All'] },
        applications: { includeApplications: [], includeAuthenticationContextClassReferences: ['c1'] },
      },
    };
    const result = await plan({
      types: ['conditionalAccessPolicies'],
      source: {
        'conditionalAccessPolicies/authenticationContextClassReferences': { c1 },
        'conditionalAccessPolicies/policies': { [P1]: named },
      },
      live: {
        'conditionalAccessPolicies/authenticationContextClassReferences': {},
        'conditionalAccessPolicies/policies': {},
      },
    });
    expect(result.actions.map((a) => [summary(a), a.detail])).toEqual([
      ['recreate authenticationContextClassReferences c1 displayName,isAvailable', null],
      [`recreate policies ${P1} conditions,displayName,grantControls,state`, null],
    ]);
  });

  it('restores tenant-wide group settings and the lifecycle policy before groups; in another tenant updates its own', async () => {
    const UNIFIED = '62375ab9-6b52-47ed-826b-58e47e0e304b';
    const S1 = 'eeeeeeee-1111-4111-8111-111111111111';
    const S2 = 'eeeeeeee-2222-4222-8222-222222222222';
    const L1 = 'ffffffff-1111-4111-8111-111111111111';
    const L2 = 'ffffffff-2222-4222-8222-222222222222';
    const setting = (id: string, prefix: string) => ({
      id,
      displayName: 'Group.Unified',
      templateId: UNIFIED,
      values: [{ name: 'PrefixSuffixNamingRequirement', value: prefix }],
    });
    const lifecycle = (id: string, days: number) => ({
      id,
      groupLifetimeInDays: days,
      managedGroupTypes: 'Selected',
      alternateNotificationEmails: 'admin@contoso.com',
    });
    const source = {
      'groups/groups': { [G1]: group(G1, []) },
      'groups/groupSettings': { [S1]: setting(S1, 'GRP_[GroupName]') },
      'groups/groupLifecyclePolicies': { [L1]: lifecycle(L1, 180) },
    };
    const same = await plan({
      types: ['groups'],
      source,
      live: {
        'groups/groups': {},
        'groups/groupSettings': { [S1]: setting(S1, '') },
        'groups/groupLifecyclePolicies': {},
      },
    });
    expect(same.actions.map(summary)).toEqual([
      `recreate groupLifecyclePolicies ${L1} alternateNotificationEmails,groupLifetimeInDays,managedGroupTypes`,
      `update groupSettings ${S1} values`,
      `recreate groups ${G1} displayName,groupTypes,mailEnabled,mailNickname,securityEnabled`,
    ]);
    const other = await plan({
      types: ['groups'],
      source,
      live: {
        'groups/groupSettings': { [S2]: setting(S2, '') },
        'groups/groupLifecyclePolicies': { [L2]: lifecycle(L2, 365) },
      },
      selection: { crossTenant: true },
    });
    // Graph holds one setting per template and one lifecycle policy per tenant: the target's are updated.
    expect(other.actions.map(summary)).toEqual([
      `update groupLifecyclePolicies ${L1} groupLifetimeInDays`,
      `update groupSettings ${S1} values`,
      `recreate groups ${G1} displayName,groupTypes,mailEnabled,mailNickname,securityEnabled`,
    ]);
  });

  describe('PIM role policies', () => {
    const CUSTOM = 'dddddddd-9999-4999-8999-999999999999';
    const rule = (id: string, extra: Record<string, unknown> = {}) => ({
      '@odata.type': '#microsoft.graph.unifiedRoleManagementPolicyExpirationRule',
      id,
      isExpirationRequired: false,
      maximumDuration: 'P180D',
      ...extra,
    });
    const rolePolicy = (id: string, rules: Array<Record<string, unknown>>) => ({
      id,
      displayName: 'DirectoryRole',
      scopeId: '/',
      scopeType: 'DirectoryRole',
      lastModifiedDateTime: null,
      rules,
    });
    const tie = (policyId: string, roleDefinitionId: string) => ({
      [`${policyId}_${roleDefinitionId}`]: {
        id: `${policyId}_${roleDefinitionId}`,
        policyId,
        roleDefinitionId,
        scopeId: '/',
        scopeType: 'DirectoryRole',
      },
    });
    const globalAdmin = { id: GLOBAL_ADMIN, displayName: 'Global Administrator', isBuiltIn: true };
    const custom = {
      id: CUSTOM,
      displayName: 'Support',
      isBuiltIn: false,
      isEnabled: true,
      rolePermissions: [],
    };

    it('writes only the rules that differ, to the policy the role has in the target, found through its assignment', async () => {
      const result = await plan({
        types: ['builtInRoles'],
        source: {
          'builtInRoles/roleDefinitions': { [GLOBAL_ADMIN]: globalAdmin },
          'builtInRoles/roleManagementPolicyAssignments': tie('DirectoryRole_t_old', GLOBAL_ADMIN),
          'builtInRoles/roleManagementPolicies': {
            DirectoryRole_t_old: rolePolicy('DirectoryRole_t_old', [
              rule('Expiration_EndUser_Assignment', { maximumDuration: 'PT2H' }),
              rule('Expiration_Admin_Assignment'),
            ]),
          },
        },
        live: {
          'builtInRoles/roleDefinitions': { [GLOBAL_ADMIN]: globalAdmin },
          // Another id than the snapshot's (another tenant's, say): matched by the role, never by id.
          'builtInRoles/roleManagementPolicyAssignments': tie('DirectoryRole_t_live', GLOBAL_ADMIN),
          'builtInRoles/roleManagementPolicies': {
            DirectoryRole_t_live: rolePolicy('DirectoryRole_t_live', [
              rule('Expiration_EndUser_Assignment', { maximumDuration: 'PT8H' }),
              rule('Expiration_Admin_Assignment'),
            ]),
          },
        },
      });
      expect(result.actions.map(summary)).toEqual([
        'update roleManagementPolicies DirectoryRole_t_old rules',
      ]);
      expect(result.actions[0]).toMatchObject({
        phase: 55,
        displayName: 'Global Administrator',
        detail: {
          liveId: 'DirectoryRole_t_live',
          owner: GLOBAL_ADMIN,
          items: { rules: ['Expiration_EndUser_Assignment'] },
        },
      });
    });

    it('plans nothing for a policy whose rules are as in the snapshot', async () => {
      const same = {
        'builtInRoles/roleDefinitions': { [GLOBAL_ADMIN]: globalAdmin },
        'builtInRoles/roleManagementPolicyAssignments': tie('DirectoryRole_t_p', GLOBAL_ADMIN),
        'builtInRoles/roleManagementPolicies': {
          DirectoryRole_t_p: rolePolicy('DirectoryRole_t_p', [rule('Expiration_Admin_Assignment')]),
        },
      };
      const result = await plan({ types: ['builtInRoles'], source: same, live: same });
      expect(result.actions).toEqual([]);
    });

    it("writes every rule to a re-created custom role's new policy, found through the role when the action runs", async () => {
      const rules = [rule('Expiration_EndUser_Assignment'), rule('Expiration_Admin_Assignment')];
      const result = await plan({
        types: ['customRoles'],
        source: {
          'customRoles/roleDefinitions': { [CUSTOM]: custom },
          'customRoles/roleManagementPolicyAssignments': tie('DirectoryRole_t_c', CUSTOM),
          'customRoles/roleManagementPolicies': { DirectoryRole_t_c: rolePolicy('DirectoryRole_t_c', rules) },
        },
        live: {},
      });
      expect(result.actions.map(summary)).toEqual([
        `recreate roleDefinitions ${CUSTOM} displayName,isEnabled,rolePermissions`,
        'update roleManagementPolicies DirectoryRole_t_c rules',
      ]);
      expect(result.actions[1]!.detail).toEqual({
        owner: CUSTOM,
        items: { rules: ['Expiration_EndUser_Assignment', 'Expiration_Admin_Assignment'] },
      });
    });

    it('reports the policy of a role that is gone and not restored', async () => {
      const result = await plan({
        types: ['customRoles'],
        source: {
          'customRoles/roleManagementPolicyAssignments': tie('DirectoryRole_t_c', CUSTOM),
          'customRoles/roleManagementPolicies': {
            DirectoryRole_t_c: rolePolicy('DirectoryRole_t_c', [rule('Expiration_Admin_Assignment')]),
          },
        },
        live: {},
      });
      expect(result.actions.map((a) => `${a.kind} ${a.collection}`)).toEqual(['skip roleManagementPolicies']);
      expect(result.unrecoverable.map((u) => u.id)).toEqual(['DirectoryRole_t_c']);
    });
  });

  it('restores role assignments by what they connect: re-created principals are assigned again, newer assignments removed', async () => {
    const assignment = (id: string, principalId: string) => ({
      id,
      principalId,
      roleDefinitionId: GLOBAL_ADMIN,
      directoryScopeId: '/',
      appScopeId: null,
    });
    const definition = { id: GLOBAL_ADMIN, displayName: 'Global Administrator', isBuiltIn: true };
    const result = await plan({
      types: ['users', 'builtInRoles'],
      source: {
        'users/users': { [U1]: user(U1), [U2]: user(U2) },
        'builtInRoles/roleDefinitions': { [GLOBAL_ADMIN]: definition },
        'builtInRoles/roleAssignments': { [R1]: assignment(R1, U1) },
      },
      live: {
        'users/users': { [U2]: user(U2) },
        'builtInRoles/roleDefinitions': { [GLOBAL_ADMIN]: definition },
        'builtInRoles/roleAssignments': { r2: assignment('r2', U2) },
      },
    });
    expect(result.actions.map(summary)).toEqual([
      `recreate users ${U1} accountEnabled,displayName,jobTitle,mailNickname,userPrincipalName`,
      `removeLink roleAssignments r2 roleAssignments:${U2}`,
      `addLink roleAssignments ${R1} roleAssignments:${U1}`,
    ]);
  });

  it('restores a time-limited active role assignment through its schedule, and not one whose end has passed', async () => {
    const link = (principalId: string) => ({
      principalId,
      roleDefinitionId: GLOBAL_ADMIN,
      directoryScopeId: '/',
      appScopeId: null,
    });
    const schedule = (id: string, principalId: string, endDateTime: string | null) => ({
      id,
      ...link(principalId),
      scheduleInfo: {
        startDateTime: '2026-01-01T00:00:00Z',
        expiration: endDateTime
          ? { type: 'afterDateTime', endDateTime, duration: null }
          : { type: 'noExpiration', endDateTime: null, duration: null },
      },
    });
    const users = { [U1]: user(U1), [U2]: user(U2), [U3]: user(U3) };
    const definition = { id: GLOBAL_ADMIN, displayName: 'Global Administrator', isBuiltIn: true };
    const result = await plan({
      types: ['users', 'builtInRoles'],
      now: new Date('2026-06-01T00:00:00Z'),
      source: {
        'users/users': users,
        'builtInRoles/roleDefinitions': { [GLOBAL_ADMIN]: definition },
        'builtInRoles/roleAssignments': {
          a1: { id: 'a1', ...link(U1) },
          a2: { id: 'a2', ...link(U2) },
          a3: { id: 'a3', ...link(U3) },
        },
        'builtInRoles/roleAssignmentSchedules': {
          a1: schedule('a1', U1, null),
          s2: schedule('s2', U2, '2027-01-01T00:00:00Z'),
          s3: schedule('s3', U3, '2026-03-01T00:00:00Z'),
        },
      },
      live: {
        'users/users': users,
        'builtInRoles/roleDefinitions': { [GLOBAL_ADMIN]: definition },
      },
    });
    expect(result.actions.map(summary)).toEqual([
      `addLink roleAssignmentSchedules s2 roleAssignmentSchedules:${U2}`,
      `addLink roleAssignments a1 roleAssignments:${U1}`,
      'skip roleAssignmentSchedules s3 roleAssignmentSchedules',
    ]);
    expect(result.unrecoverable).toEqual([
      expect.objectContaining({
        id: 's3',
        reason: 'Active assignment ended at 2026-03-01T00:00:00.000Z: not restored',
      }),
    ]);
  });

  it('removes a live time-limited active assignment through a schedule request, not as a role assignment', async () => {
    const limited = {
      id: 's9',
      principalId: U1,
      roleDefinitionId: GLOBAL_ADMIN,
      directoryScopeId: '/',
      appScopeId: null,
      scheduleInfo: { expiration: { type: 'afterDateTime', endDateTime: '2027-01-01T00:00:00Z' } },
    };
    const definition = { id: GLOBAL_ADMIN, displayName: 'Global Administrator', isBuiltIn: true };
    const result = await plan({
      types: ['builtInRoles'],
      source: { 'builtInRoles/roleDefinitions': { [GLOBAL_ADMIN]: definition } },
      live: {
        'builtInRoles/roleDefinitions': { [GLOBAL_ADMIN]: definition },
        'builtInRoles/roleAssignments': {
          a9: { id: 'a9', principalId: U1, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: '/' },
        },
        'builtInRoles/roleAssignmentSchedules': { s9: limited },
      },
    });
    expect(result.actions.map(summary)).toEqual([
      `removeLink roleAssignmentSchedules s9 roleAssignmentSchedules:${U1}`,
    ]);
  });

  it("turns a live permanent assignment back into the snapshot's time-limited one: removed first, then assigned with its end", async () => {
    const link = { principalId: U1, roleDefinitionId: GLOBAL_ADMIN, directoryScopeId: '/', appScopeId: null };
    const definition = { id: GLOBAL_ADMIN, displayName: 'Global Administrator', isBuiltIn: true };
    const expiration = (endDateTime: string | null) => ({
      scheduleInfo: {
        expiration: endDateTime ? { type: 'afterDateTime', endDateTime } : { type: 'noExpiration' },
      },
    });
    const result = await plan({
      types: ['builtInRoles'],
      now: new Date('2026-06-01T00:00:00Z'),
      source: {
        'builtInRoles/roleDefinitions': { [GLOBAL_ADMIN]: definition },
        'builtInRoles/roleAssignments': { a1: { id: 'a1', ...link } },
        'builtInRoles/roleAssignmentSchedules': {
          a1: { id: 'a1', ...link, ...expiration('2027-01-01T00:00:00Z') },
        },
      },
      live: {
        'builtInRoles/roleDefinitions': { [GLOBAL_ADMIN]: definition },
        'builtInRoles/roleAssignments': { b1: { id: 'b1', ...link } },
        'builtInRoles/roleAssignmentSchedules': { b1: { id: 'b1', ...link, ...expiration(null) } },
      },
    });
    expect(result.actions.map(summary)).toEqual([
      `removeLink roleAssignments b1 roleAssignments:${U1}`,
      `addLink roleAssignmentSchedules a1 roleAssignmentSchedules:${U1}`,
    ]);
  });

  it('re-creates a service principal whose application is re-created, instead of restoring it with the old appId', async () => {
    const appId = 'eeeeeeee-1111-4111-8111-111111111111';
    const app = { id: 'ffffffff-1111-4111-8111-111111111111', appId, displayName: 'CRM', owners: [] };
    const sp = {
      id: 'ffffffff-2222-4222-8222-222222222222',
      appId,
      displayName: 'CRM',
      owners: [],
      appRoleAssignedTo: [],
    };
    const result = await plan({
      types: ['appRegistrations', 'enterpriseApps'],
      source: {
        'appRegistrations/applications': { [app.id]: app },
        'enterpriseApps/servicePrincipals': { [sp.id]: sp },
      },
      live: {},
      bins: { 'enterpriseApps/servicePrincipals': [sp.id] },
    });
    expect(result.actions.map((a) => `${a.kind} ${a.collection}`)).toEqual([
      'recreate applications',
      'recreate servicePrincipals',
    ]);
  });

  it("re-creates an application's federated credentials and extension definitions under it, and updates certificates only when their keys were kept", async () => {
    const A1 = 'ffffffff-1111-4111-8111-111111111111';
    const A2 = 'ffffffff-3333-4333-8333-333333333333';
    const credential = {
      id: 'ffffffff-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      name: 'github-main',
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'repo:contoso/app:ref:refs/heads/main',
      audiences: ['api://AzureADTokenExchange'],
    };
    const certificate = { keyId: 'k1', type: 'AsymmetricX509Cert', usage: 'Verify' };
    const app = (id: string, overrides: Record<string, unknown>) => ({
      id,
      appId: `${id.slice(0, 30)}999999`,
      displayName: `App ${id.slice(9, 13)}`,
      owners: [],
      federatedIdentityCredentials: [],
      extensionProperties: [],
      keyCredentials: [],
      ...overrides,
    });
    const extension = {
      id: 'ffffffff-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
      name: 'extension_ffffffff11114111811111111199999_costCenter',
      dataType: 'String',
      targetObjects: ['User'],
    };
    const gone = app(A1, {
      federatedIdentityCredentials: [credential],
      extensionProperties: [extension],
      keyCredentials: [{ ...certificate, key: 'TUlJQw==' }],
    });
    // Backed up before certificates' keys were read: its certificates cannot be written back.
    const legacy = app(A2, { keyCredentials: [{ ...certificate, key: null }], notes: 'Before' });
    const result = await plan({
      types: ['appRegistrations'],
      source: { 'appRegistrations/applications': { [A1]: gone, [A2]: legacy } },
      live: {
        'appRegistrations/applications': {
          [A2]: { ...legacy, keyCredentials: [{ ...certificate, key: 'TUlJQw==' }], notes: 'After' },
        },
      },
    });
    expect(result.actions.map(summary)).toEqual([
      `recreate applications ${A1} displayName,keyCredentials`,
      `update applications ${A2} notes`,
      `skip applications ${A2} keyCredentials`,
      `addLink applications ${credential.id} federatedIdentityCredentials:${A1}`,
      `addLink applications ${extension.id} extensionProperties:${A1}`,
    ]);
    expect(result.actions[3]!.detail).toEqual({ assignment: { ...credential, applicationObjectId: A1 } });
    expect(result.unrecoverable.map((u) => u.reason)).toContain(
      'keyCredentials: certificates backed up without their public key cannot be uploaded again',
    );
  });

  describe("a Microsoft 365 group's own settings", () => {
    const GUEST_TEMPLATE = '08d542b9-071f-4e16-94b0-74abb372e3d9';
    const setting = (id: string, groupId: string, allow: string) => ({
      id,
      displayName: 'Group.Unified.Guest',
      templateId: GUEST_TEMPLATE,
      values: [{ name: 'AllowToAddGuests', value: allow }],
      groupId,
    });
    const unified = (id: string) => ({
      id,
      displayName: `Team ${id.slice(9, 13)}`,
      groupTypes: ['Unified'],
      members: [],
      owners: [],
    });
    const S1 = '99999999-1111-4111-8111-111111111111';
    const S2 = '99999999-2222-4222-8222-222222222222';
    const S3 = '99999999-3333-4333-8333-333333333333';
    const spec = DESCRIPTORS.groups.collections.find((c) => c.name === 'settings')!.assignments!.assignment;

    it('writes changed values to the live setting of the same group and template, and removes one made since', async () => {
      const result = await plan({
        types: ['groups'],
        source: {
          'groups/groups': { [G1]: unified(G1), [G2]: unified(G2) },
          'groups/settings': { [S1]: setting(S1, G1, 'false') },
        },
        live: {
          'groups/groups': { [G1]: unified(G1), [G2]: unified(G2) },
          'groups/settings': { [S2]: setting(S2, G1, 'true'), [S3]: setting(S3, G2, 'true') },
        },
      });

      expect(result.actions.map(summary)).toEqual([
        `update settings ${S1} values`,
        `removeLink settings ${S3} settings:${G2}`,
      ]);
      expect(spec.update!(result.actions[0]!.detail!['live'] as StoredObject)).toBe(
        `/groups/${G1}/settings/${S2}`,
      );
      expect(spec.remove(result.actions[1]!.detail!['live'] as StoredObject)).toEqual({
        method: 'DELETE',
        path: `/groups/${G2}/settings/${S3}`,
      });
    });

    it('gives a re-created group its settings back under its new id', async () => {
      const result = await plan({
        types: ['groups'],
        source: {
          'groups/groups': { [G1]: unified(G1) },
          'groups/settings': { [S1]: setting(S1, G1, 'false') },
        },
        live: { 'groups/groups': {}, 'groups/settings': {} },
      });

      expect(result.actions.map(summary)).toEqual([
        `recreate groups ${G1} displayName,groupTypes`,
        `addLink settings ${S1} settings:${G1}`,
      ]);
      expect(spec.add(result.actions[1]!.detail!['assignment'] as StoredObject)).toEqual({
        method: 'POST',
        path: `/groups/${G1}/settings`,
        body: { templateId: GUEST_TEMPLATE, values: [{ name: 'AllowToAddGuests', value: 'false' }] },
      });
    });
  });

  describe('directory extension values', () => {
    const APP = 'ffffffff-1111-4111-8111-111111111111';
    const APP_ID = 'b0b0b0b0-1111-4111-8111-111111111111';
    const COST = 'extension_b0b0b0b0111141118111111111111111_costCenter';
    const PROJECT = 'extension_b0b0b0b0111141118111111111111111_projectCode';
    const definingApp = {
      id: APP,
      appId: APP_ID,
      displayName: 'HR',
      owners: [],
      extensionProperties: [
        {
          id: 'ffffffff-bbbb-4bbb-8bbb-bbbbbbbbbbbb',
          name: COST,
          dataType: 'String',
          targetObjects: ['User'],
        },
      ],
    };

    it('writes extension values after the applications get their extensions back, also for re-created objects', async () => {
      const result = await plan({
        types: ['users', 'groups', 'appRegistrations'],
        source: {
          'users/users': {
            [U1]: user(U1, { [COST]: 'CC-1' }),
            [U2]: user(U2, { [COST]: 'CC-2', jobTitle: 'Lead' }),
          },
          'groups/groups': { [G1]: group(G1, [], { [PROJECT]: 'PRJ-1' }) },
          'appRegistrations/applications': { [APP]: definingApp },
        },
        live: {
          // The application was deleted for good: its extension and every value went with it.
          'users/users': { [U2]: user(U2, { jobTitle: 'Changed' }) },
          'groups/groups': { [G1]: group(G1, []) },
        },
      });
      const order = result.actions.map((a) => `${a.phase} ${summary(a)}`);
      expect(order).toEqual([
        `20 recreate users ${U1} accountEnabled,displayName,jobTitle,mailNickname,userPrincipalName`,
        `20 update users ${U2} jobTitle`,
        `70 recreate applications ${APP} displayName`,
        `75 addLink applications ffffffff-bbbb-4bbb-8bbb-bbbbbbbbbbbb extensionProperties:${APP}`,
        `76 update groups ${G1} ${PROJECT}`,
        `76 update users ${U1} ${COST}`,
        `76 update users ${U2} ${COST}`,
      ]);
    });

    it('into another tenant writes only the values of extensions whose application it re-creates there', async () => {
      const OTHER = 'extension_d0d0d0d0333343338333333333333333_region';
      const source = {
        'users/users': { [U1]: user(U1, { [COST]: 'CC-1', [OTHER]: 'EU' }) },
        'appRegistrations/applications': { [APP]: definingApp },
      };
      const withApps = await plan({
        types: ['users', 'appRegistrations'],
        source,
        live: {},
        selection: { crossTenant: true },
      });
      expect(withApps.actions.filter((a) => a.phase === 76).map(summary)).toEqual([
        `update users ${U1} ${COST}`,
        `skip users ${U1} ${OTHER}`,
      ]);
      expect(withApps.unrecoverable.map((u) => u.reason)).toContainEqual(
        expect.stringContaining(`${OTHER}: defined by an application this restore does not re-create`),
      );

      const usersOnly = await plan({ types: ['users'], source, live: {}, selection: { crossTenant: true } });
      expect(usersOnly.actions.filter((a) => a.phase === 76).map(summary)).toEqual([
        `skip users ${U1} ${COST},${OTHER}`,
      ]);
    });

    it('leaves a value set after the snapshot alone, like any property the snapshot does not hold', async () => {
      const result = await plan({
        types: ['users'],
        source: { 'users/users': { [U1]: user(U1) } },
        live: { 'users/users': { [U1]: user(U1, { [COST]: 'CC-9' }) } },
      });
      expect(result.actions).toEqual([]);
    });
  });

  it('leaves delegated permission classifications out when the consent lacks their write permission, and restores the rest', async () => {
    const SP = 'cccccccc-9999-4999-8999-999999999999';
    const classification = (id: string, permissionId: string, value: string) => ({
      id,
      permissionId,
      permissionName: value,
      classification: 'low',
    });
    const sp = (classifications: unknown[], notes: string) => ({
      id: SP,
      appId: '00000003-0000-0000-c000-000000000000',
      displayName: 'Microsoft Graph',
      notes,
      owners: [],
      appRoleAssignedTo: [],
      delegatedPermissionClassifications: classifications,
    });
    const openid = classification('c-openid', '37f7f235-527c-4136-accd-4a02d197296e', 'openid');
    const email = classification('c-email', '64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0', 'email');
    const source = { 'enterpriseApps/servicePrincipals': { [SP]: sp([openid], 'Before') } };
    const live = { 'enterpriseApps/servicePrincipals': { [SP]: sp([email], 'After') } };
    const own = [
      'Application.ReadWrite.All',
      'AppRoleAssignment.ReadWrite.All',
      'DelegatedPermissionGrant.ReadWrite.All',
      'Policy.Read.All',
      'Policy.ReadWrite.ApplicationConfiguration',
    ];

    const granted = await plan({
      types: ['enterpriseApps'],
      source,
      live,
      selection: { grantedPermissions: [...own, 'Policy.ReadWrite.PermissionGrant'] },
    });
    expect(granted.actions.map(summary)).toEqual([
      `update servicePrincipals ${SP} notes`,
      `removeLink servicePrincipals c-email delegatedPermissionClassifications:${SP}`,
      `addLink servicePrincipals c-openid delegatedPermissionClassifications:${SP}`,
    ]);
    expect(granted.actions[2]!.detail).toEqual({ assignment: { ...openid, servicePrincipalId: SP } });

    const lacking = await plan({
      types: ['enterpriseApps'],
      source,
      live,
      selection: { grantedPermissions: own },
    });
    expect(lacking.actions.map(summary)).toEqual([
      `update servicePrincipals ${SP} notes`,
      `skip servicePrincipals * delegatedPermissionClassifications`,
    ]);
    expect(lacking.unrecoverable.map((u) => u.reason)).toEqual([
      "Not restored: the target's consent lacks Policy.ReadWrite.PermissionGrant needed to write delegated permission classifications; grant admin consent again in Settings",
    ]);
  });

  it('re-creates a deleted token lifetime policy before the applications and assigns it again once they exist', async () => {
    const result = await plan({
      types: ['appRegistrations'],
      source: {
        'appRegistrations/applications': { [A1]: application(A1), [A2]: application(A2) },
        'appRegistrations/tokenLifetimePolicies': { [TL1]: lifetimePolicy(TL1, [A1, A2]) },
      },
      live: {
        'appRegistrations/applications': { [A1]: application(A1), [A2]: application(A2) },
        'appRegistrations/tokenLifetimePolicies': {},
      },
    });
    expect(result.actions.map((a) => `${a.phase} ${summary(a)}`)).toEqual([
      `60 recreate tokenLifetimePolicies ${TL1} definition,displayName,isOrganizationDefault`,
      `86 addLink tokenLifetimePolicies ${TL1} appliesTo:${A1}`,
      `86 addLink tokenLifetimePolicies ${TL1} appliesTo:${A2}`,
    ]);
    expect(result.actions[1]!.link!.targetType).toBe('#microsoft.graph.application');
  });

  it('assigns a policy again to a re-created application, and moves an assignment back from a newer policy', async () => {
    const result = await plan({
      types: ['appRegistrations'],
      source: {
        'appRegistrations/applications': { [A1]: application(A1), [A2]: application(A2) },
        'appRegistrations/tokenLifetimePolicies': {
          [TL1]: lifetimePolicy(TL1, [A1, A2]),
          [TL2]: lifetimePolicy(TL2, []),
        },
      },
      live: {
        'appRegistrations/applications': { [A2]: application(A2) },
        'appRegistrations/tokenLifetimePolicies': {
          [TL1]: lifetimePolicy(TL1, []),
          [TL2]: lifetimePolicy(TL2, [A2]),
        },
      },
    });
    // One policy of a kind per application: the newer assignment is removed before the snapshot's is added.
    expect(result.actions.map((a) => `${a.phase} ${summary(a)}`)).toEqual([
      `70 recreate applications ${A1} displayName`,
      `86 removeLink tokenLifetimePolicies ${TL2} appliesTo:${A2}`,
      `86 addLink tokenLifetimePolicies ${TL1} appliesTo:${A1}`,
      `86 addLink tokenLifetimePolicies ${TL1} appliesTo:${A2}`,
    ]);
  });

  it('does not assign a policy to an application deleted for good and not restored, and reports it', async () => {
    const result = await plan({
      types: ['appRegistrations'],
      source: {
        'appRegistrations/applications': { [A1]: application(A1) },
        'appRegistrations/tokenLifetimePolicies': { [TL1]: lifetimePolicy(TL1, [A1]) },
      },
      live: {
        'appRegistrations/applications': { [A2]: application(A2) },
        'appRegistrations/tokenLifetimePolicies': { [TL1]: lifetimePolicy(TL1, []) },
      },
      selection: { ids: new Set([TL1]) },
    });
    expect(result.actions.map(summary)).toEqual([`skip tokenLifetimePolicies ${TL1} appliesTo:${A1}`]);
    expect(result.unrecoverable.map((u) => u.id)).toEqual([TL1]);
  });

  it('into another tenant re-creates everything selected and removes nothing', async () => {
    const result = await plan({
      types: ['users', 'groups'],
      source: { 'users/users': { [U1]: user(U1) }, 'groups/groups': { [G1]: group(G1, [U1]) } },
      live: { 'users/users': { [U2]: user(U2) }, 'groups/groups': { [G2]: group(G2, [U2]) } },
      selection: { crossTenant: true, removeNew: true },
    });
    expect(result.actions.map((a) => a.kind)).toEqual(['recreate', 'recreate', 'addLink']);
  });

  it('into another tenant uses a user that already has the mapped sign-in name, updated to the snapshot', async () => {
    const existing = user(U3, {
      displayName: user(U1)['displayName'],
      mailNickname: user(U1)['mailNickname'],
      userPrincipalName: `${U1.slice(0, 4)}@fabrikam.com`,
      jobTitle: 'Other',
    });
    const sut = new RestorePlanner({
      selection: {
        types: ['users', 'groups'],
        relationships: true,
        removeNew: false,
        crossTenant: true,
        mapDomains: (value) =>
          JSON.parse(JSON.stringify(value).replace(/@contoso\.com/g, '@fabrikam.com')) as unknown,
      },
      source: side({ 'users/users': { [U1]: user(U1) }, 'groups/groups': { [G1]: group(G1, [U1]) } }),
      live: side({ 'users/users': { [U3]: existing } }),
      comparison: null,
      recycleBin: () => Promise.resolve(new Map()),
    });
    const result = await sut.plan();
    expect(result.mappings).toEqual([{ kind: 'id', oldId: U1, newId: U3 }]);
    expect(result.actions.map(summary)).toEqual([
      `update users ${U1} jobTitle`,
      `recreate groups ${G1} displayName,groupTypes,mailEnabled,mailNickname,securityEnabled`,
      `addLink groups ${G1} members:${U1}`,
    ]);
  });

  it('removes objects created after the snapshot only when asked', async () => {
    const input = {
      types: ['users'] as ObjectTypeKey[],
      source: { 'users/users': { [U1]: user(U1) } },
      live: { 'users/users': { [U1]: user(U1), [U2]: user(U2) } },
    };
    expect((await plan(input)).actions).toEqual([]);
    expect((await plan({ ...input, selection: { removeNew: true } })).actions.map(summary)).toEqual([
      `remove users ${U2} `,
    ]);
  });

  it('with ids, removes only the named objects created after the snapshot', async () => {
    const input = {
      types: ['users'] as ObjectTypeKey[],
      source: { 'users/users': { [U1]: user(U1) } },
      live: { 'users/users': { [U1]: user(U1, { jobTitle: 'Changed' }), [U2]: user(U2), [U3]: user(U3) } },
    };
    const result = await plan({ ...input, selection: { removeNew: true, ids: new Set([U1, U3]) } });
    expect(result.actions.map(summary)).toEqual([`update users ${U1} jobTitle`, `remove users ${U3} `]);
  });

  it('reports logs and BitLocker keys as never written back', async () => {
    const result = await plan({ types: ['signInLogs', 'bitlockerKeys'], source: {}, live: {} });
    expect(result.actions.map((a) => [a.kind, a.typeKey, a.objectId])).toEqual([
      ['skip', 'bitlockerKeys', '*'],
      ['skip', 'signInLogs', '*'],
    ]);
  });

  it('never writes a user synchronised from on-premises, and reports it', async () => {
    const synced = { onPremisesSyncEnabled: true };
    const result = await plan({
      types: ['users'],
      source: { 'users/users': { [U1]: user(U1, synced) } },
      live: { 'users/users': {} },
    });
    expect(result.actions.map((a) => a.kind)).toEqual(['skip']);
    expect(result.unrecoverable[0]!.reason).toMatch(/on-premises/);
  });

  describe('tenant-wide policies', () => {
    const CA = 'conditionalAccessPolicies';
    const PARTNER_A = '5ac61c2d-93d7-4341-a4b9-4ea6320388cd';
    const PARTNER_B = 'b2a0f696-d4f0-42b0-bfca-b4f305e84c60';
    const authorization = (allowInvitesFrom: string): StoredObject => ({
      id: 'authorizationPolicy',
      displayName: 'Authorization Policy',
      allowInvitesFrom,
      defaultUserRolePermissions: { allowedToCreateApps: false },
    });
    const partner = (tenantId: string, isServiceProvider = false): StoredObject => ({
      id: tenantId,
      tenantId,
      isServiceProvider,
      isInMultiTenantOrganization: false,
      inboundTrust: { isMfaAccepted: true },
    });

    it('updates a changed singleton in place with what differs, never re-creating or removing it', async () => {
      const result = await plan({
        types: [CA],
        source: {
          [`${CA}/authorizationPolicy`]: { authorizationPolicy: authorization('everyone') },
          [`${CA}/identitySecurityDefaultsEnforcementPolicy`]: {
            '00000000-0000-0000-0000-000000000005': {
              id: '00000000-0000-0000-0000-000000000005',
              displayName: 'Security Defaults',
              isEnabled: true,
            },
          },
        },
        live: {
          [`${CA}/authorizationPolicy`]: { authorizationPolicy: authorization('none') },
          [`${CA}/identitySecurityDefaultsEnforcementPolicy`]: {
            '00000000-0000-0000-0000-000000000005': {
              id: '00000000-0000-0000-0000-000000000005',
              displayName: 'Security defaults (renamed by Microsoft)',
              isEnabled: false,
            },
          },
        },
        selection: { removeNew: true },
      });
      // The display name of security defaults is read-only: not written.
      expect(result.actions.map(summary)).toEqual([
        'update authorizationPolicy authorizationPolicy allowInvitesFrom',
        'update identitySecurityDefaultsEnforcementPolicy 00000000-0000-0000-0000-000000000005 isEnabled',
      ]);
      expect(result.actions.every((a) => a.phase === result.actions[0]!.phase)).toBe(true);
    });

    it('does not try to create a singleton the target lacks: reported as skipped', async () => {
      const result = await plan({
        types: [CA],
        source: { [`${CA}/authorizationPolicy`]: { authorizationPolicy: authorization('everyone') } },
        live: {},
      });
      expect(result.actions.map((a) => [a.kind, a.objectId, a.reason])).toEqual([
        [
          'skip',
          'authorizationPolicy',
          'A tenant-wide policy exists in every tenant: Microsoft Graph cannot create or delete it',
        ],
      ]);
    });

    it('re-creates a deleted partner configuration, updates a changed one and removes one added since, by tenant id', async () => {
      const result = await plan({
        types: [CA],
        source: {
          [`${CA}/crossTenantAccessPolicyPartners`]: {
            [PARTNER_A]: partner(PARTNER_A),
            [PARTNER_B]: partner(PARTNER_B),
          },
        },
        live: {
          [`${CA}/crossTenantAccessPolicyPartners`]: {
            [PARTNER_B]: partner(PARTNER_B, true),
            [G1]: partner(G1),
          },
        },
        selection: { removeNew: true },
      });
      expect(result.actions.map(summary)).toEqual([
        // `id` is the backup's own name for the partner, and the multitenant flag is Graph's.
        `recreate crossTenantAccessPolicyPartners ${PARTNER_A} inboundTrust,isServiceProvider,tenantId`,
        `update crossTenantAccessPolicyPartners ${PARTNER_B} isServiceProvider`,
        `remove crossTenantAccessPolicyPartners ${G1} `,
      ]);
    });

    it('re-creates a deleted custom permission grant policy with its condition sets; built-in ones and changed condition sets are reported', async () => {
      const grant = (id: string, classification: string): StoredObject => ({
        id,
        displayName: `Policy ${id}`,
        description: null,
        includes: [{ id: `${id}-set`, permissionClassification: classification }],
        excludes: [],
      });
      const result = await plan({
        types: [CA],
        source: {
          [`${CA}/permissionGrantPolicies`]: {
            'custom-a': grant('custom-a', 'low'),
            'custom-b': grant('custom-b', 'low'),
            'microsoft-user-default-low': grant('microsoft-user-default-low', 'low'),
          },
        },
        live: {
          [`${CA}/permissionGrantPolicies`]: {
            'custom-b': grant('custom-b', 'medium'),
            'microsoft-user-default-low': {
              ...grant('microsoft-user-default-low', 'low'),
              description: 'New',
            },
          },
        },
      });
      expect(result.actions.map((a) => [summary(a), a.reason])).toEqual([
        ['recreate permissionGrantPolicies custom-a displayName,excludes,includes', null],
        [
          'skip permissionGrantPolicies custom-b includes',
          'includes can only be set when the object is created',
        ],
        [
          'skip permissionGrantPolicies microsoft-user-default-low ',
          'Built-in permission grant policies cannot be changed',
        ],
      ]);
    });

    it('into another tenant, brings the same singleton there to the snapshot state', async () => {
      const result = await plan({
        types: [CA],
        source: { [`${CA}/authorizationPolicy`]: { authorizationPolicy: authorization('everyone') } },
        live: { [`${CA}/authorizationPolicy`]: { authorizationPolicy: authorization('none') } },
        selection: { crossTenant: true },
      });
      expect(result.actions.map(summary)).toEqual([
        'update authorizationPolicy authorizationPolicy allowInvitesFrom',
      ]);
    });

    it('leaves a policy out when the target lacks its write permission, naming it', async () => {
      const result = await plan({
        types: [CA],
        source: { [`${CA}/authorizationPolicy`]: { authorizationPolicy: authorization('everyone') } },
        live: { [`${CA}/authorizationPolicy`]: { authorizationPolicy: authorization('none') } },
        selection: {
          grantedPermissions: [
            ...DESCRIPTORS[CA].permissions.write,
            'Policy.ReadWrite.SecurityDefaults',
            'Policy.ReadWrite.AuthenticationMethod',
            'Policy.ReadWrite.CrossTenantAccess',
            'Policy.ReadWrite.ConsentRequest',
            'Policy.ReadWrite.PermissionGrant',
          ],
        },
      });
      expect(result.actions.map((a) => a.kind)).toEqual(['skip']);
      expect(result.actions[0]!.collection).toBe('authorizationPolicy');
      expect(result.actions[0]!.reason).toMatch(/Policy\.ReadWrite\.Authorization/);
    });
  });
});
