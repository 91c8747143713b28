import type { Permission } from '@entra-backup/common';
import type { Grant, Principal, TenantRef } from './principal';

/**
 * The one place that answers "may this principal do that on this tenant": every grant has a
 * scope and a set of permissions, and a call is allowed when one grant has both.
 */
export function allowsOnTenant(principal: Principal, permission: Permission, tenant: TenantRef): boolean {
  return principal.grants.some((grant) => grant.permissions.has(permission) && covers(grant, tenant));
}

/**
 * Partner-level operations (staff, onboarding links, the partner's keys and dashboard): the
 * permission through a grant of that partner (or of the installation's operators).
 */
export function allowsOnPartner(principal: Principal, permission: Permission, partnerId: string): boolean {
  return principal.grants.some(
    (grant) =>
      grant.permissions.has(permission) &&
      (grant.scope.kind === 'all' || (grant.scope.kind === 'partner' && grant.scope.partnerId === partnerId)),
  );
}

/** Whether the principal holds the permission anywhere (routes that name no tenant). */
export function holdsAnywhere(principal: Principal, permission: Permission): boolean {
  return principal.grants.some((grant) => grant.permissions.has(permission));
}

/** A filter for lists: the tenants on which the principal holds the permission. */
export function tenantFilter(principal: Principal, permission: Permission): (tenant: TenantRef) => boolean {
  return (tenant) => allowsOnTenant(principal, permission, tenant);
}

/** Every permission the principal holds on the tenant (for the portal to show what it may do). */
export function permissionsOnTenant(principal: Principal, tenant: TenantRef): Permission[] {
  const held = new Set<Permission>();
  for (const grant of principal.grants) {
    if (!covers(grant, tenant)) continue;
    for (const permission of grant.permissions) held.add(permission);
  }
  return [...held].sort();
}

function covers(grant: Grant, tenant: TenantRef): boolean {
  const scope = grant.scope;
  switch (scope.kind) {
    case 'all':
      return true;
    case 'tenants':
      return scope.tenantIds.includes(tenant.id);
    case 'partner':
      return (
        tenant.partnerId === scope.partnerId &&
        (scope.tenantIds === undefined || scope.tenantIds.includes(tenant.id))
      );
  }
}
