import { groupsDescriptor } from './descriptors/groups.descriptor';
import {
  canBackUp,
  canRestore,
  collectionPermissionsOf,
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
});
