import type { ObjectTypeKey, RestoreAction, RestoreRun } from '@entra-backup/common';
import { BackupService } from '../../src/modules/backup';
import { requiredAppRoles } from '../../src/modules/exporters';
import { RestoreService } from '../../src/modules/restore/restore.service';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';

jest.setTimeout(180_000);

type Json = Record<string, unknown>;

const TYPES: ObjectTypeKey[] = ['users', 'groups'];
/** User properties a re-creation writes as they were (the user principal name and mail get the new domain). */
const USER_PROPERTIES = [
  'displayName',
  'givenName',
  'surname',
  'jobTitle',
  'department',
  'mailNickname',
  'usageLocation',
  'accountEnabled',
  'employeeId',
];

function ids(references: unknown): string[] {
  return ((references as Array<{ id: string }> | undefined) ?? []).map((r) => r.id).sort();
}

function onPremises(object: Json): boolean {
  return object['onPremisesSyncEnabled'] === true;
}

/**
 * A restore of one tenant's snapshot into another (`targetTenantId`) with a domain map: the
 * selected types are re-created there as new objects, their links rewired to the new ids.
 */
describe(`${RestoreService.name} into another tenant`, () => {
  let h: BackupEngineHarness;
  let source: string;
  let target: string;
  let sut: RestoreService;
  let sourceUsers: Map<string, Json>;
  let sourceGroups: Map<string, Json>;
  let run: RestoreRun;
  let actions: RestoreAction[];
  let targetUsers: Map<string, Json>;
  let targetGroups: Map<string, Json>;
  let sourceDomain: string;
  let targetDomain: string;

  async function backup(tenantId: string): Promise<string> {
    const summary = await h.app
      .get(BackupService)
      .runBackup(tenantId, { types: TYPES, trigger: 'cli', actor: 'cli:test' });
    expect(summary.status).toBe('completed');
    return summary.snapshotId!;
  }

  async function initialDomain(tenantId: string): Promise<string> {
    const organization = await h.graph
      .forTenant(tenantId)
      .get<{ value: Array<{ verifiedDomains: Array<{ name: string; isInitial: boolean }> }> }>(
        '/organization',
      );
    return organization.value[0]!.verifiedDomains.find((d) => d.isInitial)!.name;
  }

  /**
   * The generated tenants are peopled from the same list of names, so the target already holds
   * every user principal name the restore brings. An admin empties it first (its cloud users and
   * its groups, recycle bin included): this test is about what the restore creates.
   */
  async function emptyTarget(): Promise<void> {
    for (const user of await h.truth(target, 'users'))
      if (!onPremises(user))
        await h.change(target, { action: 'delete', collection: 'users', id: user['id'] });
    for (const group of await h.truth(target, 'groups'))
      await h.change(target, { action: 'delete', collection: 'groups', id: group['id'] });
    for (const deleted of await h.truth(target, 'deletedItems'))
      await h.graph.forTenant(target).delete(`/directory/deletedItems/${String(deleted['id'])}`);
  }

  beforeAll(async () => {
    h = await startBackupEngineHarness({ usersPerTenant: 40 });
    [source, target] = h.tenants as [string, string];
    for (const tenantId of h.tenants) h.consent(tenantId, requiredAppRoles());
    sut = h.app.get(RestoreService);
    [sourceDomain, targetDomain] = [await initialDomain(source), await initialDomain(target)];
    expect(sourceDomain).not.toBe(targetDomain);
    await emptyTarget();

    const snapshotId = await backup(source);
    sourceUsers = await h.stored(source, snapshotId, 'users', 'users');
    sourceGroups = await h.stored(source, snapshotId, 'groups', 'groups');
    const plan = await sut.createPlan(
      source,
      { snapshotId, types: TYPES, targetTenantId: target, domainMap: { [sourceDomain]: targetDomain } },
      { actor: 'cli:test' },
    );
    expect(plan).toMatchObject({ tenantId: source, targetTenantId: target, missingPermissions: [] });
    run = await sut.executePlan(source, plan.planId, { actor: 'cli:test' });
    actions = [];
    for await (const action of sut.planActions(source, plan.planId)) actions.push(action);

    const after = await backup(target);
    targetUsers = await h.stored(target, after, 'users', 'users');
    targetGroups = await h.stored(target, after, 'groups', 'groups');
  });

  afterAll(async () => {
    await h.close();
  });

  it('re-creates every cloud user under its mapped user principal name, with its properties and manager', () => {
    const cloud = [...sourceUsers.values()].filter((u) => !onPremises(u));
    expect(cloud.length).toBeGreaterThan(10);
    const differences: string[] = [];
    for (const user of cloud) {
      const upn = String(user['userPrincipalName']);
      const created = targetUsers.get(run.idMap[String(user['id'])] ?? '');
      if (created === undefined) {
        differences.push(`${upn}: not re-created`);
        continue;
      }
      const manager = (user['manager'] as { id?: string } | null)?.id;
      const expected: Json = {
        ...Object.fromEntries(USER_PROPERTIES.map((p) => [p, user[p]])),
        userPrincipalName: `${upn.slice(0, upn.lastIndexOf('@'))}@${targetDomain}`,
        mail:
          typeof user['mail'] === 'string' ? user['mail'].replace(sourceDomain, targetDomain) : user['mail'],
        // Its manager, when the restore brought the manager too (not one synchronised from on-premises).
        manager: manager === undefined ? null : (run.idMap[manager] ?? null),
      };
      for (const [p, value] of Object.entries(expected)) {
        const actual =
          p === 'manager' ? ((created['manager'] as { id?: string } | null)?.id ?? null) : created[p];
        if (JSON.stringify(actual) !== JSON.stringify(value))
          differences.push(`${upn}: ${p} ${JSON.stringify(actual)}, expected ${JSON.stringify(value)}`);
      }
    }
    expect(differences).toEqual([]);
    // Exactly once each; nothing of the source tenant's domain arrived.
    const upns = [...targetUsers.values()].map((u) => String(u['userPrincipalName']));
    expect(new Set(upns).size).toBe(upns.length);
    expect(upns.filter((upn) => upn.endsWith(`@${sourceDomain}`))).toEqual([]);
  });

  it('leaves users synchronised from on-premises out, and says so', () => {
    const synced = [...sourceUsers.values()].filter(onPremises);
    expect(synced.length).toBeGreaterThan(0);
    for (const user of synced) {
      expect(run.idMap[String(user['id'])]).toBeUndefined();
      expect(actions).toContainEqual(
        expect.objectContaining({
          action: 'skip',
          id: user['id'],
          reason: expect.stringMatching(/on-premises/),
        }),
      );
    }
  });

  it('re-creates every cloud group under its name, with the members and owners the restore brought', () => {
    const cloud = [...sourceGroups.values()].filter((g) => !onPremises(g));
    expect(cloud.length).toBeGreaterThan(3);
    const mapped = (references: unknown) =>
      ids(references)
        .map((id) => run.idMap[id])
        .filter((id): id is string => id !== undefined)
        .sort();
    const differences: string[] = [];
    for (const group of cloud) {
      const name = String(group['displayName']);
      const created = targetGroups.get(run.idMap[String(group['id'])] ?? '');
      if (created === undefined) {
        differences.push(`${name}: not re-created`);
        continue;
      }
      const expected: Json = {
        displayName: name,
        mailNickname: group['mailNickname'],
        description: group['description'],
        owners: mapped(group['owners']),
        // A dynamic group's members follow its rule, evaluated over the target's users.
        ...((group['groupTypes'] as string[]).includes('DynamicMembership')
          ? {}
          : { members: mapped(group['members']) }),
      };
      for (const [p, value] of Object.entries(expected)) {
        const actual = p === 'owners' || p === 'members' ? ids(created[p]) : created[p];
        if (JSON.stringify(actual) !== JSON.stringify(value))
          differences.push(`${name}: ${p} ${JSON.stringify(actual)}, expected ${JSON.stringify(value)}`);
      }
    }
    expect(differences).toEqual([]);
    expect(targetGroups.size).toBe(cloud.length);
  });

  it('does not touch the source tenant', async () => {
    const users = await h.truth(source, 'users');
    expect(users.map((u) => u['id']).sort()).toEqual([...sourceUsers.keys()].sort());
  });

  // A group's members of types outside the selection (its devices) cannot exist in another tenant:
  // they are skipped with the reason, not sent to fail after retries as replication delays.
  it('reports links to objects the target cannot hold as skipped, and completes', () => {
    const failed = actions.filter((a) => a.state === 'failed');
    expect(actions).toContainEqual(
      expect.objectContaining({
        action: 'skip',
        type: 'groups',
        link: expect.objectContaining({ targetType: '#microsoft.graph.device' }),
      }),
    );
    expect(failed.map((a) => `${a.action} ${a.type} ${a.displayName} ${JSON.stringify(a.link)}`)).toEqual([]);
    expect(run.status).toBe('completed');
  });
});
