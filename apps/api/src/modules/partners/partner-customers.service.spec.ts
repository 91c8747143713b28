import type { AuditEventRecord, PartnerRepository, TenantRepository } from '../../persistence/repositories';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import {
  buildCustomerTenant,
  buildPartner,
  CUSTOMER,
  OTHER_PARTNER,
  PARTNER,
  PARTNER_NOW,
} from '../../../test/support/partner.factory';
import { AuditAction } from '../audit/audit-action';
import type { AuditService } from '../audit/audit.service';
import { TenantExceptionCode } from '../tenants/tenants.exception';
import { PartnerCustomersService } from './partner-customers.service';
import { PartnerException, PartnerExceptionCode } from './partners.exception';
import type { PartnersService } from './partners.service';

describe(PartnerCustomersService.name, () => {
  let sut: PartnerCustomersService;
  let partners: jest.Mocked<Pick<PartnersService, 'get'>>;
  let partnerRecords: jest.Mocked<PartnerRepository>;
  let tenants: jest.Mocked<TenantRepository>;
  let audit: jest.Mocked<AuditService>;
  const p = buildPartner();
  const q = buildPartner({ id: OTHER_PARTNER, name: 'Northwind' });

  beforeEach(() => {
    partners = strictDouble<Pick<PartnersService, 'get'>>('PartnersService');
    partners.get.mockImplementation(async (id) => {
      if (id === PARTNER) return p;
      if (id === OTHER_PARTNER) return q;
      throw PartnerException.notFound(id);
    });
    partnerRecords = strictDouble<PartnerRepository>('PartnerRepository');
    tenants = strictDouble<TenantRepository>('TenantRepository');
    tenants.findById.mockResolvedValue(buildCustomerTenant());
    audit = strictDouble<AuditService>('AuditService');
    audit.record.mockResolvedValue({} as AuditEventRecord);
    sut = new PartnerCustomersService(
      partners as unknown as PartnersService,
      partnerRecords,
      tenants,
      audit,
      new FixedClock(PARTNER_NOW),
    );
  });

  describe('handOver', () => {
    it('moves the tenant to the other partner and audits it for both', async () => {
      tenants.moveToPartner.mockResolvedValue(true);

      await expect(sut.handOver(PARTNER, CUSTOMER, OTHER_PARTNER, 'user:ana')).resolves.toEqual({
        partner: { partnerId: OTHER_PARTNER, name: 'Northwind' },
        linkedAt: PARTNER_NOW.toISOString(),
      });
      expect(tenants.moveToPartner).toHaveBeenCalledWith(CUSTOMER, PARTNER, OTHER_PARTNER, PARTNER_NOW);
      expect(audit.record).toHaveBeenCalledWith({
        actor: 'user:ana',
        action: AuditAction.TENANT_HANDED_OVER,
        tenantId: CUSTOMER,
        details: {
          partnerIds: [PARTNER, OTHER_PARTNER],
          fromPartnerId: PARTNER,
          fromPartnerName: 'Fabrikam IT',
          toPartnerId: OTHER_PARTNER,
          toPartnerName: 'Northwind',
        },
      });
    });

    it('refuses a hand-over to itself, to an unknown partner, and of a tenant it does not manage', async () => {
      await expect(sut.handOver(PARTNER, CUSTOMER, PARTNER, 'a')).rejects.toMatchObject({
        code: PartnerExceptionCode.HAND_OVER_INVALID,
      });
      await expect(
        sut.handOver(PARTNER, CUSTOMER, '00000000-0000-4000-8000-000000000000', 'a'),
      ).rejects.toMatchObject({ code: PartnerExceptionCode.PARTNER_NOT_FOUND });
      tenants.findById.mockResolvedValue(buildCustomerTenant({ partnerId: OTHER_PARTNER }));
      await expect(sut.handOver(PARTNER, CUSTOMER, OTHER_PARTNER, 'a')).rejects.toMatchObject({
        code: PartnerExceptionCode.TENANT_NOT_MANAGED,
      });
      expect(tenants.moveToPartner).not.toHaveBeenCalled();
      expect(audit.record).not.toHaveBeenCalled();
    });

    it('refuses when the tenant moved away in the meantime', async () => {
      tenants.moveToPartner.mockResolvedValue(false);

      await expect(sut.handOver(PARTNER, CUSTOMER, OTHER_PARTNER, 'a')).rejects.toMatchObject({
        code: PartnerExceptionCode.TENANT_NOT_MANAGED,
      });
      expect(audit.record).not.toHaveBeenCalled();
    });
  });

  it('releases a tenant and audits it', async () => {
    tenants.moveToPartner.mockResolvedValue(true);

    await sut.release(PARTNER, CUSTOMER.toUpperCase(), 'user:ana');

    expect(tenants.findById).toHaveBeenCalledWith(CUSTOMER);
    expect(tenants.moveToPartner).toHaveBeenCalledWith(CUSTOMER, PARTNER, null, PARTNER_NOW);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ action: AuditAction.TENANT_RELEASED, tenantId: CUSTOMER }),
    );
  });

  describe('the tenant side', () => {
    it("shows the tenant's partner and when it was linked", async () => {
      partnerRecords.findById.mockResolvedValue(p);

      await expect(sut.link(CUSTOMER)).resolves.toEqual({
        partner: { partnerId: PARTNER, name: 'Fabrikam IT' },
        linkedAt: '2026-12-02T00:00:00.000Z',
      });
    });

    it('shows no partner for an unmanaged tenant, and TENANT_NOT_FOUND for an unknown one', async () => {
      tenants.findById.mockResolvedValueOnce(buildCustomerTenant({ partnerId: null, partnerLinkedAt: null }));
      await expect(sut.link(CUSTOMER)).resolves.toEqual({ partner: null, linkedAt: null });
      tenants.findById.mockResolvedValueOnce(null);
      await expect(sut.link(CUSTOMER)).rejects.toMatchObject({ code: TenantExceptionCode.TENANT_NOT_FOUND });
    });

    it("revokes the partner's link on the admins' word and audits it", async () => {
      tenants.moveToPartner.mockResolvedValue(true);
      partnerRecords.findById.mockResolvedValue(p);

      await sut.revokeLink(CUSTOMER, 'user:megan@contoso.test');

      expect(tenants.moveToPartner).toHaveBeenCalledWith(CUSTOMER, PARTNER, null, PARTNER_NOW);
      expect(audit.record).toHaveBeenCalledWith({
        actor: 'user:megan@contoso.test',
        action: AuditAction.PARTNER_LINK_REVOKED,
        tenantId: CUSTOMER,
        details: { partnerIds: [PARTNER], partnerId: PARTNER, partnerName: 'Fabrikam IT' },
      });
    });

    it('answers revoking a link that does not exist with TENANT_NOT_MANAGED', async () => {
      tenants.findById.mockResolvedValue(buildCustomerTenant({ partnerId: null }));

      await expect(sut.revokeLink(CUSTOMER, 'a')).rejects.toMatchObject({
        code: PartnerExceptionCode.TENANT_NOT_MANAGED,
      });
      expect(audit.record).not.toHaveBeenCalled();
    });
  });
});
