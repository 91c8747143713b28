import type { BackupRunSummary } from '@entra-backup/common';
import { BackupService } from '../../src/modules/backup';
import { BackupReaderService } from '../../src/modules/backup-storage';
import { ConsentGrantsService } from '../../src/modules/consent/consent-grants.service';
import { DESCRIPTORS } from '../../src/modules/exporters';
import { groupsDescriptor } from '../../src/modules/exporters/descriptors/groups.descriptor';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';

/**
 * A collection declaring permissions beyond its type's, against the emulator (which answers 403
 * Authorization_RequestDenied for a route whose app role the token lacks): without them in the
 * recorded consent it is not read, with them recorded but not actually granted Graph's 403 skips
 * it; either way the type succeeds and the snapshot keeps the collection's previous state.
 */
describe('a collection needing more permissions than its type', () => {
  jest.setTimeout(120_000);
  let h: BackupEngineHarness;
  let tenantId: string;

  beforeAll(async () => {
    h = await startBackupEngineHarness({ usersPerTenant: 40 });
    tenantId = h.tenants[0]!;
  });

  afterAll(async () => {
    await h?.close();
  });

  beforeEach(() => {
    // Test fixture: groups (without their directory extension values, whose lookup needs
    // Directory.Read.All) plus the tenant's users as an extra collection needing User.Read.All.
    const { extensionsFor: _values, ...groups } = groupsDescriptor.collections[0];
    jest.replaceProperty(DESCRIPTORS, 'groups', {
      ...groupsDescriptor,
      collections: [
        groups,
        {
          name: 'people',
          version: 'v1.0',
          path: '/users',
          select: ['id', 'displayName'],
          pageSize: 999,
          supportsTop: true,
          permissions: { read: ['User.Read.All'], write: [] },
        },
      ],
    });
  });
  afterEach(() => jest.restoreAllMocks());

  async function backUp(options: {
    granted: string[];
    recorded: string[];
    /** Admin consent only adds roles: revoking one starts the (deterministic) tenant over. */
    revoke?: boolean;
  }): Promise<BackupRunSummary> {
    if (options.revoke === true) h.emulator.reset();
    h.consent(tenantId, options.granted);
    await h.renewGraphClient();
    const at = new Date();
    await h.app.get(ConsentGrantsService).save({
      tenantId,
      grantedRoles: options.recorded,
      grantedBy: 'admin@contoso.com',
      grantedAt: at,
      verifiedAt: at,
    });
    return h.app
      .get(BackupService)
      .runBackup(tenantId, { types: ['groups'], full: true, trigger: 'cli', actor: 'cli:consent' });
  }

  it('skips the collection with the reason, keeps its previous state, and reads it again once granted', async () => {
    const both = ['Group.Read.All', 'User.Read.All'];
    const first = await backUp({ granted: both, recorded: both });
    expect(first.types.groups).toMatchObject({ status: 'succeeded' });
    expect(first.types.groups?.skippedCollections).toBeUndefined();
    const people = await h.stored(tenantId, first.snapshotId!, 'groups', 'people');
    expect(people.size).toBe((await h.truth(tenantId, 'users')).length);

    // The recorded consent lacks the permission: the collection is not read at all.
    const lacking = await backUp({ granted: both, recorded: ['Group.Read.All'] });
    expect(lacking.status).toBe('completed');
    expect(lacking.types.groups).toMatchObject({
      status: 'succeeded',
      skippedCollections: [
        {
          collection: 'people',
          reason:
            "Not backed up: the tenant's consent lacks User.Read.All; grant admin consent again in Settings",
          missingPermissions: ['User.Read.All'],
        },
      ],
    });
    expect((await h.stored(tenantId, lacking.snapshotId!, 'groups', 'people')).size).toBe(people.size);

    // Recorded, but the tenant no longer grants it: Graph's 403 skips the collection the same way.
    const denied = await backUp({ granted: ['Group.Read.All'], recorded: both, revoke: true });
    expect(denied.status).toBe('completed');
    expect(denied.types.groups?.status).toBe('succeeded');
    expect(denied.types.groups?.skippedCollections?.[0]?.reason).toContain('Authorization_RequestDenied');
    expect((await h.stored(tenantId, denied.snapshotId!, 'groups', 'people')).size).toBe(people.size);
    const diff = await h.app
      .get(BackupReaderService)
      .compare(tenantId, first.snapshotId!, denied.snapshotId!);
    expect(diff.get('groups/people')).toBeUndefined();

    const again = await backUp({ granted: both, recorded: both });
    expect(again.types.groups?.skippedCollections).toBeUndefined();
  });
});
