import type { AuditEventRecord } from '../../persistence/repositories';
import type { TenantRepository } from '../../persistence/repositories';
import type { TenantEntity } from '../../persistence/entities';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import { AuditAction } from '../audit/audit-action';
import type { AuditService } from '../audit/audit.service';
import { TenantException, TenantExceptionCode } from './tenants.exception';
import { TenantsService } from './tenants.service';

const ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const NOW = new Date('2026-11-26T08:00:00.000Z');

function buildTenantEntity(overrides: Partial<TenantEntity> = {}): TenantEntity {
  return {
    id: ID,
    displayName: 'Contoso',
    createdAt: NOW,
    updatedAt: NOW,
    partnerId: null,
    partnerLinkedAt: null,
    ...overrides,
  };
}

describe(TenantsService.name, () => {
  let sut: TenantsService;
  let tenants: jest.Mocked<TenantRepository>;
  let audit: jest.Mocked<AuditService>;

  beforeEach(() => {
    tenants = strictDouble<TenantRepository>('TenantRepository');
    audit = strictDouble<AuditService>('AuditService');
    sut = new TenantsService(tenants, audit, new FixedClock(NOW));
  });

  describe('list', () => {
    it('maps every tenant to the response shape', async () => {
      tenants.listAll.mockResolvedValue([
        buildTenantEntity(),
        buildTenantEntity({ id: 'b', displayName: 'B' }),
      ]);

      await expect(sut.list()).resolves.toEqual({
        items: [
          {
            tenantId: ID,
            displayName: 'Contoso',
            createdAt: NOW.toISOString(),
            updatedAt: NOW.toISOString(),
          },
          { tenantId: 'b', displayName: 'B', createdAt: NOW.toISOString(), updatedAt: NOW.toISOString() },
        ],
      });
    });
  });

  describe('get', () => {
    it('looks the tenant up by its lower-case id', async () => {
      tenants.findById.mockResolvedValue(buildTenantEntity());

      await expect(sut.get(ID.toUpperCase())).resolves.toMatchObject({ tenantId: ID });
      expect(tenants.findById).toHaveBeenCalledWith(ID);
    });

    it('throws TENANT_NOT_FOUND for an unknown id', async () => {
      tenants.findById.mockResolvedValue(null);

      await expect(sut.get(ID)).rejects.toMatchObject({
        code: TenantExceptionCode.TENANT_NOT_FOUND,
        message: `Tenant ${ID} not found`,
      });
    });
  });

  describe('create', () => {
    it('inserts the normalised tenant at the current time and audits it', async () => {
      tenants.insertIfAbsent.mockResolvedValue(buildTenantEntity());
      audit.record.mockResolvedValue({} as AuditEventRecord);

      await expect(
        sut.create({ tenantId: ID.toUpperCase(), displayName: ' Contoso ' }, 'cli:alice'),
      ).resolves.toEqual({
        tenantId: ID,
        displayName: 'Contoso',
        createdAt: NOW.toISOString(),
        updatedAt: NOW.toISOString(),
      });
      expect(tenants.insertIfAbsent).toHaveBeenCalledWith({ id: ID, displayName: 'Contoso', createdAt: NOW });
      expect(audit.record).toHaveBeenCalledWith({
        actor: 'cli:alice',
        action: AuditAction.TENANT_CREATED,
        tenantId: ID,
        details: { displayName: 'Contoso' },
      });
    });

    it('throws TENANT_EXISTS and audits nothing for a duplicate', async () => {
      tenants.insertIfAbsent.mockResolvedValue(null);

      const result = sut.create({ tenantId: ID, displayName: 'Contoso' }, 'api');

      await expect(result).rejects.toBeInstanceOf(TenantException);
      await expect(result).rejects.toMatchObject({ code: TenantExceptionCode.TENANT_EXISTS });
      expect(audit.record).not.toHaveBeenCalled();
    });
  });
});
