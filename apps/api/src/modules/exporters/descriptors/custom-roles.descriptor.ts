import type { Descriptor } from '../descriptor';
import { ROLE_PERMISSIONS, roleCollections } from './roles.shared';

export const customRolesDescriptor: Descriptor = {
  key: 'customRoles',
  collections: roleCollections(false),
  permissions: { read: [...ROLE_PERMISSIONS.read], write: [...ROLE_PERMISSIONS.write] },
  skipWhen: [],
  secretFields: [],
};
