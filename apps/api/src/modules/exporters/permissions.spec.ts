import { enterpriseAppsDescriptor } from './descriptors/enterprise-apps.descriptor';
import { groupsDescriptor } from './descriptors/groups.descriptor';
import {
  canBackUp,
  canRestore,
  collectionPermissionsOf,
  missingEmbeddedWrite,
  ownPermissionsOf,
  permissionsOf,
  requiredAppRoles,
} from './permissions';
import { DESCRIPTORS } from './registry';

describe('permissions', () => {
  beforeEach(() => {
    jest.replaceProperty(DESCRIPTORS, 'groups', {
      ...groupsDescriptor,
      collections: [
        groupsDescriptor.collections[0],
        {
          name: 'groupSettings',
          version: 'v1.0',
          path: '/groupSettings',
          pageSize: 100,
          supportsTop: false,
          permissions: { read: ['Directory.Read.All'], write: ['Directory.ReadWrite.All'] },
        },
      ],
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it("asks consent for a collection's extra permissions with the type's own, and keeps them apart", () => {
    expect(permissionsOf('groups').read).toEqual(['Directory.Read.All', 'Group.Read.All']);
    expect(ownPermissionsOf('groups')).toEqual(groupsDescriptor.permissions);
    expect(collectionPermissionsOf('groups')).toEqual([
      // The groups' directory extension values need the lookup of the tenant's extensions.
      { collection: 'directoryExtensionValues', read: ['Directory.Read.All'], write: [] },
      { collection: 'groupSettings', read: ['Directory.Read.All'], write: ['Directory.ReadWrite.All'] },
    ]);
    expect(requiredAppRoles()).toEqual(
      expect.arrayContaining(['Directory.Read.All', 'Directory.ReadWrite.All']),
    );
  });

  it('backs up and restores the type on its own permissions; a collection needs its extra write ones', () => {
    const own = [...groupsDescriptor.permissions.read, ...groupsDescriptor.permissions.write];
    expect(canBackUp('groups', own)).toBe(true);
    expect(canRestore('groups', own)).toBe(true);
    expect(canRestore('groups', own, 'groups')).toBe(true);
    expect(canRestore('groups', own, 'groupSettings')).toBe(false);
    expect(canRestore('groups', [...own, 'Directory.ReadWrite.All'], 'groupSettings')).toBe(true);
  });

  it('asks consent for what embedded items need to be written, without making their collection unwritable', () => {
    const own = [...enterpriseAppsDescriptor.permissions.read, ...enterpriseAppsDescriptor.permissions.write];
    expect(collectionPermissionsOf('enterpriseApps')).toContainEqual({
      collection: 'delegatedPermissionClassifications',
      read: [],
      write: ['Policy.ReadWrite.PermissionGrant'],
    });
    expect(permissionsOf('enterpriseApps').write).toContain('Policy.ReadWrite.PermissionGrant');
    expect(requiredAppRoles()).toContain('Policy.ReadWrite.PermissionGrant');
    expect(canRestore('enterpriseApps', own, 'servicePrincipals')).toBe(true);
    expect(
      missingEmbeddedWrite('enterpriseApps', 'servicePrincipals', 'delegatedPermissionClassifications', own),
    ).toEqual(['Policy.ReadWrite.PermissionGrant']);
    expect(
      missingEmbeddedWrite('enterpriseApps', 'servicePrincipals', 'delegatedPermissionClassifications', [
        ...own,
        'Policy.ReadWrite.PermissionGrant',
      ]),
    ).toEqual([]);
  });
});
