import { createHash } from 'node:crypto';
import type { AppConfig } from '../../config/app-config';
import type { AuditEventRecord, OnboardingLinkRepository } from '../../persistence/repositories';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import {
  buildOnboardingLink,
  buildPartner,
  buildStaffPrincipal,
  buildTenantAdminPrincipal,
  CUSTOMER,
  PARTNER,
  PARTNER_NOW,
} from '../../../test/support/partner.factory';
import { AuditAction } from '../audit/audit-action';
import type { AuditService } from '../audit/audit.service';
import type { ConsentGrantsService } from '../consent/consent-grants.service';
import type { ConsentService } from '../consent/consent.service';
import { TenantException } from '../tenants/tenants.exception';
import type { TenantsService } from '../tenants/tenants.service';
import { OnboardingService } from './onboarding.service';
import { PartnerExceptionCode } from './partners.exception';
import type { PartnersService } from './partners.service';

const TOKEN = 'A'.repeat(43);
const TOKEN_HASH = createHash('sha256').update(TOKEN).digest('hex');

describe(OnboardingService.name, () => {
  let sut: OnboardingService;
  let partners: jest.Mocked<Pick<PartnersService, 'get'>>;
  let links: jest.Mocked<OnboardingLinkRepository>;
  let tenants: jest.Mocked<Pick<TenantsService, 'get' | 'create'>>;
  let grants: jest.Mocked<Pick<ConsentGrantsService, 'isGranted'>>;
  let consent: jest.Mocked<Pick<ConsentService, 'start'>>;
  let audit: jest.Mocked<AuditService>;

  beforeEach(() => {
    partners = strictDouble<Pick<PartnersService, 'get'>>('PartnersService');
    partners.get.mockResolvedValue(buildPartner());
    links = strictDouble<OnboardingLinkRepository>('OnboardingLinkRepository');
    tenants = strictDouble<Pick<TenantsService, 'get' | 'create'>>('TenantsService');
    grants = strictDouble<Pick<ConsentGrantsService, 'isGranted'>>('ConsentGrantsService');
    consent = strictDouble<Pick<ConsentService, 'start'>>('ConsentService');
    audit = strictDouble<AuditService>('AuditService');
    audit.record.mockResolvedValue({} as AuditEventRecord);
    sut = new OnboardingService(
      { auth: { publicUrl: 'https://backup.example.test' } } as AppConfig,
      partners as unknown as PartnersService,
      links,
      tenants as unknown as TenantsService,
      grants as unknown as ConsentGrantsService,
      consent as unknown as ConsentService,
      audit,
      new FixedClock(PARTNER_NOW),
    );
  });

  describe('create', () => {
    it('stores only the hash of a fresh 32-byte token and shows the URL once', async () => {
      links.insert.mockResolvedValue();

      const link = await sut.create(PARTNER, { customerName: 'Contoso', expiresInHours: 72 }, 'user:ana');

      const token = new URL(String(link.url)).pathname.split('/').pop()!;
      expect(link.url).toBe(`https://backup.example.test/onboard/${token}`);
      expect(Buffer.from(token, 'base64url')).toHaveLength(32);
      const stored = links.insert.mock.calls[0]![0];
      expect(stored).toMatchObject({
        partnerId: PARTNER,
        tokenHash: createHash('sha256').update(token).digest('hex'),
        customerName: 'Contoso',
        expiresAt: new Date(PARTNER_NOW.getTime() + 72 * 3_600_000),
        usedAt: null,
      });
      expect(JSON.stringify(stored)).not.toContain(token);
      expect(link).toMatchObject({ status: 'open', linkId: stored.id });
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({ action: AuditAction.ONBOARDING_LINK_CREATED, tenantId: null }),
      );
      expect(JSON.stringify(audit.record.mock.calls)).not.toContain(token);
    });

    it('lists links with their status and without URLs', async () => {
      links.listByPartner.mockResolvedValue([
        buildOnboardingLink({ id: 'a', usedAt: PARTNER_NOW, usedByTenantId: CUSTOMER }),
        buildOnboardingLink({ id: 'b', expiresAt: new Date(PARTNER_NOW.getTime() - 1) }),
        buildOnboardingLink({ id: 'c', revokedAt: PARTNER_NOW }),
        buildOnboardingLink({ id: 'd' }),
      ]);

      const list = await sut.list(PARTNER);

      expect(list.items.map((l) => [l.linkId, l.status, l.usedByTenantId])).toEqual([
        ['a', 'used', CUSTOMER],
        ['b', 'expired', null],
        ['c', 'revoked', null],
        ['d', 'open', null],
      ]);
      expect(list.items.every((l) => l.url === undefined)).toBe(true);
    });
  });

  describe('revoke', () => {
    it('revokes an open link and audits it', async () => {
      links.findOfPartner.mockResolvedValue(buildOnboardingLink());
      links.revoke.mockResolvedValue(true);

      await sut.revoke(PARTNER, buildOnboardingLink().id, 'user:ana');

      expect(links.revoke).toHaveBeenCalledWith(PARTNER, buildOnboardingLink().id, PARTNER_NOW, 'user:ana');
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({ action: AuditAction.ONBOARDING_LINK_REVOKED }),
      );
    });

    it('refuses a used link and answers an unknown one as not found', async () => {
      links.findOfPartner.mockResolvedValueOnce(buildOnboardingLink({ usedAt: PARTNER_NOW }));
      await expect(sut.revoke(PARTNER, 'x', 'a')).rejects.toMatchObject({
        code: PartnerExceptionCode.ONBOARDING_LINK_USED,
      });
      links.findOfPartner.mockResolvedValueOnce(null);
      await expect(sut.revoke(PARTNER, 'x', 'a')).rejects.toMatchObject({
        code: PartnerExceptionCode.ONBOARDING_LINK_NOT_FOUND,
      });
      expect(links.revoke).not.toHaveBeenCalled();
    });
  });

  describe('invitation', () => {
    it('shows the partner, customer, expiry and status, found by the hash of the token', async () => {
      links.findByTokenHash.mockResolvedValue({ link: buildOnboardingLink(), partnerName: 'Fabrikam IT' });

      await expect(sut.invitation(TOKEN)).resolves.toEqual({
        partnerName: 'Fabrikam IT',
        customerName: 'Contoso',
        expiresAt: '2026-12-11T09:00:00.000Z',
        status: 'open',
      });
      expect(links.findByTokenHash).toHaveBeenCalledWith(TOKEN_HASH);
    });

    it('answers a malformed or unknown token with ONBOARDING_LINK_NOT_FOUND', async () => {
      links.findByTokenHash.mockResolvedValue(null);

      await expect(sut.invitation('short')).rejects.toMatchObject({
        code: PartnerExceptionCode.ONBOARDING_LINK_NOT_FOUND,
      });
      await expect(sut.invitation(TOKEN)).rejects.toMatchObject({
        code: PartnerExceptionCode.ONBOARDING_LINK_NOT_FOUND,
      });
      expect(links.findByTokenHash).toHaveBeenCalledTimes(1);
    });
  });

  describe('accept', () => {
    beforeEach(() => {
      links.findByTokenHash.mockResolvedValue({ link: buildOnboardingLink(), partnerName: 'Fabrikam IT' });
      tenants.get.mockResolvedValue({} as Awaited<ReturnType<TenantsService['get']>>);
      links.accept.mockResolvedValue('accepted');
    });

    it("links the admin's tenant, audits it and sends them on to admin consent", async () => {
      grants.isGranted.mockResolvedValue(false);
      consent.start.mockResolvedValue({ redirectUrl: 'https://login.example.test/adminconsent' });
      const admin = buildTenantAdminPrincipal();

      await expect(sut.accept(TOKEN, admin, 'session-1')).resolves.toEqual({
        tenantId: CUSTOMER,
        partnerId: PARTNER,
        partnerName: 'Fabrikam IT',
        consentUrl: 'https://login.example.test/adminconsent',
      });
      expect(links.accept).toHaveBeenCalledWith({
        linkId: buildOnboardingLink().id,
        partnerId: PARTNER,
        tenantId: CUSTOMER,
        usedBy: admin.actor,
        at: PARTNER_NOW,
      });
      expect(consent.start).toHaveBeenCalledWith(CUSTOMER, 'session-1', admin.user);
      expect(audit.record).toHaveBeenCalledWith({
        actor: admin.actor,
        action: AuditAction.ONBOARDING_ACCEPTED,
        tenantId: CUSTOMER,
        details: {
          partnerIds: [PARTNER],
          partnerId: PARTNER,
          partnerName: 'Fabrikam IT',
          linkId: buildOnboardingLink().id,
          customerName: 'Contoso',
        },
      });
    });

    it('answers no consent URL when consent is granted already', async () => {
      grants.isGranted.mockResolvedValue(true);

      await expect(sut.accept(TOKEN, buildTenantAdminPrincipal(), 's')).resolves.toMatchObject({
        consentUrl: null,
      });
      expect(consent.start).not.toHaveBeenCalled();
    });

    it('registers a tenant that is not registered yet under the sign-in domain', async () => {
      tenants.get.mockRejectedValue(TenantException.notFound(CUSTOMER));
      tenants.create.mockResolvedValue({} as Awaited<ReturnType<TenantsService['create']>>);
      grants.isGranted.mockResolvedValue(true);
      const admin = buildTenantAdminPrincipal();

      await sut.accept(TOKEN, admin, 's');

      expect(tenants.create).toHaveBeenCalledWith(
        { tenantId: CUSTOMER, displayName: 'contoso.test' },
        admin.actor,
      );
    });

    it.each([
      ['a person without an admin role', buildTenantAdminPrincipal({ roles: [] })],
      ["a partner's staff member", buildStaffPrincipal('owner')],
    ])('refuses %s with ONBOARDING_TENANT_ADMIN_REQUIRED', async (_, principal) => {
      await expect(sut.accept(TOKEN, principal, 's')).rejects.toMatchObject({
        code: PartnerExceptionCode.ONBOARDING_TENANT_ADMIN_REQUIRED,
      });
      expect(links.accept).not.toHaveBeenCalled();
    });

    it.each([
      ['used', { usedAt: PARTNER_NOW }, PartnerExceptionCode.ONBOARDING_LINK_USED],
      ['revoked', { revokedAt: PARTNER_NOW }, PartnerExceptionCode.ONBOARDING_LINK_REVOKED],
      ['expired', { expiresAt: PARTNER_NOW }, PartnerExceptionCode.ONBOARDING_LINK_EXPIRED],
    ])('refuses a %s link before touching the tenant', async (_, overrides, code) => {
      links.findByTokenHash.mockResolvedValue({
        link: buildOnboardingLink(overrides),
        partnerName: 'Fabrikam IT',
      });

      await expect(sut.accept(TOKEN, buildTenantAdminPrincipal(), 's')).rejects.toMatchObject({ code });
      expect(tenants.get).not.toHaveBeenCalled();
      expect(links.accept).not.toHaveBeenCalled();
    });

    it('answers the loser of two concurrent accepts with ONBOARDING_LINK_USED', async () => {
      links.accept.mockResolvedValue('link-closed');
      links.findByTokenHash
        .mockResolvedValueOnce({ link: buildOnboardingLink(), partnerName: 'Fabrikam IT' })
        .mockResolvedValueOnce({
          link: buildOnboardingLink({ usedAt: PARTNER_NOW }),
          partnerName: 'Fabrikam IT',
        });

      await expect(sut.accept(TOKEN, buildTenantAdminPrincipal(), 's')).rejects.toMatchObject({
        code: PartnerExceptionCode.ONBOARDING_LINK_USED,
      });
      expect(audit.record).not.toHaveBeenCalled();
    });

    it('refuses a tenant another partner manages with TENANT_ALREADY_MANAGED', async () => {
      links.accept.mockResolvedValue('tenant-managed');

      await expect(sut.accept(TOKEN, buildTenantAdminPrincipal(), 's')).rejects.toMatchObject({
        code: PartnerExceptionCode.TENANT_ALREADY_MANAGED,
      });
      expect(audit.record).not.toHaveBeenCalled();
    });
  });
});
