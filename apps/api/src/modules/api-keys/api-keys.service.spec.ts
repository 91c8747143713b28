import {
  API_KEY_PATTERN,
  API_KEY_SCOPE_PERMISSIONS,
  API_KEY_SCOPES,
  listApiKeysQuerySchema,
  PARTNER_ROLE_PERMISSIONS,
  type Permission,
  TENANT_ADMIN_PERMISSIONS,
} from '@entra-backup/common';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import type { ApiKeyEntity, PartnerEntity, TenantEntity } from '../../persistence/entities';
import type { ApiKeyRepository, PartnerRepository, TenantRepository } from '../../persistence/repositories';
import type { AuditEventRecord } from '../../persistence/repositories';
import { AuditAction } from '../audit/audit-action';
import type { AuditService } from '../audit/audit.service';
import { AuthExceptionCode } from '../auth/auth.exception';
import type { Grant, Principal } from '../auth/principal';
import { hashKeySecret } from '../auth/principal-resolver.service';
import { ApiKeySecrets } from './api-key-secrets';
import { ApiKeyExceptionCode } from './api-keys.exception';
import { ApiKeysService } from './api-keys.service';

const NOW = new Date('2026-11-26T08:00:00.000Z');
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const CUSTOMER = '11111111-2222-4333-8444-555555555555';
const STRANGER = '99999999-2222-4333-8444-555555555555';
const PARTNER = '5d1c6c8e-3f7a-4a7e-b1d9-0e2f4a6b8c10';
const SECRET = 'S'.repeat(43);

class KnownSecrets extends ApiKeySecrets {
  readonly prefixes = ['abcd1234', 'efgh5678', 'ijkl9012'];
  newPrefix(): string {
    const next = this.prefixes.shift();
    if (next === undefined) throw new Error('no more prefixes');
    return next;
  }
  newSecret(): string {
    return SECRET;
  }
}

function person(grants: Grant[], kind: Principal['kind'] = 'person'): Principal {
  return {
    kind,
    id: 'ana@contoso.com',
    name: 'Ana',
    actor: 'user:ana@contoso.com',
    grants,
    address: '203.0.113.7',
  };
}

const tenantAdmin = person([
  {
    scope: { kind: 'tenants', tenantIds: [TENANT] },
    permissions: new Set(TENANT_ADMIN_PERMISSIONS),
    source: { kind: 'tenant-admin', roles: ['Global Administrator'] },
  },
]);

function partnerStaff(role: 'owner' | 'admin' | 'operator'): Principal {
  return person([
    {
      scope: { kind: 'partner', partnerId: PARTNER },
      permissions: new Set<Permission>(PARTNER_ROLE_PERMISSIONS[role]),
      source: { kind: 'partner', partnerId: PARTNER, partnerName: 'MSP', role },
    },
  ]);
}

function buildKey(overrides: Partial<ApiKeyEntity> = {}): ApiKeyEntity {
  return {
    id: '0b6f7c1e-8a55-4d0e-9a3c-2f4f1d9b7e21',
    prefix: 'oldkey00',
    secretHash: hashKeySecret('x'.repeat(43)),
    name: 'Nightly',
    scopes: JSON.stringify(['read', 'backup']),
    ownerKind: 'tenant',
    ownerId: TENANT,
    tenantIds: null,
    createdBy: 'user:ana@contoso.com',
    createdAt: new Date('2026-11-01T00:00:00.000Z'),
    expiresAt: null,
    lastUsedAt: null,
    lastUsedAddress: null,
    revokedAt: null,
    replacedById: null,
    ...overrides,
  };
}

function tenantEntity(id: string, partnerId: string | null): TenantEntity {
  return { id, displayName: id, createdAt: NOW, updatedAt: NOW, partnerId, partnerLinkedAt: null };
}

