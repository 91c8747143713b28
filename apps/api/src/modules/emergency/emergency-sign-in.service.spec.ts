import { FixedClock, strictDouble } from '../../../test/support/doubles';
import type { BreakGlassAccountEntity, TenantEntity } from '../../persistence/entities';
import type { BreakGlassAccountRepository, TenantRepository } from '../../persistence/repositories';
import { AuditAction } from '../audit/audit-action';
import type { AuditService } from '../audit/audit.service';
import type { PayloadCodec } from '../backup-storage/codec/payload-codec';
import type { NotificationService } from '../notifications/notification.service';
import { EmergencySignInService } from './emergency-sign-in.service';
import type { EmergencyLimits } from './emergency-limits';
import { EmergencyExceptionCode } from './emergency.exception';
import type { EmergencyService } from './emergency.service';
import type { PasswordHasher } from './password-hasher';
import type { Totp } from './totp';

const NOW = new Date('2026-12-07T10:00:00.000Z');
const TENANT = '5b1d3c2a-8f6e-4d7c-9a0b-1c2d3e4f5a6b';
const PARTNER = '0c9e8d7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f';
const ADDRESS = '203.0.113.7';
const MINUTE = 60_000;
const LIMITS: EmergencyLimits = {
  perAccount: { maxFailures: 5, windowMs: 15 * MINUTE, blockMs: 15 * MINUTE },
  perAddress: { maxFailures: 8, windowMs: 15 * MINUTE, blockMs: 15 * MINUTE },
};

function buildAccount(overrides: Partial<BreakGlassAccountEntity> = {}): BreakGlassAccountEntity {
  return Object.assign(
    {
      id: 'acc-1',
      tenantId: TENANT,
      username: 'break.glass',
      passwordHash: 'scrypt$stored',
      totpSecretSealed: Buffer.from('sealed').toString('base64'),
      lastUsedStep: null,
      failedAttempts: 0,
      lockedUntil: null,
      createdAt: NOW,
      createdBy: 'user:ana@contoso.test',
      lastUsedAt: null,
      lastUsedAddress: null,
    },
    overrides,
  ) as BreakGlassAccountEntity;
}

