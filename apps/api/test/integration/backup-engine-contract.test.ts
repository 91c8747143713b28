import { join } from 'node:path';
import { OBJECT_TYPE_KEYS, type BackupRunSummary, type ObjectTypeKey } from '@entra-backup/common';
import { BackupService } from '../../src/modules/backup';
import { DataSource } from 'typeorm';
import {
  BackupLeaseService,
  BackupReaderService,
  BackupWriterService,
  KeyProvider,
} from '../../src/modules/backup-storage';
import { BackupSnapshotRepository } from '../../src/persistence/repositories/backup-snapshot.repository';
import { DESCRIPTORS } from '../../src/modules/exporters';
import { normalizeAuthenticationMethod } from '../../src/modules/exporters/descriptors/user-authentication.shared';
import {
  type BackupEngineHarness,
  CONTRACT_APP,
  startBackupEngineHarness,
} from '../support/backup-engine-harness';
import { SecretScanner, unsealedValues } from '../support/secret-scan';

/** Small pages, so every collection with more objects than this is read across several pages. */
const PAGE = 25;

interface TruthSource {
  readonly name: string;
  /** Keeps the truth objects the collection covers; `truth` reads other truth collections. */
  readonly filter?: (
    object: Record<string, unknown>,
    truth: (name: string) => Promise<Array<Record<string, unknown>>>,
  ) => Promise<boolean>;
  /** Properties the descriptor deliberately does not back up (see its documentation). */
  readonly omit?: readonly string[];
  /** The stored shape of a truth object, where the backup keeps a relationship as an object of its own. */
  readonly as?: (object: Record<string, unknown>) => Record<string, unknown>;
}

const builtIn =
  (flag: boolean): TruthSource['filter'] =>
  (o) =>
    Promise.resolve(o['isBuiltIn'] === flag);
const ofRoles =
  (flag: boolean): TruthSource['filter'] =>
  async (o, truth) =>
    (await truth('roleDefinitions')).some(
      (d) => d['isBuiltIn'] === flag && d['id'] === o['roleDefinitionId'],
    );
/** A role's PIM policy, through the policy assignment naming both. */
const policiesOfRoles =
  (flag: boolean): TruthSource['filter'] =>
  async (o, truth) => {
    const tie = (await truth('roleManagementPolicyAssignments')).find((a) => a['policyId'] === o['id']);
    return tie !== undefined && (await ofRoles(flag)!(tie, truth));
  };

