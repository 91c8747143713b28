import { BUILT_IN_ROLES, DIRECTORY_READERS, GLOBAL_ADMINISTRATOR } from '../catalog';
import type { Json } from '../object-collection';
import { type CollectionGenerator, DIRECTORY_ROLE_CODE, type GeneratorContext } from './generator-context';

/** The built-in roles (under their real template ids), then three custom roles. */
export const roleDefinitionsGenerator: CollectionGenerator = {
  fixedIds: BUILT_IN_ROLES.map((r) => r.id),
  count: () => BUILT_IN_ROLES.length + 3,
  generate: roleDefinition,
};

export function roleDefinition(ctx: GeneratorContext, ordinal: number): Json {
  if (ordinal < BUILT_IN_ROLES.length) {
    const role = BUILT_IN_ROLES[ordinal]!;
    return {
      id: role.id,
      description: role.description,
      displayName: role.displayName,
      isBuiltIn: true,
      isEnabled: true,
      resourceScopes: ['/'],
      templateId: role.id,
      version: '1',
      rolePermissions: [{ allowedResourceActions: role.actions, condition: null }],
      inheritsPermissionsFrom:
        role.id === GLOBAL_ADMINISTRATOR ? [] : [{ id: DIRECTORY_READERS }].filter((x) => x.id !== role.id),
    };
  }
  const c = ordinal - BUILT_IN_ROLES.length;
  const id = ctx.id('roleDefinitions', ordinal);
  const names = [
    'Application Support Administrator',
    'Device Lifecycle Operator',
    'Group Membership Reviewer',
  ];
  const actions = [
    ['microsoft.directory/applications/basic/update', 'microsoft.directory/applications/credentials/update'],
    ['microsoft.directory/devices/standard/read', 'microsoft.directory/devices/disable'],
    ['microsoft.directory/groups/members/read', 'microsoft.directory/groups/owners/read'],
  ];
  return {
    id,
    description: `Custom role: ${names[c]}`,
    displayName: names[c],
    isBuiltIn: false,
    isEnabled: true,
    resourceScopes: ['/'],
    templateId: id,
    version: null,
    rolePermissions: [{ allowedResourceActions: actions[c], condition: null }],
    inheritsPermissionsFrom: [],
  };
}

/** Activated directory roles (legacy /directoryRoles): one per template with an assignment. */
export function directoryRoleId(ctx: GeneratorContext, templateId: string): string {
  const index = BUILT_IN_ROLES.findIndex((r) => r.id === templateId);
  return ctx.guid(DIRECTORY_ROLE_CODE, index < 0 ? 999 : index);
}
