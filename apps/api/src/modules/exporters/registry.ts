import { OBJECT_TYPE_KEYS, type ObjectTypeKey } from '@entra-backup/common';
import type { Descriptor } from './descriptor';
import { adminUnitsDescriptor } from './descriptors/admin-units.descriptor';
import { appRegistrationsDescriptor } from './descriptors/app-registrations.descriptor';
import { auditLogsDescriptor } from './descriptors/audit-logs.descriptor';
import { bitlockerKeysDescriptor } from './descriptors/bitlocker-keys.descriptor';
import { builtInRolesDescriptor } from './descriptors/built-in-roles.descriptor';
import { conditionalAccessPoliciesDescriptor } from './descriptors/conditional-access-policies.descriptor';
import { customRolesDescriptor } from './descriptors/custom-roles.descriptor';
import { deviceCompliancePoliciesDescriptor } from './descriptors/device-compliance-policies.descriptor';
import { deviceConfigurationsDescriptor } from './descriptors/device-configurations.descriptor';
import { devicesDescriptor } from './descriptors/devices.descriptor';
import { enterpriseAppsDescriptor } from './descriptors/enterprise-apps.descriptor';
import { groupsDescriptor } from './descriptors/groups.descriptor';
import { signInLogsDescriptor } from './descriptors/sign-in-logs.descriptor';
import { usersDescriptor } from './descriptors/users.descriptor';

/** One descriptor per object type; a `Record` so a type without a descriptor does not compile. */
export const DESCRIPTORS: Readonly<Record<ObjectTypeKey, Descriptor>> = {
  users: usersDescriptor,
  groups: groupsDescriptor,
  builtInRoles: builtInRolesDescriptor,
  customRoles: customRolesDescriptor,
  appRegistrations: appRegistrationsDescriptor,
  enterpriseApps: enterpriseAppsDescriptor,
  conditionalAccessPolicies: conditionalAccessPoliciesDescriptor,
  devices: devicesDescriptor,
  deviceConfigurations: deviceConfigurationsDescriptor,
  deviceCompliancePolicies: deviceCompliancePoliciesDescriptor,
  adminUnits: adminUnitsDescriptor,
  signInLogs: signInLogsDescriptor,
  auditLogs: auditLogsDescriptor,
  bitlockerKeys: bitlockerKeysDescriptor,
};

export function descriptorOf(key: ObjectTypeKey): Descriptor {
  return DESCRIPTORS[key];
}

/** Descriptors in portal order. */
export function allDescriptors(): Descriptor[] {
  return OBJECT_TYPE_KEYS.map((key) => DESCRIPTORS[key]);
}

/** The name of a type's primary collection (`users`, `roleDefinitions`, `policies`, ...). */
export function primaryCollectionName(key: ObjectTypeKey): string {
  return DESCRIPTORS[key].collections[0].name;
}
