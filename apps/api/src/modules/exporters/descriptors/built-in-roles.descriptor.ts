import type { Descriptor } from '../descriptor';
import { ROLE_PERMISSIONS, roleCollections } from './roles.shared';

export const builtInRolesDescriptor: Descriptor = {
  key: 'builtInRoles',
  collections: roleCollections(true),
  permissions: { read: [...ROLE_PERMISSIONS.read], write: [...ROLE_PERMISSIONS.write] },
  skipWhen: [],
  secretFields: [],
};