/** Where the emulator's ground truth of each type's collections lives. */
const TRUTH: Record<ObjectTypeKey, Record<string, TruthSource>> = {
  users: {
    users: {
      name: 'users',
      // Needs User-LifeCycleInfo.Read.All, and the beta-only properties a v1.0 backup cannot select.
      omit: [
        'employeeLeaveDateTime',
        'cloudRealtimeCommunicationInfo',
        'deviceKeys',
        'infoCatalogs',
        'isLicenseReconciliationNeeded',
        'isManagementRestricted',
        'onPremisesSipInfo',
        'refreshTokensValidFromDateTime',
      ],
    },
    authenticationMethods: { name: 'authenticationMethods', as: normalizeAuthenticationMethod },
  },
  groups: {
    groups: { name: 'groups' },
    settings: { name: 'groupSpecificSettings' },
    groupSettings: { name: 'groupSettings' },
    groupLifecyclePolicies: { name: 'groupLifecyclePolicies' },
    lifecyclePolicyGroups: {
      name: 'lifecyclePolicyGroups',
      as: (o) => ({
        id: `${String(o['groupId'])}_${String(o['policyId'])}`,
        policyId: o['policyId'],
        groupId: o['groupId'],
        managedGroupTypes: 'Selected',
      }),
    },
  },
  builtInRoles: {
    roleDefinitions: { name: 'roleDefinitions', filter: builtIn(true) },
    roleAssignments: { name: 'roleAssignments', filter: ofRoles(true) },
    roleAssignmentSchedules: { name: 'roleAssignmentSchedules', filter: ofRoles(true) },
    roleEligibilitySchedules: { name: 'roleEligibilitySchedules', filter: ofRoles(true) },
    roleManagementPolicyAssignments: {
      name: 'roleManagementPolicyAssignments',
      filter: ofRoles(true),
    },
    roleManagementPolicies: { name: 'roleManagementPolicies', filter: policiesOfRoles(true) },
  },
  customRoles: {
    roleDefinitions: { name: 'roleDefinitions', filter: builtIn(false) },
    roleAssignments: { name: 'roleAssignments', filter: ofRoles(false) },
    roleAssignmentSchedules: { name: 'roleAssignmentSchedules', filter: ofRoles(false) },
    roleEligibilitySchedules: { name: 'roleEligibilitySchedules', filter: ofRoles(false) },
    roleManagementPolicyAssignments: {
      name: 'roleManagementPolicyAssignments',
      filter: ofRoles(false),
    },
    roleManagementPolicies: { name: 'roleManagementPolicies', filter: policiesOfRoles(false) },
  },
  appRegistrations: {
    applications: { name: 'applications' },
    tokenLifetimePolicies: { name: 'tokenLifetimePolicies' },
    tokenIssuancePolicies: { name: 'tokenIssuancePolicies' },
    appManagementPolicies: { name: 'appManagementPolicies' },
    defaultAppManagementPolicy: { name: 'defaultAppManagementPolicy' },
  },
  enterpriseApps: {
    servicePrincipals: { name: 'servicePrincipals' },
    oauth2PermissionGrants: { name: 'oauth2PermissionGrants' },
    claimsMappingPolicies: { name: 'claimsMappingPolicies' },
    homeRealmDiscoveryPolicies: { name: 'homeRealmDiscoveryPolicies' },
  },
  conditionalAccessPolicies: {
    policies: { name: 'conditionalAccessPolicies' },
    namedLocations: { name: 'namedLocations' },
    authenticationStrengthPolicies: { name: 'authenticationStrengthPolicies' },
    authenticationContextClassReferences: { name: 'authenticationContextClassReferences' },
    authorizationPolicy: { name: 'authorizationPolicy' },
    identitySecurityDefaultsEnforcementPolicy: { name: 'identitySecurityDefaultsEnforcementPolicy' },
    authenticationMethodsPolicy: { name: 'authenticationMethodsPolicy' },
    crossTenantAccessPolicy: { name: 'crossTenantAccessPolicy' },
    crossTenantAccessPolicyDefault: { name: 'crossTenantAccessPolicyDefault' },
    crossTenantAccessPolicyPartners: { name: 'crossTenantAccessPolicyPartners' },
    adminConsentRequestPolicy: { name: 'adminConsentRequestPolicy' },
    permissionGrantPolicies: { name: 'permissionGrantPolicies' },
  },
  devices: { devices: { name: 'devices' } },
  deviceConfigurations: {
    deviceConfigurations: { name: 'deviceConfigurations' },
    configurationPolicies: { name: 'configurationPolicies' },
  },
  deviceCompliancePolicies: { deviceCompliancePolicies: { name: 'deviceCompliancePolicies' } },
  adminUnits: { administrativeUnits: { name: 'administrativeUnits' } },
  signInLogs: { signIns: { name: 'signIns' } },
  auditLogs: { directoryAudits: { name: 'directoryAudits' } },
  bitlockerKeys: { recoveryKeys: { name: 'bitlockerRecoveryKeys' } },
};

const LOG_TYPES: readonly ObjectTypeKey[] = ['signInLogs', 'auditLogs'];

type Truth = (name: string) => Promise<Array<Record<string, unknown>>>;

type Ref = { id: string };
const ids = (list: unknown): string[] => ((list as Ref[] | undefined) ?? []).map((r) => r.id);

/**
 * Every relationship a principal can hold in the backup, by principal id: group member and owner,
 * administrative-unit member and scoped role, app and service principal owner, app role assignee,
 * directory role assignment and eligibility, manager.
 */
