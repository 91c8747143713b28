import { FixedClock, strictDouble } from '../../../test/support/doubles';
import type { BreakGlassAccountEntity, PartnerEntity } from '../../persistence/entities';
import type {
  BreakGlassAccountRepository,
  ContactsRecord,
  EmergencyContactRepository,
  NewBreakGlassAccount,
  PartnerRepository,
} from '../../persistence/repositories';
import { AuditAction } from '../audit/audit-action';
import type { AuditContext } from '../audit/audit-context';
import type { AuditService } from '../audit/audit.service';
import type { PayloadCodec } from '../backup-storage/codec/payload-codec';
import type { TenantsService } from '../tenants/tenants.service';
import { EmergencyExceptionCode } from './emergency.exception';
import { EmergencyService } from './emergency.service';
import type { PasswordHasher } from './password-hasher';
import { Totp } from './totp';

const NOW = new Date('2026-12-07T10:00:00.000Z');
const TENANT = '5b1d3c2a-8f6e-4d7c-9a0b-1c2d3e4f5a6b';
const PARTNER = '0c9e8d7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f';
const BY: AuditContext = { actor: 'user:ana@contoso.test', principalKind: 'person', address: '203.0.113.7' };

describe(EmergencyService.name, () => {
  let sut: EmergencyService;
  let accounts: jest.Mocked<BreakGlassAccountRepository>;
  let contacts: jest.Mocked<EmergencyContactRepository>;
  let partners: jest.Mocked<PartnerRepository>;
  let tenants: jest.Mocked<TenantsService>;
  let hasher: jest.Mocked<PasswordHasher>;
  let codec: jest.Mocked<PayloadCodec>;
  let audit: jest.Mocked<AuditService>;
  const saved = new Map<string, ContactsRecord>();

  beforeEach(() => {
    accounts = strictDouble<BreakGlassAccountRepository>('BreakGlassAccountRepository');
    contacts = strictDouble<EmergencyContactRepository>('EmergencyContactRepository');
    partners = strictDouble<PartnerRepository>('PartnerRepository');
    tenants = strictDouble<TenantsService>('TenantsService');
    hasher = strictDouble<PasswordHasher>('PasswordHasher');
    codec = strictDouble<PayloadCodec>('PayloadCodec');
    audit = strictDouble<AuditService>('AuditService');
    const clock = new FixedClock(NOW);
    sut = new EmergencyService(
      accounts,
      contacts,
      partners,
      tenants,
      hasher,
      new Totp(clock),
      codec,
      audit,
      clock,
    );

    saved.clear();
    tenants.get.mockResolvedValue({ tenantId: TENANT, displayName: 'Contoso', createdAt: '', updatedAt: '' });
    audit.record.mockResolvedValue({} as Awaited<ReturnType<AuditService['record']>>);
    contacts.find.mockImplementation(async (kind, id) => saved.get(`${kind}/${id}`) ?? null);
    contacts.save.mockImplementation(async (kind, id, record) => {
      saved.set(`${kind}/${id}`, record);
    });
  });

  describe('createAccount', () => {
    beforeEach(() => {
      accounts.findByUsername.mockResolvedValue(null);
      accounts.insert.mockImplementation(
        async (account: NewBreakGlassAccount) =>
          Object.assign(
            { lastUsedStep: null, failedAttempts: 0, lockedUntil: null, lastUsedAt: null },
            account,
          ) as BreakGlassAccountEntity,
      );
      hasher.hash.mockResolvedValue('scrypt$32768$8$1$salt$hash');
      codec.sealText.mockReturnValue(Buffer.from('sealed'));
    });

    it('stores the password hash and the TOTP secret sealed to the account, and shows the secret once', async () => {
      const created = await sut.createAccount(
        TENANT,
        { username: 'Break.Glass', password: 'a long password' },
        BY,
      );

      const stored = accounts.insert.mock.calls[0]![0];
      expect(stored).toMatchObject({
        tenantId: TENANT,
        username: 'break.glass',
        passwordHash: 'scrypt$32768$8$1$salt$hash',
        totpSecretSealed: Buffer.from('sealed').toString('base64'),
        createdBy: 'user:ana@contoso.test',
      });
      expect(hasher.hash).toHaveBeenCalledWith('a long password');
      expect(codec.sealText).toHaveBeenCalledWith(
        created.totp.secret,
        `entra-backup/break-glass-totp/${stored.id}`,
      );
      expect(created.totp.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(created.totp.otpauthUri).toContain(`secret=${created.totp.secret}`);
      expect(created.totp.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
      expect(created.account).toMatchObject({
        accountId: stored.id,
        username: 'break.glass',
        lockedUntil: null,
      });
      expect(audit.record).toHaveBeenCalledWith({
        actor: BY,
        action: AuditAction.BREAK_GLASS_ACCOUNT_CREATED,
        tenantId: TENANT,
        details: { accountId: stored.id, username: 'break.glass' },
      });
      expect(JSON.stringify(audit.record.mock.calls)).not.toContain('a long password');
    });

    it('refuses a user name the tenant already has', async () => {
      accounts.findByUsername.mockResolvedValue({ id: 'x' } as BreakGlassAccountEntity);

      await expect(
        sut.createAccount(TENANT, { username: 'break.glass', password: 'a long password' }, BY),
      ).rejects.toMatchObject({ code: EmergencyExceptionCode.BREAK_GLASS_USERNAME_TAKEN });
      expect(accounts.insert).not.toHaveBeenCalled();
    });
  });

  it('deletes an account of the tenant and audits it; an unknown one is not found', async () => {
    accounts.findById.mockImplementation(async (_tenant, id) =>
      id === 'acc-1' ? ({ id, username: 'break.glass' } as BreakGlassAccountEntity) : null,
    );
    accounts.delete.mockResolvedValue(true);

    await sut.deleteAccount(TENANT, 'acc-1', BY);
    await expect(sut.deleteAccount(TENANT, 'acc-2', BY)).rejects.toMatchObject({
      code: EmergencyExceptionCode.BREAK_GLASS_ACCOUNT_NOT_FOUND,
    });
    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ action: AuditAction.BREAK_GLASS_ACCOUNT_DELETED, tenantId: TENANT }),
    );
  });

  it("notifies the tenant's and the partner's contacts, and audits a webhook by its host only", async () => {
    partners.findById.mockResolvedValue({ id: PARTNER } as PartnerEntity);
    await sut.updateTenantContacts(
      TENANT,
      { emails: ['soc@contoso.test'], webhookUrl: 'https://hooks.contoso.test/services/T0/B0/secret-token' },
      BY,
    );
    await sut.updatePartnerContacts(PARTNER, { emails: ['noc@fabrikam.test'], webhookUrl: null }, BY);

    await expect(sut.notificationTargets(TENANT, PARTNER)).resolves.toEqual([
      { channel: 'email', recipient: 'soc@contoso.test', partnerId: null },
      {
        channel: 'webhook',
        recipient: 'https://hooks.contoso.test/services/T0/B0/secret-token',
        partnerId: null,
      },
      { channel: 'email', recipient: 'noc@fabrikam.test', partnerId: PARTNER },
    ]);
    await expect(sut.notificationTargets(TENANT, null)).resolves.toHaveLength(2);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: AuditAction.EMERGENCY_CONTACTS_UPDATED,
        tenantId: TENANT,
        details: { emails: ['soc@contoso.test'], webhookHost: 'hooks.contoso.test' },
      }),
    );
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: AuditAction.EMERGENCY_CONTACTS_UPDATED,
        tenantId: null,
        partnerId: PARTNER,
      }),
    );
    expect(JSON.stringify(audit.record.mock.calls)).not.toContain('secret-token');
  });

  it('answers an unknown partner with not found', async () => {
    partners.findById.mockResolvedValue(null);

    await expect(sut.partnerContacts(PARTNER)).rejects.toMatchObject({
      code: EmergencyExceptionCode.EMERGENCY_PARTNER_NOT_FOUND,
    });
  });
});
