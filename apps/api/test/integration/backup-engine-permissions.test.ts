import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from '@entra-backup/common';
import { BackupService } from '../../src/modules/backup';
import {
  DESCRIPTORS,
  permissionsOf,
  requiredAppRoles,
  requiredReadPermissions,
} from '../../src/modules/exporters';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';

/**
 * The permissions the product asks for are derived from the descriptors. Each type must back up
 * with exactly its own read permissions consented (no 403 anywhere), and fail with Graph's 403
 * when they are missing.
 */
describe('permissions derived from the descriptors', () => {
  jest.setTimeout(180_000);
  let h: BackupEngineHarness;
  let tenantId: string;

  beforeAll(async () => {
    h = await startBackupEngineHarness({ usersPerTenant: 60, pageSizeLimit: 50 });
    tenantId = h.tenants[0]!;
  });

  afterAll(async () => {
    await h?.close();
  });

  async function backupWith(type: ObjectTypeKey, roles: readonly string[]) {
    h.emulator.reset();
    h.consent(tenantId, roles);
    await h.renewGraphClient();
    return h.app
      .get(BackupService)
      .runBackup(tenantId, { types: [type], full: true, trigger: 'cli', actor: 'cli:permissions' });
  }

  it('requests read and write permissions of every type and nothing else', () => {
    const all = OBJECT_TYPE_KEYS.flatMap((k) => [...permissionsOf(k).read, ...permissionsOf(k).write]);
    expect(requiredAppRoles()).toEqual([...new Set(all)].sort());
    // Directory.Read.All never backs up a whole type; it is asked for only by the collections Graph
    // documents no narrower permission for (group lifecycle policies and the groups a "Selected" one
    // applies to), which a consent without it skips.
    expect(
      OBJECT_TYPE_KEYS.filter((k) => DESCRIPTORS[k].permissions.read.includes('Directory.Read.All')),
    ).toEqual([]);
    const broad = OBJECT_TYPE_KEYS.flatMap((k) =>
      DESCRIPTORS[k].collections
        .filter((c) => c.permissions?.read.includes('Directory.Read.All'))
        .map((c) => `${k}/${c.name}`),
    );
    expect(broad).toEqual(['groups/groupLifecyclePolicies', 'groups/lifecyclePolicyGroups']);
    expect(requiredReadPermissions()).toContain('Directory.Read.All');
    expect(permissionsOf('signInLogs').write).toEqual([]);
    expect(permissionsOf('bitlockerKeys').write).toEqual([]);
  });

  it.each(OBJECT_TYPE_KEYS.map((k) => [k]))(
    'backs up %s with only its own read permissions',
    async (type) => {
      const summary = await backupWith(type, permissionsOf(type).read);
      expect(summary.types[type]).toMatchObject({ status: 'succeeded' });
    },
  );

  it.each(OBJECT_TYPE_KEYS.map((k) => [k]))(
    'fails %s with the Graph code when its permissions are missing',
    async (type) => {
      const unrelated = type === 'devices' ? ['User.Read.All'] : ['Device.Read.All'];
      const summary = await backupWith(type, unrelated);
      expect(summary.status).toBe('failed');
      expect(summary.snapshotId).toBeNull();
      expect(summary.types[type]).toMatchObject({
        status: 'failed',
        graphCode: 'Authorization_RequestDenied',
        requestId: expect.any(String),
      });
    },
  );
});