async function relationshipsByPrincipal(truth: Truth): Promise<Map<string, Set<string>>> {
  const held = new Map<string, Set<string>>();
  const note = (id: unknown, relation: string) => {
    if (typeof id !== 'string') return;
    let set = held.get(id);
    if (!set) held.set(id, (set = new Set()));
    set.add(relation);
  };
  for (const g of await truth('groups')) {
    for (const id of ids(g['members'])) note(id, 'group member');
    for (const id of ids(g['owners'])) note(id, 'group owner');
  }
  for (const u of await truth('administrativeUnits')) {
    for (const id of ids(u['members'])) note(id, 'unit member');
    for (const m of (u['scopedRoleMembers'] as Array<{ roleMemberInfo: Ref }>) ?? [])
      note(m.roleMemberInfo.id, 'unit scoped role');
  }
  for (const a of await truth('applications')) for (const id of ids(a['owners'])) note(id, 'app owner');
  for (const sp of await truth('servicePrincipals')) {
    for (const id of ids(sp['owners'])) note(id, 'service principal owner');
    for (const a of (sp['appRoleAssignedTo'] as Array<{ principalId: string }>) ?? [])
      note(a.principalId, 'app role assignee');
  }
  for (const r of await truth('roleAssignments')) note(r['principalId'], 'role assignment');
  for (const r of await truth('roleEligibilitySchedules')) note(r['principalId'], 'role eligibility');
  for (const u of await truth('users')) note((u['manager'] as Ref | null)?.id, 'manager');
  return held;
}

/**
 * Picks principals of one kind that together hold every relationship such principals hold
 * (greedy: the one covering most relationships not covered yet first).
 */
function covering(
  candidates: readonly string[],
  held: ReadonlyMap<string, ReadonlySet<string>>,
  avoid: ReadonlySet<string>,
): { picked: string[]; covers: string[] } {
  const pool = candidates.filter((id) => !avoid.has(id) && held.has(id));
  const covered = new Set<string>();
  const picked: string[] = [];
  for (;;) {
    let best: string | undefined;
    let gain = 0;
    for (const id of pool) {
      if (picked.includes(id)) continue;
      const adds = [...held.get(id)!].filter((r) => !covered.has(r)).length;
      if (adds > gain) [best, gain] = [id, adds];
    }
    if (best === undefined) return { picked, covers: [...covered].sort() };
    picked.push(best);
    for (const r of held.get(best)!) covered.add(r);
  }
}

/** Arrays of objects with ids compare as sets (Graph does not promise an order for relationships). */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    const items = value.map(canonical);
    if (
      items.every(
        (i) => typeof i === 'object' && i !== null && typeof (i as { id?: unknown }).id === 'string',
      )
    ) {
      return [...items].sort((a, b) =>
        String((a as { id: string }).id).localeCompare(String((b as { id: string }).id)),
      );
    }
    return items;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** Every mismatch between what a snapshot holds and the tenant's truth, as readable lines. */
function mismatches(
  collection: string,
  stored: Map<string, Record<string, unknown>>,
  truth: Array<Record<string, unknown>>,
): string[] {
  const problems: string[] = [];
  const truthIds = new Set(truth.map((t) => String(t['id'])));
  for (const id of stored.keys())
    if (!truthIds.has(id)) problems.push(`${collection}/${id}: stored but not in the tenant`);
  for (const object of truth) {
    const id = String(object['id']);
    const mine = stored.get(id);
    if (!mine) {
      problems.push(`${collection}/${id}: missing`);
      continue;
    }
    for (const [property, value] of Object.entries(object)) {
      if (JSON.stringify(canonical(mine[property])) !== JSON.stringify(canonical(value))) {
        problems.push(
          `${collection}/${id}.${property}: stored ${JSON.stringify(mine[property])?.slice(0, 200)} but the tenant has ${JSON.stringify(value)?.slice(0, 200)}`,
        );
      }
    }
  }
  return problems;
}