describe(ApiKeysService.name, () => {
  let sut: ApiKeysService;
  let keys: jest.Mocked<ApiKeyRepository>;
  let tenants: jest.Mocked<TenantRepository>;
  let partners: jest.Mocked<PartnerRepository>;
  let audit: jest.Mocked<AuditService>;
  let clock: FixedClock;

  beforeEach(() => {
    keys = strictDouble<ApiKeyRepository>('ApiKeyRepository');
    tenants = strictDouble<TenantRepository>('TenantRepository');
    partners = strictDouble<PartnerRepository>('PartnerRepository');
    audit = strictDouble<AuditService>('AuditService');
    clock = new FixedClock(NOW);
    sut = new ApiKeysService(keys, tenants, partners, new KnownSecrets(), audit, clock);
    tenants.findById.mockImplementation((id) =>
      Promise.resolve(
        id === TENANT
          ? tenantEntity(TENANT, null)
          : id === CUSTOMER
            ? tenantEntity(CUSTOMER, PARTNER)
            : id === STRANGER
              ? tenantEntity(STRANGER, 'other')
              : null,
      ),
    );
    partners.findById.mockImplementation((id) =>
      Promise.resolve(id === PARTNER ? ({ id, name: 'MSP' } as PartnerEntity) : null),
    );
    keys.findByPrefix.mockResolvedValue(null);
    audit.record.mockResolvedValue({} as AuditEventRecord);
  });

  it('gives no key scope the permission to manage keys (keys never manage keys)', () => {
    for (const scope of API_KEY_SCOPES) expect(API_KEY_SCOPE_PERMISSIONS[scope]).not.toContain('keys:manage');
  });

  describe('create', () => {
    it('returns the full key once and stores only the hash of its secret', async () => {
      keys.insert.mockResolvedValue();

      const created = await sut.create(
        { kind: 'tenant', id: TENANT },
        { name: 'Reporting', scopes: ['read'], expiresAt: '2027-01-01T00:00:00Z' },
        tenantAdmin,
      );

      expect(created.key).toBe(`eb_abcd1234_${SECRET}`);
      expect(created.key).toMatch(API_KEY_PATTERN);
      expect(created).toMatchObject({
        prefix: 'eb_abcd1234',
        name: 'Reporting',
        scopes: ['read'],
        ownerKind: 'tenant',
        ownerId: TENANT,
        tenantIds: null,
        createdBy: 'user:ana@contoso.com',
        createdAt: NOW.toISOString(),
        expiresAt: '2027-01-01T00:00:00.000Z',
        status: 'active',
      });
      const stored = keys.insert.mock.calls[0]![0];
      expect(stored.secretHash).toBe(hashKeySecret(SECRET));
      expect(JSON.stringify(stored)).not.toContain(SECRET);
      expect(audit.record).toHaveBeenCalledWith({
        actor: 'user:ana@contoso.com',
        action: AuditAction.API_KEY_CREATED,
        tenantId: TENANT,
        details: expect.objectContaining({ prefix: 'eb_abcd1234', scopes: ['read'], address: '203.0.113.7' }),
      });
      expect(JSON.stringify(audit.record.mock.calls)).not.toContain(SECRET);
    });

    it('draws another prefix when one is taken', async () => {
      keys.findByPrefix.mockResolvedValueOnce(buildKey({ prefix: 'abcd1234' }));
      keys.insert.mockResolvedValue();

      const created = await sut.create(
        { kind: 'tenant', id: TENANT },
        { name: 'A', scopes: ['read'] },
        tenantAdmin,
      );

      expect(created.prefix).toBe('eb_efgh5678');
    });

    it('refuses an expiry that is not in the future', async () => {
      await expect(
        sut.create(
          { kind: 'tenant', id: TENANT },
          { name: 'A', scopes: ['read'], expiresAt: NOW.toISOString() },
          tenantAdmin,
        ),
      ).rejects.toMatchObject({ code: ApiKeyExceptionCode.API_KEY_INVALID_REQUEST });
    });

    it("narrows a partner key to tenants that are the partner's, and refuses others", async () => {
      keys.insert.mockResolvedValue();
      const owner = { kind: 'partner', id: PARTNER } as const;

      await expect(
        sut.create(
          owner,
          { name: 'A', scopes: ['read'], tenantIds: [CUSTOMER, STRANGER] },
          partnerStaff('admin'),
        ),
      ).rejects.toMatchObject({
        code: ApiKeyExceptionCode.API_KEY_INVALID_REQUEST,
        message: `Tenant ${STRANGER} is not a customer tenant of this partner`,
      });
      const created = await sut.create(
        owner,
        { name: 'A', scopes: ['read', 'backup'], tenantIds: [CUSTOMER.toUpperCase()] },
        partnerStaff('admin'),
      );
      expect(created).toMatchObject({ ownerKind: 'partner', ownerId: PARTNER, tenantIds: [CUSTOMER] });
      expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ tenantId: null }));
    });

    it("refuses tenantIds on a tenant's own key", async () => {
      await expect(
        sut.create(
          { kind: 'tenant', id: TENANT },
          { name: 'A', scopes: ['read'], tenantIds: [TENANT] },
          tenantAdmin,
        ),
      ).rejects.toMatchObject({ code: ApiKeyExceptionCode.API_KEY_INVALID_REQUEST });
    });

    it('refuses to hand a key a permission the caller does not hold there', async () => {
      const operatorWhoManagesKeys = person([
        {
          scope: { kind: 'partner', partnerId: PARTNER },
          permissions: new Set<Permission>([...PARTNER_ROLE_PERMISSIONS.operator, 'keys:manage']),
          source: { kind: 'operator' },
        },
      ]);

      await expect(
        sut.create(
          { kind: 'partner', id: PARTNER },
          { name: 'A', scopes: ['export'] },
          operatorWhoManagesKeys,
        ),
      ).rejects.toMatchObject({ code: ApiKeyExceptionCode.API_KEY_SCOPE_NOT_HELD });
      expect(audit.record).not.toHaveBeenCalled();
    });

    it('refuses an API key as the caller', async () => {
      await expect(
        sut.create({ kind: 'tenant', id: TENANT }, { name: 'A', scopes: ['read'] }, person([], 'api-key')),
      ).rejects.toMatchObject({ code: AuthExceptionCode.PERMISSION_DENIED });
    });

    it('answers API_KEY_OWNER_NOT_FOUND for an unknown tenant or partner', async () => {
      await expect(
        sut.create({ kind: 'partner', id: STRANGER }, { name: 'A', scopes: ['read'] }, partnerStaff('owner')),
      ).rejects.toMatchObject({ code: ApiKeyExceptionCode.API_KEY_OWNER_NOT_FOUND });
    });
  });

  describe('rotate', () => {
    it('issues a new secret with the same name, scopes and expiry, and revokes the old key', async () => {
      const old = buildKey({ expiresAt: new Date('2027-01-01T00:00:00.000Z') });
      keys.findOwned.mockResolvedValue(old);
      keys.rotate.mockResolvedValue(true);

      const rotated = await sut.rotate({ kind: 'tenant', id: TENANT }, old.id, 0, tenantAdmin);

      expect(rotated).toMatchObject({
        prefix: 'eb_abcd1234',
        name: 'Nightly',
        scopes: ['read', 'backup'],
        expiresAt: '2027-01-01T00:00:00.000Z',
        key: `eb_abcd1234_${SECRET}`,
      });
      expect(keys.rotate).toHaveBeenCalledWith(old.id, expect.objectContaining({ prefix: 'abcd1234' }), {
        at: NOW,
        revoke: true,
      });
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({
          action: AuditAction.API_KEY_ROTATED,
          details: expect.objectContaining({
            replacedPrefix: 'eb_oldkey00',
            oldKeyValidUntil: NOW.toISOString(),
          }),
        }),
      );
    });

    it('keeps the old key for the grace period, never past its own expiry', async () => {
      keys.rotate.mockResolvedValue(true);
      keys.findOwned.mockResolvedValue(buildKey());
      await sut.rotate({ kind: 'tenant', id: TENANT }, buildKey().id, 30, tenantAdmin);
      expect(keys.rotate).toHaveBeenLastCalledWith(expect.any(String), expect.anything(), {
        at: new Date(NOW.getTime() + 30 * 60_000),
        revoke: false,
      });

      const soon = new Date(NOW.getTime() + 5 * 60_000);
      keys.findOwned.mockResolvedValue(buildKey({ expiresAt: soon }));
      await sut.rotate({ kind: 'tenant', id: TENANT }, buildKey().id, 30, tenantAdmin);
      expect(keys.rotate).toHaveBeenLastCalledWith(expect.any(String), expect.anything(), {
        at: soon,
        revoke: false,
      });
    });

    it.each([
      ['revoked', { revokedAt: new Date('2026-11-20T00:00:00.000Z') }],
      ['expired', { expiresAt: new Date('2026-11-20T00:00:00.000Z') }],
      ['already replaced', { replacedById: 'c0ffee00-0000-4000-8000-000000000000' }],
    ])('refuses to rotate a key that is %s', async (_state, overrides) => {
      keys.findOwned.mockResolvedValue(buildKey(overrides));

      await expect(
        sut.rotate({ kind: 'tenant', id: TENANT }, buildKey().id, 0, tenantAdmin),
      ).rejects.toMatchObject({
        code: ApiKeyExceptionCode.API_KEY_NOT_ACTIVE,
      });
    });

    it("answers API_KEY_NOT_FOUND for another owner's key", async () => {
      keys.findOwned.mockResolvedValue(null);

      await expect(
        sut.rotate({ kind: 'tenant', id: TENANT }, buildKey().id, 0, tenantAdmin),
      ).rejects.toMatchObject({ code: ApiKeyExceptionCode.API_KEY_NOT_FOUND });
      expect(keys.findOwned).toHaveBeenCalledWith({ kind: 'tenant', id: TENANT }, buildKey().id);
    });
  });

  describe('revoke', () => {
    it('revokes and audits once; revoking again changes nothing', async () => {
      keys.findOwned.mockResolvedValue(buildKey());
      keys.revoke.mockResolvedValueOnce(true).mockResolvedValueOnce(false);

      await expect(
        sut.revoke({ kind: 'tenant', id: TENANT }, buildKey().id, tenantAdmin),
      ).resolves.toMatchObject({
        status: 'revoked',
        revokedAt: NOW.toISOString(),
      });
      keys.findOwned.mockResolvedValue(buildKey({ revokedAt: NOW }));
      await sut.revoke({ kind: 'tenant', id: TENANT }, buildKey().id, tenantAdmin);

      expect(audit.record).toHaveBeenCalledTimes(1);
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({ action: AuditAction.API_KEY_REVOKED }),
      );
    });
  });

  describe('list', () => {
    it('lists keys with their status and successor, never a secret, with a next cursor', async () => {
      keys.list.mockResolvedValue({
        items: [
          buildKey({ id: 'a', prefix: 'aaaaaaaa' }),
          buildKey({ id: 'b', prefix: 'bbbbbbbb', revokedAt: NOW, replacedById: 'a' }),
          buildKey({ id: 'c', prefix: 'cccccccc', expiresAt: new Date('2026-11-01T00:00:00.000Z') }),
        ],
        total: 4,
      });
      keys.prefixesOf.mockResolvedValue(new Map([['a', 'aaaaaaaa']]));

      const page = await sut.list(
        { kind: 'tenant', id: TENANT },
        listApiKeysQuerySchema.parse({ status: undefined, pageSize: '3' }),
      );

      expect(page.items.map((k) => [k.prefix, k.status, k.replacedBy])).toEqual([
        ['eb_aaaaaaaa', 'active', null],
        ['eb_bbbbbbbb', 'revoked', 'eb_aaaaaaaa'],
        ['eb_cccccccc', 'expired', null],
      ]);
      expect(page.nextCursor).toEqual(expect.any(String));
      expect(JSON.stringify(page)).not.toContain('secret');
      expect(keys.list).toHaveBeenCalledWith(
        { kind: 'tenant', id: TENANT },
        { now: NOW, limit: 3, offset: 0 },
      );
    });
  });
});
