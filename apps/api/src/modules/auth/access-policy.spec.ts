import {
  API_KEY_SCOPE_PERMISSIONS,
  EMERGENCY_PERMISSIONS,
  PARTNER_ROLE_PERMISSIONS,
  type Permission,
  TENANT_ADMIN_PERMISSIONS,
} from '@entra-backup/common';
import {
  allowsOnPartner,
  allowsOnTenant,
  holdsAnywhere,
  permissionsOnTenant,
  tenantFilter,
} from './access-policy';
import type { Grant, Principal, TenantRef } from './principal';

const A: TenantRef = { id: 'aaaaaaaa-0000-0000-0000-00000000000a', partnerId: 'p' };
const B: TenantRef = { id: 'bbbbbbbb-0000-0000-0000-00000000000b', partnerId: null };
const C: TenantRef = { id: 'cccccccc-0000-0000-0000-00000000000c', partnerId: 'q' };

function principal(...grants: Grant[]): Principal {
  return { kind: 'person', id: 'x', name: 'x', actor: 'user:x', grants, address: null };
}

function grant(scope: Grant['scope'], permissions: readonly Permission[]): Grant {
  return { scope, permissions: new Set(permissions), source: { kind: 'operator' } };
}

describe('access policy', () => {
  it("allows a tenant admin everything of an admin on their own tenant and nothing on another's", () => {
    const sut = principal(grant({ kind: 'tenants', tenantIds: [B.id] }, TENANT_ADMIN_PERMISSIONS));

    expect(allowsOnTenant(sut, 'restores:run', B)).toBe(true);
    expect(allowsOnTenant(sut, 'partner-link:manage', B)).toBe(true);
    expect(allowsOnTenant(sut, 'tenants:read', A)).toBe(false);
    expect(allowsOnTenant(sut, 'staff:manage', B)).toBe(false);
  });

  it("allows a partner's staff on the partner's customers only, by role", () => {
    const viewer = principal(grant({ kind: 'partner', partnerId: 'p' }, PARTNER_ROLE_PERMISSIONS.viewer));
    const operator = principal(grant({ kind: 'partner', partnerId: 'p' }, PARTNER_ROLE_PERMISSIONS.operator));
    const owner = principal(grant({ kind: 'partner', partnerId: 'p' }, PARTNER_ROLE_PERMISSIONS.owner));

    expect(allowsOnTenant(viewer, 'tenants:read', A)).toBe(true);
    expect(allowsOnTenant(viewer, 'exports:download', A)).toBe(false);
    expect(allowsOnTenant(viewer, 'secrets:reveal', A)).toBe(false);
    expect(allowsOnTenant(operator, 'restores:run', A)).toBe(true);
    expect(allowsOnTenant(operator, 'settings:write', A)).toBe(false);
    expect(allowsOnTenant(owner, 'settings:write', A)).toBe(true);
    for (const who of [viewer, operator, owner]) {
      expect(allowsOnTenant(who, 'tenants:read', B)).toBe(false);
      expect(allowsOnTenant(who, 'tenants:read', C)).toBe(false);
    }
    expect(allowsOnPartner(owner, 'staff:manage', 'p')).toBe(true);
    expect(allowsOnPartner(owner, 'staff:manage', 'q')).toBe(false);
    expect(allowsOnPartner(viewer, 'staff:manage', 'p')).toBe(false);
  });

  it('narrows a partner key to the tenants it names', () => {
    const key = principal(
      grant({ kind: 'partner', partnerId: 'p', tenantIds: ['other'] }, API_KEY_SCOPE_PERMISSIONS.read),
    );

    expect(allowsOnTenant(key, 'tenants:read', A)).toBe(false);
    expect(allowsOnTenant(key, 'tenants:read', { ...A, id: 'other' })).toBe(true);
  });

  it('gives a break-glass account browse and restore of its tenant, nothing else', () => {
    const sut = principal(grant({ kind: 'tenants', tenantIds: [B.id] }, EMERGENCY_PERMISSIONS));

    expect(permissionsOnTenant(sut, B)).toEqual(['restores:run', 'tenants:read']);
    expect(permissionsOnTenant(sut, A)).toEqual([]);
  });

  it('combines grants: a person who is an admin of B and on the staff of P sees both', () => {
    const sut = principal(
      grant({ kind: 'tenants', tenantIds: [B.id] }, TENANT_ADMIN_PERMISSIONS),
      grant({ kind: 'partner', partnerId: 'p' }, PARTNER_ROLE_PERMISSIONS.viewer),
    );
    const visible = [A, B, C].filter(tenantFilter(sut, 'tenants:read')).map((t) => t.id);

    expect(visible).toEqual([A.id, B.id]);
    expect(holdsAnywhere(sut, 'settings:write')).toBe(true);
    expect(holdsAnywhere(principal(), 'tenants:read')).toBe(false);
  });

  it('lets an all-tenants grant reach every tenant and partner', () => {
    const sut = principal(grant({ kind: 'all' }, ['tenants:read']));

    expect(allowsOnTenant(sut, 'tenants:read', C)).toBe(true);
    expect(allowsOnPartner(sut, 'tenants:read', 'q')).toBe(true);
    expect(allowsOnTenant(sut, 'backups:start', C)).toBe(false);
  });
});
