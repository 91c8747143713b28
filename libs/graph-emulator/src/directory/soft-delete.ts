import type { Json } from './object-collection';
import type { CollectionName } from './tenant-generator';

/**
 * Object types that Microsoft Entra ID can soft-delete, one switch each. Defaults follow the current
 * (2025-2026) documentation; older pages still say security groups, Conditional Access policies, named
 * locations and custom roles are deleted permanently, so each can be turned off to emulate that state.
 *
 * - users, applications, service principals, administrative units:
 *   https://learn.microsoft.com/graph/api/resources/directory
 * - Microsoft 365 and cloud security groups (distribution and mail-enabled security groups stay hard-deleted):
 *   https://learn.microsoft.com/graph/api/group-delete
 * - Conditional Access policies and named locations (policyDeletableItem, 30-day window):
 *   https://learn.microsoft.com/graph/api/resources/policydeletableitem?view=graph-rest-beta
 * - custom role definitions: https://learn.microsoft.com/graph/api/unifiedroledefinition-delete
 *
 * Devices, role assignments, eligibilities and Intune policies have no recycle bin and are always
 * deleted permanently: https://learn.microsoft.com/graph/api/device-delete
 */
export const SOFT_DELETE_TYPES = [
  'users',
  'microsoft365Groups',
  'securityGroups',
  'applications',
  'servicePrincipals',
  'administrativeUnits',
  'conditionalAccessPolicies',
  'namedLocations',
  'customRoleDefinitions',
] as const;

export type SoftDeleteType = (typeof SOFT_DELETE_TYPES)[number];
export type SoftDeleteOptions = Record<SoftDeleteType, boolean>;

export function resolveSoftDelete(input: Partial<SoftDeleteOptions> = {}): SoftDeleteOptions {
  const unknown = Object.keys(input).filter((k) => !(SOFT_DELETE_TYPES as readonly string[]).includes(k));
  if (unknown.length > 0)
    throw new Error(
      `Unknown soft-delete type(s): ${unknown.join(', ')}. Known: ${SOFT_DELETE_TYPES.join(', ')}`,
    );
  return Object.fromEntries(SOFT_DELETE_TYPES.map((t) => [t, input[t] ?? true])) as SoftDeleteOptions;
}

/** Collections whose deleted objects can sit in a recycle bin. */
export type SoftDeletableCollection =
  | 'users'
  | 'groups'
  | 'applications'
  | 'servicePrincipals'
  | 'administrativeUnits'
  | 'conditionalAccessPolicies'
  | 'namedLocations'
  | 'roleDefinitions';

/**
 * The soft-delete switch that governs an object, or undefined when the object is always deleted
 * permanently. Groups: Microsoft 365 groups (`Unified`) and security groups that are not mail-enabled
 * are soft-deleted; distribution groups and mail-enabled security groups are not.
 */
export function softDeleteTypeOf(collection: CollectionName, object: Json): SoftDeleteType | undefined {
  switch (collection) {
    case 'users':
    case 'applications':
    case 'servicePrincipals':
    case 'administrativeUnits':
    case 'conditionalAccessPolicies':
    case 'namedLocations':
      return collection;
    case 'roleDefinitions':
      return object['isBuiltIn'] === true ? undefined : 'customRoleDefinitions';
    case 'groups': {
      const types = (object['groupTypes'] as string[] | undefined) ?? [];
      if (types.includes('Unified')) return 'microsoft365Groups';
      if (object['securityEnabled'] === true && object['mailEnabled'] !== true) return 'securityGroups';
      return undefined;
    }
    default:
      return undefined;
  }
}