describe(EmergencySignInService.name, () => {
  let sut: EmergencySignInService;
  let clock: FixedClock;
  let accounts: jest.Mocked<BreakGlassAccountRepository>;
  let tenants: jest.Mocked<TenantRepository>;
  let emergency: jest.Mocked<EmergencyService>;
  let hasher: jest.Mocked<PasswordHasher>;
  let totp: jest.Mocked<Totp>;
  let codec: jest.Mocked<PayloadCodec>;
  let audit: jest.Mocked<AuditService>;
  let notifications: jest.Mocked<NotificationService>;
  let account: BreakGlassAccountEntity;
  let failures: number;

  const attempt = (overrides: Partial<{ username: string; password: string; code: string }> = {}) =>
    sut.signIn(
      { tenantId: TENANT, username: 'break.glass', password: 'right password', code: '123456', ...overrides },
      ADDRESS,
    );

  beforeEach(() => {
    clock = new FixedClock(NOW);
    accounts = strictDouble<BreakGlassAccountRepository>('BreakGlassAccountRepository');
    tenants = strictDouble<TenantRepository>('TenantRepository');
    emergency = strictDouble<EmergencyService>('EmergencyService');
    hasher = strictDouble<PasswordHasher>('PasswordHasher');
    totp = strictDouble<Totp>('Totp');
    codec = strictDouble<PayloadCodec>('PayloadCodec');
    audit = strictDouble<AuditService>('AuditService');
    notifications = strictDouble<NotificationService>('NotificationService');
    sut = new EmergencySignInService(
      accounts,
      tenants,
      emergency,
      hasher,
      totp,
      codec,
      audit,
      notifications,
      clock,
      LIMITS,
    );

    account = buildAccount();
    failures = 0;
    tenants.findById.mockResolvedValue({
      id: TENANT,
      displayName: 'Contoso',
      partnerId: PARTNER,
    } as TenantEntity);
    accounts.findByUsername.mockImplementation(async (_tenant, username) =>
      username === account.username ? account : null,
    );
    accounts.recordFailure.mockImplementation(async (_id, now, max, lockMs) => {
      failures += 1;
      const lockedUntil = failures >= max ? new Date(now.getTime() + lockMs) : null;
      account = buildAccount({ failedAttempts: failures, lockedUntil });
      return { failedAttempts: failures, lockedUntil };
    });
    accounts.recordSuccess.mockResolvedValue(true);
    hasher.dummyHash.mockResolvedValue('scrypt$dummy');
    hasher.verify.mockImplementation(
      async (password, stored) => stored === 'scrypt$stored' && password === 'right password',
    );
    codec.openText.mockReturnValue('SECRET');
    totp.check.mockImplementation(async (_secret, code) => (code === '123456' ? 58_000_000 : null));
    audit.record.mockResolvedValue({} as Awaited<ReturnType<AuditService['record']>>);
    emergency.notificationTargets.mockResolvedValue([{ channel: 'email', recipient: 'soc@contoso.test' }]);
    notifications.notify.mockResolvedValue({ ids: ['n1'], delivered: Promise.resolve() });
  });

  it('signs in with the right password and code, records the step, audits and notifies', async () => {
    await expect(attempt()).resolves.toEqual({
      accountId: 'acc-1',
      tenantId: TENANT,
      username: 'break.glass',
    });

    expect(codec.openText).toHaveBeenCalledWith(Buffer.from('sealed'), 'entra-backup/break-glass-totp/acc-1');
    expect(accounts.recordSuccess).toHaveBeenCalledWith('acc-1', 58_000_000, NOW, ADDRESS);
    expect(audit.record).toHaveBeenCalledWith({
      actor: { actor: 'emergency:break.glass', principalKind: 'emergency', address: ADDRESS },
      action: AuditAction.EMERGENCY_SIGNED_IN,
      tenantId: TENANT,
      details: { accountId: 'acc-1', username: 'break.glass' },
    });
    expect(emergency.notificationTargets).toHaveBeenCalledWith(TENANT, PARTNER);
    expect(notifications.notify).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'emergency.sign-in', tenantId: TENANT, partnerId: PARTNER }),
      [{ channel: 'email', recipient: 'soc@contoso.test' }],
    );
  });

  it('answers an unknown user name exactly as a wrong password, after hashing all the same', async () => {
    const unknown = await attempt({ username: 'nobody' }).catch((e: unknown) => e);
    const wrong = await attempt({ password: 'wrong password' }).catch((e: unknown) => e);

    expect(unknown).toMatchObject({ code: EmergencyExceptionCode.EMERGENCY_SIGN_IN_FAILED });
    expect(wrong).toMatchObject({ code: EmergencyExceptionCode.EMERGENCY_SIGN_IN_FAILED });
    expect((unknown as Error).message).toBe((wrong as Error).message);
    expect(hasher.verify).toHaveBeenCalledWith('right password', 'scrypt$dummy');
    expect(totp.check).not.toHaveBeenCalled();
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({
        action: AuditAction.EMERGENCY_SIGN_IN_REFUSED,
        outcome: 'refused',
        details: { username: 'nobody', reason: 'unknown tenant or user name' },
      }),
    );
  });

  it('refuses a code whose step was already used (the conditional write lost)', async () => {
    accounts.recordSuccess.mockResolvedValue(false);

    await expect(attempt()).rejects.toMatchObject({ code: EmergencyExceptionCode.EMERGENCY_SIGN_IN_FAILED });
    expect(notifications.notify).not.toHaveBeenCalled();
    expect(accounts.recordFailure).toHaveBeenCalledTimes(1);
  });

  it('locks the account at the fifth consecutive failure for 15 minutes, even for the right code', async () => {
    for (let i = 0; i < 5; i++) {
      await expect(attempt({ code: '000000' })).rejects.toMatchObject({
        code: EmergencyExceptionCode.EMERGENCY_SIGN_IN_FAILED,
      });
    }
    clock.set(new Date(NOW.getTime() + MINUTE));

    const locked = await attempt().catch((e: unknown) => e);

    expect(locked).toMatchObject({
      code: EmergencyExceptionCode.EMERGENCY_ACCOUNT_LOCKED,
      retryAfterSeconds: 14 * 60,
    });
    expect(accounts.recordSuccess).not.toHaveBeenCalled();
    expect(audit.record).toHaveBeenLastCalledWith(
      expect.objectContaining({ details: { username: 'break.glass', reason: 'locked' } }),
    );

    clock.set(new Date(NOW.getTime() + 15 * MINUTE));
    await expect(attempt()).resolves.toMatchObject({ accountId: 'acc-1' });
  });

  it('keeps the lock the account carries (set by another process) after a restart', async () => {
    account = buildAccount({ lockedUntil: new Date(NOW.getTime() + 10 * MINUTE), failedAttempts: 5 });

    await expect(attempt()).rejects.toMatchObject({
      code: EmergencyExceptionCode.EMERGENCY_ACCOUNT_LOCKED,
      retryAfterSeconds: 10 * 60,
    });
  });

  it('locks an unknown user name alike, so a lock tells nothing about which names exist', async () => {
    for (let i = 0; i < 5; i++) await attempt({ username: 'nobody', code: '000000' }).catch(() => undefined);

    await expect(attempt({ username: 'nobody' })).rejects.toMatchObject({
      code: EmergencyExceptionCode.EMERGENCY_ACCOUNT_LOCKED,
    });
  });

  it('refuses an address after too many failures, and reports the block once', async () => {
    for (let i = 0; i < 8; i++) {
      await attempt({ username: `name-${i}`, code: '000000' }).catch(() => undefined);
    }
    audit.record.mockClear();

    const first = await attempt().catch((e: unknown) => e);
    const second = await attempt().catch((e: unknown) => e);

    expect(first).toMatchObject({
      code: EmergencyExceptionCode.EMERGENCY_RATE_LIMITED,
      retryAfterSeconds: 900,
    });
    expect(second).toMatchObject({ code: EmergencyExceptionCode.EMERGENCY_RATE_LIMITED });
    expect(audit.record).toHaveBeenCalledTimes(1);
    expect(audit.record).toHaveBeenCalledWith(
      expect.objectContaining({ details: { username: 'break.glass', reason: 'rate-limited' } }),
    );
    expect(hasher.verify).toHaveBeenCalledTimes(8);
  });

  it('records a failure without a tenant when the tenant is not registered', async () => {
    tenants.findById.mockResolvedValue(null);

    await expect(attempt()).rejects.toMatchObject({ code: EmergencyExceptionCode.EMERGENCY_SIGN_IN_FAILED });
    expect(accounts.findByUsername).not.toHaveBeenCalled();
    expect(audit.record).toHaveBeenCalledWith(expect.objectContaining({ tenantId: null }));
  });

  it('signs in even when the notification cannot be recorded', async () => {
    notifications.notify.mockRejectedValue(new Error('database is locked'));

    await expect(attempt()).resolves.toMatchObject({ accountId: 'acc-1' });
  });
});
