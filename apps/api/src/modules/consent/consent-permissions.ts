import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from '@entra-backup/common';

export interface TypePermissions {
  readonly read: readonly string[];
  readonly write: readonly string[];
}

/**
 * The application permissions each type needs to be backed up (read) and restored (write), per
 * graph-reference §0 (least privileged). Mirrors the exporter descriptors' declarations.
 */
const PERMISSIONS: Record<ObjectTypeKey, TypePermissions> = {
  users: { read: ['User.Read.All'], write: ['User.ReadWrite.All'] },
  groups: { read: ['Group.Read.All'], write: ['Group.ReadWrite.All'] },
  builtInRoles: { read: ['RoleManagement.Read.Directory'], write: ['RoleManagement.ReadWrite.Directory'] },
  customRoles: { read: ['RoleManagement.Read.Directory'], write: ['RoleManagement.ReadWrite.Directory'] },
  appRegistrations: { read: ['Application.Read.All'], write: ['Application.ReadWrite.All'] },
  enterpriseApps: {
    read: ['Application.Read.All'],
    write: ['Application.ReadWrite.All', 'AppRoleAssignment.ReadWrite.All', 'DelegatedPermissionGrant.ReadWrite.All'],
  },
  conditionalAccessPolicies: {
    read: ['Policy.Read.All'],
    write: ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'],
  },
  devices: { read: ['Device.Read.All'], write: ['Device.ReadWrite.All'] },
  deviceConfigurations: {
    read: ['DeviceManagementConfiguration.Read.All'],
    write: ['DeviceManagementConfiguration.ReadWrite.All'],
  },
  deviceCompliancePolicies: {
    read: ['DeviceManagementConfiguration.Read.All'],
    write: ['DeviceManagementConfiguration.ReadWrite.All'],
  },
  adminUnits: { read: ['AdministrativeUnit.Read.All'], write: ['AdministrativeUnit.ReadWrite.All'] },
  signInLogs: { read: ['AuditLog.Read.All'], write: [] },
  auditLogs: { read: ['AuditLog.Read.All'], write: [] },
  bitlockerKeys: { read: ['BitlockerKey.Read.All'], write: [] },
};

function unique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

export function permissionsOf(type: ObjectTypeKey): TypePermissions {
  return PERMISSIONS[type];
}

export function requiredReadPermissions(types: readonly ObjectTypeKey[] = OBJECT_TYPE_KEYS): string[] {
  return unique(types.flatMap((t) => PERMISSIONS[t].read));
}

export function requiredWritePermissions(types: readonly ObjectTypeKey[] = OBJECT_TYPE_KEYS): string[] {
  return unique(types.flatMap((t) => PERMISSIONS[t].write));
}

/** Every application permission the app registration requests; admin consent grants these. */
export function requiredAppRoles(): string[] {
  return unique([...requiredReadPermissions(), ...requiredWritePermissions()]);
}