describe('backup engine contract against the Graph emulator', () => {
  jest.setTimeout(180_000);
  let h: BackupEngineHarness;
  let premium: string;
  let free: string;

  beforeAll(async () => {
    h = await startBackupEngineHarness({ usersPerTenant: 120, pageSizeLimit: PAGE });
    [premium, free] = h.tenants as [string, string];
    h.consent(premium, CONTRACT_APP.requiredAppRoles);
  });

  afterAll(async () => {
    await h?.close();
  });

  const backup = (
    tenantId: string,
    options: { full?: boolean; types?: ObjectTypeKey[] } = {},
  ): Promise<BackupRunSummary> =>
    h.app.get(BackupService).runBackup(tenantId, {
      types: options.types ?? [...OBJECT_TYPE_KEYS],
      ...(options.full ? { full: true } : {}),
      trigger: 'cli',
      actor: 'cli:contract',
    });

  /** The tenant's truth as of now, read once per collection (a frozen view of the tenant). */
  const truthNow = (tenantId: string): Truth => {
    const cache = new Map<string, Promise<Array<Record<string, unknown>>>>();
    return (name: string) => {
      let found = cache.get(name);
      if (!found) cache.set(name, (found = h.truth(tenantId, name)));
      return found;
    };
  };

  /** Reads every collection of the truth now, for a comparison after the tenant changes again. */
  const freezeTruth = async (tenantId: string): Promise<Truth> => {
    const truth = truthNow(tenantId);
    const names = new Set(Object.values(TRUTH).flatMap((c) => Object.values(c).map((t) => t.name)));
    await Promise.all([...names].map((name) => truth(name)));
    return truth;
  };

  async function expectSnapshotMatchesTruth(
    tenantId: string,
    snapshotId: string,
    type: ObjectTypeKey,
    truthOf: Truth = truthNow(tenantId),
  ): Promise<void> {
    const problems: string[] = [];
    for (const spec of DESCRIPTORS[type].collections) {
      const source = TRUTH[type][spec.name]!;
      const all = await truthOf(source.name);
      const truth: Array<Record<string, unknown>> = [];
      for (const o of all) {
        if (source.filter && !(await source.filter(o, truthOf))) continue;
        const kept = source.omit
          ? Object.fromEntries(Object.entries(o).filter(([k]) => !source.omit!.includes(k)))
          : o;
        truth.push(source.as ? source.as(kept) : kept);
      }
      const stored = await h.stored(tenantId, snapshotId, type, spec.name);
      if (LOG_TYPES.includes(type)) {
        // Logs are append-only: the snapshot holds every entry the tenant had when it was taken.
        // Entries written during the run (the KeyManagement audits of BitLocker key reads) may
        // follow it; nothing stored may be unknown to the tenant.
        const time = spec.log!.timeProperty;
        const newest = Math.max(...[...stored.values()].map((e) => Date.parse(String(e[time]))));
        const truthIds = new Set(truth.map((t) => String(t['id'])));
        for (const id of stored.keys())
          if (!truthIds.has(id)) problems.push(`${spec.name}/${id}: stored but not in the tenant`);
        for (const entry of truth) {
          const mine = stored.get(String(entry['id']));
          if (mine === undefined) {
            const later = Date.parse(String(entry[time])) > newest;
            if (!later && entry['category'] !== 'KeyManagement')
              problems.push(`${spec.name}/${String(entry['id'])}: missing`);
          } else if (JSON.stringify(canonical(mine)) !== JSON.stringify(canonical(entry))) {
            problems.push(`${spec.name}/${String(entry['id'])}: differs`);
          }
        }
      } else {
        // Delegated grants are one tenant-wide collection of the type, not embedded per service principal.
        const expected: Array<Record<string, unknown>> = [];
        for (const object of truth) {
          if (spec.name !== 'servicePrincipals') {
            expected.push(object);
            continue;
          }
          const { oauth2PermissionGrants: _grants, ...rest } = object;
          expected.push(rest);
        }
        problems.push(...mismatches(spec.name, stored, expected));
      }
    }
    expect(problems).toEqual([]);
  }

  describe('a full backup', () => {
    let summary: BackupRunSummary;

    beforeAll(async () => {
      summary = await backup(premium, { full: true });
    });

    it('completes with every type succeeded', () => {
      expect(summary.status).toBe('completed');
      expect(summary.mode).toBe('full');
      expect(Object.fromEntries(Object.entries(summary.types).map(([k, v]) => [k, v!.status]))).toEqual(
        Object.fromEntries(OBJECT_TYPE_KEYS.map((k) => [k, 'succeeded'])),
      );
      expect(summary.requests).toBeGreaterThanOrEqual(summary.minimumRequests!);
    });

    it.each(OBJECT_TYPE_KEYS.map((k) => [k]))(
      'stores exactly the tenant state of %s, relationships embedded',
      async (type) => {
        await expectSnapshotMatchesTruth(premium, summary.snapshotId!, type);
      },
    );

    it('reads collections and child lists larger than a page across several pages', async () => {
      const groups = await h.stored(premium, summary.snapshotId!, 'groups', 'groups');
      expect(
        Math.max(...[...groups.values()].map((g) => (g['members'] as unknown[]).length)),
      ).toBeGreaterThan(PAGE);
      const users = await h.truth(premium, 'users');
      expect(users.length).toBeGreaterThan(3 * PAGE);
      expect(summary.counts.users).toBe(users.length);
      expect(summary.types.users!.requests).toBeGreaterThanOrEqual(Math.ceil(users.length / PAGE));
    });

    it('reads each BitLocker key once and keeps the keys only encrypted on disk', async () => {
      const keys = await h.truth(premium, 'bitlockerRecoveryKeys');
      expect(summary.types.bitlockerKeys!.bitlockerKeyReads).toBe(keys.length);
      const scanner = new SecretScanner([
        ...keys.map((key) => ({ label: `key ${String(key['id'])}`, value: String(key['key']) })),
        { label: 'client secret', value: CONTRACT_APP.clientSecret! },
      ]);
      // Payloads are compressed before they are sealed, so raw bytes prove nothing alone: the
      // scanner also searches every database value decoded and decompressed, and checks the
      // sealed format's header (apps/api/test/integration/secret-scan.test.ts proves it fails
      // for a no-op cipher).
      expect(await scanner.scanDirectory(join(h.dataDir, 'data'))).toEqual([]);
      const database = h.app.get(DataSource);
      expect(await scanner.scanDatabase(database)).toEqual([]);
      expect(await unsealedValues(database, h.app.get(KeyProvider).currentKey().id)).toEqual([]);
    });
  });

  describe('after a sequence of tenant changes', () => {
    let before: BackupRunSummary;
    let incremental: BackupRunSummary;
    let restored: BackupRunSummary;
    let full: BackupRunSummary;
    let changedUser: Record<string, unknown>;
    /** The tenant as the incremental run saw it (the restores change it afterwards). */
    let truthAtIncremental: Truth;
    /** Relationships the deleted principals held, by kind of principal and deletion. */
    const covered: Record<string, string[]> = {};
    const deleted = { soft: [] as string[], hard: [] as string[] };
    let deletedUsers = 0;
    const keyReadAudits = async () =>
      (await h.truth(premium, 'directoryAudits')).filter(
        (a) => a['activityDisplayName'] === 'Read BitLocker key',
      ).length;
    let auditsBefore: number;

    beforeAll(async () => {
      before = await backup(premium);
      auditsBefore = await keyReadAudits();
      const users = await h.truth(premium, 'users');
      const groups = await h.truth(premium, 'groups');
      const apps = await h.truth(premium, 'applications');
      const devices = await h.truth(premium, 'devices');
      const policies = await h.truth(premium, 'conditionalAccessPolicies');
      const units = await h.truth(premium, 'administrativeUnits');
      const servicePrincipals = await h.truth(premium, 'servicePrincipals');
      changedUser = users[3]!;
      const staticGroup = groups.find((g) => !(g['groupTypes'] as string[]).includes('DynamicMembership'))!;
      const member = (staticGroup['members'] as Array<{ id: string }>)[0]!;
      const outsider = users.find(
        (u) => !(staticGroup['members'] as Array<{ id: string }>).some((m) => m.id === u['id']),
      )!;

      // Principals to delete: users, groups and service principals that own, belong to and are
      // assigned things across every type, each relationship held by a soft- and a hard-deleted one.
      const held = await relationshipsByPrincipal(truthNow(premium));
      const contractSp = servicePrincipals.find((sp) => sp['appId'] === CONTRACT_APP.clientId)!;
      const avoid = new Set<string>([
        ...[3, 5, 6].map((i) => String(users[i]!['id'])),
        member.id,
        String(outsider['id']),
        String(staticGroup['id']),
        String(contractSp['id']),
        // The resources the product's own app holds permissions on (Microsoft Graph) stay.
        ...((contractSp['appRoleAssignments'] as Array<{ resourceId: string }>) ?? []).map(
          (a) => a.resourceId,
        ),
        // Deleting apps[0] below deletes its service principal too.
        ...servicePrincipals.filter((sp) => sp['appId'] === apps[0]!['appId']).map((sp) => String(sp['id'])),
      ]);
      const kinds = {
        users: users.map((u) => String(u['id'])),
        groups: groups.map((g) => String(g['id'])),
        servicePrincipals: servicePrincipals.map((sp) => String(sp['id'])),
      };
      for (const [collection, candidates] of Object.entries(kinds)) {
        for (const how of ['soft', 'hard'] as const) {
          const { picked, covers } = covering(candidates, held, avoid);
          covered[`${collection} ${how}`] = covers;
          for (const id of picked) {
            avoid.add(id);
            if (collection === 'users') deletedUsers += 1;
            const result = await h.change(premium, {
              action: how === 'soft' ? 'delete' : 'hardDelete',
              collection,
              id,
            });
            // Only objects that go to the recycle bin can come back.
            if (how === 'soft' && result['soft'] === true) deleted.soft.push(id);
            else deleted.hard.push(id);
          }
        }
      }

      await h.change(premium, {
        action: 'update',
        collection: 'users',
        id: changedUser['id'],
        patch: { jobTitle: 'Chief Restore Officer', department: 'Resilience' },
      });
      await h.change(premium, { action: 'delete', collection: 'users', id: users[5]!['id'] });
      await h.change(premium, { action: 'delete', collection: 'users', id: users[6]!['id'] });
      await h.change(premium, { action: 'restore', id: users[6]!['id'] });
      await h.change(premium, { action: 'removeMember', id: staticGroup['id'], memberId: member.id });
      await h.change(premium, { action: 'addMember', id: staticGroup['id'], memberId: outsider['id'] });
      await h.change(premium, { action: 'addOwner', id: staticGroup['id'], memberId: outsider['id'] });
      await h.change(premium, {
        action: 'update',
        collection: 'groups',
        id: staticGroup['id'],
        patch: { description: 'Edited by the contract test' },
      });
      await h.change(premium, { action: 'delete', collection: 'applications', id: apps[0]!['id'] });
      await h.change(premium, {
        action: 'update',
        collection: 'devices',
        id: devices[1]!['id'],
        patch: { accountEnabled: false },
      });
      await h.change(premium, { action: 'disableConditionalAccessPolicy', id: policies[0]!['id'] });
      await h.change(premium, {
        action: 'addMember',
        collection: 'administrativeUnits',
        id: units[0]!['id'],
        memberId: outsider['id'],
      });
      await h.change(premium, { action: 'changePercent', collection: 'users', percent: 5 });
      await h.change(premium, { action: 'generateSignIns', count: 40 });
      await h.change(premium, { action: 'generateAudits', count: 10 });
      incremental = await backup(premium);
      truthAtIncremental = await freezeTruth(premium);

      // The soft-deleted principals come back with their memberships and ownerships (not their
      // app role and directory role assignments, which their deletion removed for good).
      for (const id of deleted.soft) await h.change(premium, { action: 'restore', id });
      restored = await backup(premium);
      full = await backup(premium, { full: true });
    });

    it('deletes principals that hold every kind of relationship, soft and hard', () => {
      const all = [
        'group member',
        'group owner',
        'unit member',
        'unit scoped role',
        'app owner',
        'service principal owner',
        'app role assignee',
        'role assignment',
        'manager',
      ];
      const union = (how: string) =>
        new Set(Object.entries(covered).flatMap(([k, v]) => (k.endsWith(how) ? v : [])));
      for (const how of ['soft', 'hard'])
        expect([...union(how)].filter((r) => all.includes(r)).sort()).toEqual([...all].sort());
      for (const kind of ['users', 'groups', 'servicePrincipals'])
        expect(covered[`${kind} soft`]!.length + covered[`${kind} hard`]!.length).toBeGreaterThan(0);
      expect(deleted.soft.length).toBeGreaterThan(0);
      expect(deleted.hard.length).toBeGreaterThan(0);
    });

    it('runs incrementally by default once a full snapshot exists, replaying only the changes', () => {
      expect(before.mode).toBe('incremental');
      expect(incremental.mode).toBe('incremental');
      expect(incremental.status).toBe('completed');
      expect(restored.mode).toBe('incremental');
      expect(restored.status).toBe('completed');
      expect(incremental.types.users!.requests).toBeLessThan(full.types.users!.requests);
      expect(incremental.types.users!.changed).toBeGreaterThanOrEqual(6);
      // users[5] and every deleted principal user (users[6] came back within the interval).
      expect(incremental.types.users!.removed).toBe(1 + deletedUsers);
    });

    it.each(OBJECT_TYPE_KEYS.map((k) => [k]))(
      'the incremental snapshot after deletions equals the tenant for %s, every relationship included',
      async (type) => {
        await expectSnapshotMatchesTruth(premium, incremental.snapshotId!, type, truthAtIncremental);
      },
    );

    it.each(OBJECT_TYPE_KEYS.map((k) => [k]))(
      'the incremental snapshot after restores equals the tenant for %s, every relationship included',
      async (type) => {
        await expectSnapshotMatchesTruth(premium, restored.snapshotId!, type);
      },
    );

    it('a full reconciliation finds nothing the incremental runs missed: no difference, a drift of 0', async () => {
      const diff = await h.app.get(BackupReaderService).diff(premium, restored.snapshotId!, full.snapshotId!);
      const nonLog = diff.types.filter((t) => !LOG_TYPES.includes(t.type as ObjectTypeKey));
      expect(nonLog).toEqual([]);
      expect(full.types.users!.added + full.types.users!.changed + full.types.users!.removed).toBe(0);
      expect(full.mode).toBe('full');
      expect(full.drift).toEqual({ objects: 0, links: 0, types: {}, items: [], truncated: false });
    });

    it('a reconciliation reports the drift of a wrong incremental state, with the object and the link', async () => {
      const groups = await h.stored(premium, full.snapshotId!, 'groups', 'groups');
      const group = [...groups.values()].find((g) => (g['members'] as unknown[]).length > 0)!;
      const ghost = '0badc0de-0000-4000-8000-000000000001';
      // An incremental state that claims a member the tenant does not have.
      await h.app.get(BackupLeaseService).withLease(premium, async () => {
        const snapshot = await h.app
          .get(BackupWriterService)
          .beginSnapshot(premium, { mode: 'incremental', types: ['groups'] });
        await snapshot.put('groups', 'groups', {
          ...group,
          id: String(group['id']),
          members: [
            ...(group['members'] as unknown[]),
            { '@odata.type': '#microsoft.graph.user', id: ghost },
          ],
        });
        await snapshot.completeType('groups');
        await snapshot.commit();
      });
      const reconciled = await backup(premium, { full: true, types: ['groups'] });
      expect(reconciled.drift).toEqual({
        objects: 1,
        links: 1,
        types: { groups: { objects: 1, links: 1 } },
        items: [
          {
            type: 'groups',
            collection: 'groups',
            objectId: group['id'],
            name: group['displayName'],
            kind: 'changed',
            links: [{ relation: 'members', added: [], removed: [ghost] }],
          },
        ],
        truncated: false,
      });
      await expectSnapshotMatchesTruth(premium, reconciled.snapshotId!, 'groups');
    });

    it('still reads an older snapshot as it was', async () => {
      const reader = h.app.get(BackupReaderService);
      const old = (await reader.getObjectAt(
        premium,
        before.snapshotId!,
        'users',
        'users',
        String(changedUser['id']),
      )) as Record<string, unknown>;
      const now = (await reader.getObjectAt(
        premium,
        incremental.snapshotId!,
        'users',
        'users',
        String(changedUser['id']),
      )) as Record<string, unknown>;
      expect(old['jobTitle']).toBe(changedUser['jobTitle']);
      expect(now['jobTitle']).toBe('Chief Restore Officer');
    });

    it('never reads a BitLocker key again', async () => {
      expect(before.types.bitlockerKeys!.bitlockerKeyReads).toBe(0);
      expect(incremental.types.bitlockerKeys!.bitlockerKeyReads).toBe(0);
      expect(full.types.bitlockerKeys!.bitlockerKeyReads).toBe(0);
      await expect(keyReadAudits()).resolves.toBe(auditsBefore);
    });
  });

  describe('an expired delta token', () => {
    it('falls back to a full enumeration of that collection and still matches the tenant', async () => {
      const users = await h.truth(premium, 'users');
      await h.change(premium, { action: 'requireDeltaResync', collection: 'users' });
      await h.change(premium, { action: 'delete', collection: 'users', id: users[10]!['id'] });
      const summary = await backup(premium, { types: ['users'] });
      expect(summary.mode).toBe('incremental');
      expect(summary.types.users).toMatchObject({ status: 'succeeded', removed: 1 });
      await expectSnapshotMatchesTruth(premium, summary.snapshotId!, 'users');
    });
  });

  describe('with an expired page token and transient errors injected', () => {
    afterEach(() => {
      h.emulator.faults.reset();
    });

    it.each(OBJECT_TYPE_KEYS.filter((k) => !LOG_TYPES.includes(k)).map((k) => [k]))(
      're-enumerates %s and still stores exactly the tenant state',
      async (type) => {
        h.emulator.faults.configure({
          seed: 3,
          expiredPageTokenNth: 1,
          errorRate: 0.1,
          errorStatuses: [500, 503, 504],
          retryAfterSeconds: 1,
        });
        const summary = await backup(premium, { full: true, types: [type] });
        expect(summary.types[type]!.status).toBe('succeeded');
        await expectSnapshotMatchesTruth(premium, summary.snapshotId!, type);
      },
    );
  });

  describe('when users are not backed up', () => {
    const HOLDERS: ObjectTypeKey[] = ['groups', 'appRegistrations', 'enterpriseApps', 'adminUnits'];

    it("still drops deleted users from the other types' relationships", async () => {
      // The first run without users starts following them (an id-only delta kept with groups).
      await backup(premium, { types: HOLDERS });
      const users = (await h.truth(premium, 'users')).map((u) => String(u['id']));
      const held = await relationshipsByPrincipal(truthNow(premium));
      const { picked, covers } = covering(users, held, new Set());
      expect(covers).toEqual(expect.arrayContaining(['group owner', 'unit member', 'app owner']));
      for (const [i, id] of picked.entries())
        await h.change(premium, { action: i % 2 === 0 ? 'delete' : 'hardDelete', collection: 'users', id });

      const summary = await backup(premium, { types: HOLDERS });
      expect(summary.mode).toBe('incremental');
      for (const type of HOLDERS) await expectSnapshotMatchesTruth(premium, summary.snapshotId!, type);
    });
  });

  describe('a tenant without Entra ID P1/P2', () => {
    it('skips sign-in logs with the reason and Graph code, and completes the run', async () => {
      h.consent(free, CONTRACT_APP.requiredAppRoles);
      const summary = await backup(free, { types: ['signInLogs', 'auditLogs', 'users'] });
      expect(summary.status).toBe('completed');
      expect(summary.types.signInLogs).toMatchObject({
        status: 'skipped',
        graphCode: 'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
        reason: expect.stringContaining('P1 or P2'),
      });
      expect(summary.types.auditLogs!.status).toBe('succeeded');
      expect(summary.types.users!.status).toBe('succeeded');
    });
  });

  describe('a run stopped after reading BitLocker keys', () => {
    it('keeps the keys it read, sealed, and the next run does not read them again', async () => {
      h.consent(free, CONTRACT_APP.requiredAppRoles);
      const keys = await h.truth(free, 'bitlockerRecoveryKeys');
      expect(keys.length).toBeGreaterThan(0);
      const keyReads = async () =>
        (await h.truth(free, 'directoryAudits')).filter(
          (a) => a['activityDisplayName'] === 'Read BitLocker key',
        ).length;
      const readsBefore = await keyReads();
      // Stopped as soon as the first page of keys is read (and staged): what a kill at that point leaves.
      const stop = new AbortController();
      const stopped = await h.app
        .get(BackupService)
        .runBackup(free, {
          types: ['bitlockerKeys'],
          trigger: 'cli',
          actor: 'cli:contract',
          signal: stop.signal,
          onProgress: (event) => {
            if (event.kind === 'type-progress') stop.abort(new Error('stopped by the test'));
          },
        })
        .then(
          (summary) => summary.status,
          () => 'stopped',
        );
      expect(stopped).not.toBe('completed');
      const readInStoppedRun = (await keyReads()) - readsBefore;
      expect(readInStoppedRun).toBeGreaterThan(0);
      const journal = await h.app.get(BackupSnapshotRepository).secretReads(free, 'bitlockerKeys');
      expect(journal).toHaveLength(readInStoppedRun);
      const sealed = journal.map((row) => row.sealedValue).join('\n');
      for (const key of keys) expect(sealed).not.toContain(String(key['key']));

      const next = await backup(free, { types: ['bitlockerKeys'] });

      expect(next.status).toBe('completed');
      expect(next.types.bitlockerKeys!.bitlockerKeyReads).toBe(keys.length - readInStoppedRun);
      await expect(keyReads()).resolves.toBe(readsBefore + keys.length);
      const stored = await h.stored(free, next.snapshotId!, 'bitlockerKeys', 'recoveryKeys');
      expect(new Map([...stored].map(([id, key]) => [id, key['key']]))).toEqual(
        new Map(keys.map((key) => [String(key['id']), key['key']])),
      );
    });
  });
});
