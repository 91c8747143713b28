import type { AuditEventRecord, PartnerRepository } from '../../persistence/repositories';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import { buildMember, buildPartner, PARTNER, PARTNER_NOW } from '../../../test/support/partner.factory';
import { AuditAction } from '../audit/audit-action';
import type { AuditService } from '../audit/audit.service';
import { PartnerExceptionCode } from './partners.exception';
import { PartnersService } from './partners.service';

describe(PartnersService.name, () => {
  let sut: PartnersService;
  let partners: jest.Mocked<PartnerRepository>;
  let audit: jest.Mocked<AuditService>;

  beforeEach(() => {
    partners = strictDouble<PartnerRepository>('PartnerRepository');
    audit = strictDouble<AuditService>('AuditService');
    audit.record.mockResolvedValue({} as AuditEventRecord);
    sut = new PartnersService(partners, audit, new FixedClock(PARTNER_NOW));
  });

  describe('create', () => {
    it('creates the partner with its first Owner (lower-cased) and audits it', async () => {
      partners.insertWithOwner.mockImplementation(async (partner) => partner);

      const created = await sut.create({ name: ' Fabrikam IT ', ownerUpn: 'Ana@Fabrikam.test' }, 'cli:op');

      expect(created).toEqual({
        partnerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        name: 'Fabrikam IT',
        createdAt: PARTNER_NOW.toISOString(),
      });
      const [partner, owner] = partners.insertWithOwner.mock.calls[0]!;
      expect(partner).toMatchObject({ id: created.partnerId, name: 'Fabrikam IT', createdBy: 'cli:op' });
      expect(owner).toMatchObject({
        partnerId: created.partnerId,
        upn: 'ana@fabrikam.test',
        role: 'owner',
        homeTenantId: null,
      });
      expect(audit.record).toHaveBeenCalledWith({
        actor: 'cli:op',
        action: AuditAction.PARTNER_CREATED,
        tenantId: null,
        details: {
          partnerIds: [created.partnerId],
          partnerId: created.partnerId,
          name: 'Fabrikam IT',
          owner: 'ana@fabrikam.test',
        },
      });
    });

    it('refuses a name in use with PARTNER_EXISTS and audits nothing', async () => {
      partners.insertWithOwner.mockResolvedValue(null);

      await expect(
        sut.create({ name: 'Fabrikam IT', ownerUpn: 'ana@fabrikam.test' }, 'cli:op'),
      ).rejects.toMatchObject({ code: PartnerExceptionCode.PARTNER_EXISTS });
      expect(audit.record).not.toHaveBeenCalled();
    });

    it.each([
      ['a blank name', { name: '  ', ownerUpn: 'ana@fabrikam.test' }, /name the partner/],
      [
        'a malformed sign-in name',
        { name: 'Fabrikam IT', ownerUpn: 'ana' },
        /ownerUpn: upn must be a sign-in name/,
      ],
    ])('refuses %s with PARTNER_INVALID_REQUEST', async (_, request, message) => {
      await expect(sut.create(request, 'cli:op')).rejects.toMatchObject({
        code: PartnerExceptionCode.PARTNER_INVALID_REQUEST,
        message: expect.stringMatching(message),
      });
      expect(partners.insertWithOwner).not.toHaveBeenCalled();
    });
  });

  describe('get and resolve', () => {
    it('answers an unknown or malformed id with PARTNER_NOT_FOUND without asking the database for junk', async () => {
      partners.findById.mockResolvedValue(null);

      await expect(sut.get(PARTNER)).rejects.toMatchObject({ code: PartnerExceptionCode.PARTNER_NOT_FOUND });
      await expect(sut.get('not-a-guid')).rejects.toMatchObject({
        code: PartnerExceptionCode.PARTNER_NOT_FOUND,
      });
      expect(partners.findById).toHaveBeenCalledTimes(1);
    });

    it('resolves a partner by id or by name', async () => {
      partners.findById.mockResolvedValue(buildPartner());
      partners.findByName.mockResolvedValue(buildPartner({ name: 'Northwind' }));

      await expect(sut.resolve(PARTNER.toUpperCase())).resolves.toMatchObject({ id: PARTNER });
      expect(partners.findById).toHaveBeenCalledWith(PARTNER);
      await expect(sut.resolve(' Northwind ')).resolves.toMatchObject({ name: 'Northwind' });
      expect(partners.findByName).toHaveBeenCalledWith('Northwind');
    });
  });

  describe('staff', () => {
    beforeEach(() => {
      partners.findById.mockResolvedValue(buildPartner());
    });

    it('adds a person with a role and audits it', async () => {
      partners.insertMember.mockResolvedValue(true);

      await expect(
        sut.addStaff(PARTNER, { upn: ' Ben@Fabrikam.test ', role: 'viewer' }, 'user:ana@fabrikam.test'),
      ).resolves.toEqual({
        upn: 'ben@fabrikam.test',
        role: 'viewer',
        homeTenantId: null,
        addedAt: PARTNER_NOW.toISOString(),
        addedBy: 'user:ana@fabrikam.test',
      });
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({
          action: AuditAction.PARTNER_STAFF_ADDED,
          tenantId: null,
          details: { partnerIds: [PARTNER], partnerId: PARTNER, upn: 'ben@fabrikam.test', role: 'viewer' },
        }),
      );
    });

    it('refuses a person on the staff already with STAFF_EXISTS', async () => {
      partners.insertMember.mockResolvedValue(false);

      await expect(
        sut.addStaff(PARTNER, { upn: 'ben@fabrikam.test', role: 'admin' }, 'a'),
      ).rejects.toMatchObject({
        code: PartnerExceptionCode.STAFF_EXISTS,
      });
      expect(audit.record).not.toHaveBeenCalled();
    });

    it('changes a role and audits the previous one', async () => {
      partners.findMember.mockResolvedValue(buildMember({ upn: 'ben@fabrikam.test', role: 'viewer' }));
      partners.changeMemberRole.mockResolvedValue('changed');

      await expect(sut.changeRole(PARTNER, 'BEN@fabrikam.test', 'operator', 'a')).resolves.toMatchObject({
        upn: 'ben@fabrikam.test',
        role: 'operator',
      });
      expect(partners.changeMemberRole).toHaveBeenCalledWith(PARTNER, 'ben@fabrikam.test', 'operator');
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({
          action: AuditAction.PARTNER_STAFF_CHANGED,
          details: expect.objectContaining({ role: 'operator', previousRole: 'viewer' }),
        }),
      );
    });

    it('refuses to demote or remove the last Owner with STAFF_LAST_OWNER', async () => {
      partners.findMember.mockResolvedValue(buildMember());
      partners.changeMemberRole.mockResolvedValue('last-owner');
      partners.removeMember.mockResolvedValue('last-owner');

      await expect(sut.changeRole(PARTNER, 'ana@fabrikam.test', 'admin', 'a')).rejects.toMatchObject({
        code: PartnerExceptionCode.STAFF_LAST_OWNER,
      });
      await expect(sut.removeStaff(PARTNER, 'ana@fabrikam.test', 'a')).rejects.toMatchObject({
        code: PartnerExceptionCode.STAFF_LAST_OWNER,
      });
      expect(audit.record).not.toHaveBeenCalled();
    });

    it('answers an unknown person with STAFF_NOT_FOUND', async () => {
      partners.findMember.mockResolvedValue(null);

      await expect(sut.removeStaff(PARTNER, 'nobody@fabrikam.test', 'a')).rejects.toMatchObject({
        code: PartnerExceptionCode.STAFF_NOT_FOUND,
      });
      expect(partners.removeMember).not.toHaveBeenCalled();
    });

    it('removes a person and audits it', async () => {
      partners.findMember.mockResolvedValue(buildMember({ upn: 'ben@fabrikam.test', role: 'admin' }));
      partners.removeMember.mockResolvedValue('changed');

      await expect(sut.removeStaff(PARTNER, 'ben@fabrikam.test', 'a')).resolves.toBeUndefined();
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({
          action: AuditAction.PARTNER_STAFF_REMOVED,
          details: expect.objectContaining({ upn: 'ben@fabrikam.test', role: 'admin' }),
        }),
      );
    });
  });
});
