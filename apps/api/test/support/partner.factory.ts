import {
  PARTNER_ROLE_PERMISSIONS,
  type PartnerRole,
  type Permission,
  TENANT_ADMIN_PERMISSIONS,
} from '@entra-backup/common';
import type { Grant, Principal } from '../../src/modules/auth/principal';
import type { SessionPrincipal } from '../../src/modules/auth/session.types';
import {
  OnboardingLinkEntity,
  PartnerEntity,
  PartnerMemberEntity,
  TenantEntity,
} from '../../src/persistence/entities';
import type { DashboardTenantRecord } from '../../src/persistence/repositories/partner-dashboard.repository';

export const PARTNER = '3c1f6d2a-8b4e-4f7a-9c0d-1e2f3a4b5c6d';
export const OTHER_PARTNER = '7e8f9a0b-1c2d-4e3f-8a5b-6c7d8e9f0a1b';
export const CUSTOMER = '72f988bf-86f1-41af-91ab-2d7cd011db47';
export const OTHER_CUSTOMER = '0c9d8e7f-6a5b-4c3d-8e1f-0a9b8c7d6e5f';
export const PARTNER_NOW = new Date('2026-12-08T10:00:00.000Z');

export function buildPartner(overrides: Partial<PartnerEntity> = {}): PartnerEntity {
  return Object.assign(new PartnerEntity(), {
    id: PARTNER,
    name: 'Fabrikam IT',
    createdAt: new Date('2026-12-01T00:00:00.000Z'),
    createdBy: 'cli:operator',
    ...overrides,
  });
}

export function buildMember(overrides: Partial<PartnerMemberEntity> = {}): PartnerMemberEntity {
  return Object.assign(new PartnerMemberEntity(), {
    partnerId: PARTNER,
    upn: 'ana@fabrikam.test',
    role: 'owner',
    homeTenantId: null,
    objectId: null,
    addedAt: new Date('2026-12-01T00:00:00.000Z'),
    addedBy: 'cli:operator',
    ...overrides,
  });
}

export function buildCustomerTenant(overrides: Partial<TenantEntity> = {}): TenantEntity {
  return Object.assign(new TenantEntity(), {
    id: CUSTOMER,
    displayName: 'Contoso',
    createdAt: new Date('2026-12-01T00:00:00.000Z'),
    updatedAt: new Date('2026-12-01T00:00:00.000Z'),
    partnerId: PARTNER,
    partnerLinkedAt: new Date('2026-12-02T00:00:00.000Z'),
    ...overrides,
  });
}

export function buildOnboardingLink(overrides: Partial<OnboardingLinkEntity> = {}): OnboardingLinkEntity {
  return Object.assign(new OnboardingLinkEntity(), {
    id: '5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
    partnerId: PARTNER,
    tokenHash: 'f'.repeat(64),
    customerName: 'Contoso',
    createdAt: new Date('2026-12-08T09:00:00.000Z'),
    createdBy: 'user:ana@fabrikam.test',
    expiresAt: new Date('2026-12-11T09:00:00.000Z'),
    usedAt: null,
    usedBy: null,
    usedByTenantId: null,
    revokedAt: null,
    revokedBy: null,
    ...overrides,
  });
}

/** A customer tenant's dashboard record: consent granted, never backed up. */
export function buildDashboardRecord(overrides: Partial<DashboardTenantRecord> = {}): DashboardTenantRecord {
  return {
    tenantId: CUSTOMER,
    displayName: 'Contoso',
    linkedAt: new Date('2026-12-02T00:00:00.000Z'),
    grant: { grantedRoles: [], verifiedAt: new Date('2026-12-02T00:00:00.000Z') },
    nextRunAt: null,
    lastRun: null,
    lastFinishedRun: null,
    lastGoodFinishedAt: null,
    ...overrides,
  };
}

export function buildSessionUser(overrides: Partial<SessionPrincipal> = {}): SessionPrincipal {
  return {
    tenantId: CUSTOMER,
    objectId: '11111111-2222-4333-8444-555555555555',
    name: 'Megan Bowen',
    upn: 'megan@contoso.test',
    wids: [],
    roles: ['Global Administrator'],
    evidence: 'wids',
    checkedAt: PARTNER_NOW.getTime(),
    ...overrides,
  };
}

/** A signed-in person on PARTNER's staff with the role. */
export function buildStaffPrincipal(role: PartnerRole, partnerId = PARTNER): Principal {
  return {
    kind: 'person',
    id: 'ana@fabrikam.test',
    name: 'Ana',
    actor: 'user:ana@fabrikam.test',
    grants: [
      {
        scope: { kind: 'partner', partnerId },
        permissions: new Set(PARTNER_ROLE_PERMISSIONS[role]),
        source: { kind: 'partner', partnerId, partnerName: 'Fabrikam IT', role },
      },
    ],
    address: null,
    user: buildSessionUser({ tenantId: OTHER_CUSTOMER, upn: 'ana@fabrikam.test', roles: [] }),
  };
}

/** A partner API key, optionally limited to some tenants. */
export function buildPartnerKeyPrincipal(permissions: Permission[], tenantIds?: string[]): Principal {
  const grant: Grant = {
    scope: { kind: 'partner', partnerId: PARTNER, ...(tenantIds === undefined ? {} : { tenantIds }) },
    permissions: new Set(permissions),
    source: { kind: 'api-key', keyId: 'key-1' },
  };
  return {
    kind: 'api-key',
    id: 'key-1',
    name: 'rmm',
    actor: 'key:eb_abcdefgh',
    grants: [grant],
    address: null,
  };
}

/** A signed-in Global Administrator of CUSTOMER (or a person without a role, with `roles: []`). */
export function buildTenantAdminPrincipal(user: Partial<SessionPrincipal> = {}): Principal {
  const sessionUser = buildSessionUser(user);
  return {
    kind: 'person',
    id: sessionUser.upn,
    name: sessionUser.name,
    actor: `user:${sessionUser.upn}`,
    grants:
      sessionUser.roles.length === 0
        ? []
        : [
            {
              scope: { kind: 'tenants', tenantIds: [sessionUser.tenantId] },
              permissions: new Set(TENANT_ADMIN_PERMISSIONS),
              source: { kind: 'tenant-admin', roles: sessionUser.roles },
            },
          ],
    address: null,
    user: sessionUser,
  };
}
