import type { Clock } from '../../core/clock/clock';
import type {
  ReconciliationRow,
  TenantReconciliationRepository,
} from '../../persistence/repositories/tenant-reconciliation.repository';
import type { AuditService } from '../audit/audit.service';
import type { SettingsService } from '../settings/settings.service';
import { BackupExceptionCode } from './backup.exception';
import { ReconciliationPolicyService } from './reconciliation-policy.service';

const TENANT = '7a1c4f0e-1111-4222-8333-444455556666';
const NOW = new Date('2026-11-26T06:00:00Z');

describe(ReconciliationPolicyService.name, () => {
  let sut: ReconciliationPolicyService;
  let stored: Map<string, ReconciliationRow>;
  let record: jest.Mock;

  beforeEach(() => {
    stored = new Map();
    record = jest.fn().mockResolvedValue({});
    const settings: Pick<SettingsService, 'get'> = {
      get: (id) => Promise.resolve({ tenantId: id.toLowerCase() } as never),
    };
    const policies: Pick<TenantReconciliationRepository, 'find' | 'save'> = {
      find: (id) => Promise.resolve(stored.get(id) ?? null),
      save: (id, everyDays, at) => {
        stored.set(id, { everyDays, updatedAt: at });
        return Promise.resolve();
      },
    };
    const clock: Clock = { now: () => NOW };
    sut = new ReconciliationPolicyService(
      settings as SettingsService,
      policies as TenantReconciliationRepository,
      { record } as unknown as AuditService,
      clock,
    );
  });

  it('reconciles weekly unless the tenant chose another interval', async () => {
    await expect(sut.get(TENANT)).resolves.toEqual({
      tenantId: TENANT,
      everyDays: 7,
      isDefault: true,
      updatedAt: null,
    });
    await expect(sut.intervalMs(TENANT)).resolves.toBe(7 * 86_400_000);
    await sut.update(TENANT.toUpperCase(), 2, 'user:admin');
    await expect(sut.intervalMs(TENANT)).resolves.toBe(2 * 86_400_000);
  });

  it('records a change in the audit trail once, and nothing when the interval stays', async () => {
    await expect(sut.update(TENANT, 14, 'user:admin')).resolves.toEqual({
      tenantId: TENANT,
      everyDays: 14,
      isDefault: false,
      updatedAt: NOW.toISOString(),
    });
    await sut.update(TENANT, 14, 'user:admin');
    expect(record).toHaveBeenCalledTimes(1);
    expect(record).toHaveBeenCalledWith(
      expect.objectContaining({ tenantId: TENANT, details: { reconcileEveryDays: { from: 7, to: 14 } } }),
    );
  });

  it.each([0, 91, 2.5])('refuses an interval of %s days', async (days) => {
    await expect(sut.update(TENANT, days, 'user:admin')).rejects.toMatchObject({
      code: BackupExceptionCode.BACKUP_INVALID_REQUEST,
    });
    expect(stored.size).toBe(0);
  });
});
