import { DEFAULT_RETENTION_POLICY, type TenantResponse } from '@entra-backup/common';
import type { AuditEventRecord } from '../../persistence/repositories';
import type { BackupPruneRepository } from '../../persistence/repositories/backup-prune.repository';
import type {
  PruneRunRecord,
  RetentionPolicyRepository,
  StoredRetentionPolicy,
} from '../../persistence/repositories/retention-policy.repository';
import { FixedClock, strictDouble } from '../../../test/support/doubles';
import { AuditAction } from '../audit/audit-action';
import type { AuditService } from '../audit/audit.service';
import type { BackupLease, BackupLeaseService } from '../backup-storage/backup-lease.service';
import type { TenantsService } from '../tenants/tenants.service';
import { type PruneOutcome, PruneEvents } from './prune-events';
import { RetentionService } from './retention.service';

const ID = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const NOW = new Date('2026-12-07T12:00:00.000Z');
const DAY = 86_400_000;
const tenant: TenantResponse = { tenantId: ID, displayName: 'Contoso', createdAt: '', updatedAt: '' };
const lease: BackupLease = { tenantId: ID, holderId: 'me', ttlMs: 60_000, expiresAt: NOW };

function stored(overrides: Partial<StoredRetentionPolicy> = {}): StoredRetentionPolicy {
  return {
    tenantId: ID,
    policy: DEFAULT_RETENTION_POLICY,
    legalHold: false,
    legalHoldReason: null,
    updatedAt: NOW,
    updatedBy: 'user:a@contoso.com',
    ...overrides,
  };
}

describe(RetentionService.name, () => {
  let sut: RetentionService;
  let policies: jest.Mocked<RetentionPolicyRepository>;
  let storage: jest.Mocked<BackupPruneRepository>;
  let leases: jest.Mocked<BackupLeaseService>;
  let audit: jest.Mocked<AuditService>;
  let outcomes: PruneOutcome[];

  beforeEach(() => {
    const tenants = strictDouble<TenantsService>('TenantsService');
    tenants.get.mockResolvedValue(tenant);
    policies = strictDouble<RetentionPolicyRepository>('RetentionPolicyRepository');
    storage = strictDouble<BackupPruneRepository>('BackupPruneRepository');
    leases = strictDouble<BackupLeaseService>('BackupLeaseService');
    audit = strictDouble<AuditService>('AuditService');
    audit.record.mockResolvedValue({} as AuditEventRecord);
    policies.find.mockResolvedValue(null);
    policies.latestRun.mockResolvedValue(null);
    policies.save.mockResolvedValue();
    policies.insertRun.mockResolvedValue();
    policies.finishRun.mockResolvedValue();
    policies.failAbandonedRuns.mockResolvedValue([]);
    leases.tryAcquire.mockResolvedValue(lease);
    leases.keepAlive.mockReturnValue({ stop: () => undefined });
    leases.release.mockResolvedValue();
    storage.visibleSnapshots.mockResolvedValue([
      { id: 'old', seq: 1, createdAt: new Date(NOW.getTime() - 500 * DAY) },
      { id: 'new', seq: 2, createdAt: new Date(NOW.getTime() - DAY) },
    ]);
    storage.pinnedSnapshotIds.mockResolvedValue(new Set());
    const events = new PruneEvents();
    outcomes = [];
    events.subscribe((outcome) => {
      outcomes.push(outcome);
    });
    sut = new RetentionService(tenants, policies, storage, leases, audit, new FixedClock(NOW), events);
  });

  describe('getSettings', () => {
    it('answers the defaults, without a hold, while no policy is saved', async () => {
      await expect(sut.getSettings(ID)).resolves.toMatchObject({
        policy: DEFAULT_RETENTION_POLICY,
        isDefault: true,
        legalHold: false,
        lastPrune: null,
      });
    });
  });

  describe('update', () => {
    it('saves a changed policy and audits before and after', async () => {
      const policy = { ...DEFAULT_RETENTION_POLICY, monthlyMonths: 24 };
      await sut.update(ID, { policy }, 'user:a@contoso.com');

      expect(policies.save).toHaveBeenCalledWith(expect.objectContaining({ policy, legalHold: false }));
      expect(audit.record).toHaveBeenCalledTimes(1);
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({
          action: AuditAction.RETENTION_UPDATED,
          details: { before: DEFAULT_RETENTION_POLICY, after: policy },
        }),
      );
    });

    it('audits placing a legal hold with its reason, and releasing it', async () => {
      await sut.update(ID, { legalHold: true, legalHoldReason: 'Case 42' }, 'user:a@contoso.com');
      expect(audit.record).toHaveBeenLastCalledWith(
        expect.objectContaining({ action: AuditAction.LEGAL_HOLD_PLACED, details: { reason: 'Case 42' } }),
      );

      policies.find.mockResolvedValue(stored({ legalHold: true, legalHoldReason: 'Case 42' }));
      await sut.update(ID, { legalHold: false }, 'user:a@contoso.com');
      expect(policies.save).toHaveBeenLastCalledWith(
        expect.objectContaining({ legalHold: false, legalHoldReason: null }),
      );
      expect(audit.record).toHaveBeenLastCalledWith(
        expect.objectContaining({ action: AuditAction.LEGAL_HOLD_RELEASED }),
      );
    });

    it('writes nothing when nothing changes', async () => {
      policies.find.mockResolvedValue(stored());
      await sut.update(ID, { policy: DEFAULT_RETENTION_POLICY, legalHold: false }, 'user:a@contoso.com');
      expect(policies.save).not.toHaveBeenCalled();
      expect(audit.record).not.toHaveBeenCalled();
    });
  });

  describe('prune', () => {
    it('does nothing under a legal hold: records, audits and announces a held prune', async () => {
      policies.find.mockResolvedValue(stored({ legalHold: true, legalHoldReason: 'Case 42' }));

      const run = await sut.prune(ID, { trigger: 'schedule', by: 'schedule' });

      expect(run).toMatchObject({ status: 'held', reason: 'A legal hold suspends pruning (Case 42)' });
      expect(leases.tryAcquire).not.toHaveBeenCalled();
      expect(policies.insertRun).toHaveBeenCalledWith(expect.objectContaining({ status: 'held' }));
      expect(outcomes).toEqual([{ tenantId: ID, run }]);
    });

    it('skips a tenant whose backup is running', async () => {
      leases.tryAcquire.mockResolvedValue(null);
      const run = await sut.prune(ID, { trigger: 'schedule', by: 'schedule' });
      expect(run).toMatchObject({ status: 'skipped', reason: 'A backup of the tenant is running' });
    });

    it('makes expired snapshots invisible first, then collects versions and logs, under the lease', async () => {
      storage.markPruned.mockResolvedValue(1);
      storage.collectVersions
        .mockResolvedValueOnce({ rows: 3, blobs: 2, bytes: 200 })
        .mockResolvedValueOnce({ rows: 0, blobs: 0, bytes: 0 });
      storage.collectLogs
        .mockResolvedValueOnce({ rows: 4, blobs: 4, bytes: 40 })
        .mockResolvedValueOnce({ rows: 0, blobs: 0, bytes: 0 });

      const run = await sut.prune(ID, { trigger: 'api', by: 'user:a@contoso.com' });

      expect(storage.markPruned).toHaveBeenCalledWith(ID, ['old']);
      expect(storage.collectLogs).toHaveBeenCalledWith(
        ID,
        new Date(NOW.getTime() - 365 * DAY),
        expect.anything(),
      );
      expect(run).toMatchObject({
        status: 'completed',
        freed: { snapshots: 1, objectVersions: 3, logEntries: 4, blobs: 6, bytes: 240 },
      });
      expect(leases.release).toHaveBeenCalledWith(lease);
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({ action: AuditAction.PRUNE_RUN, outcome: 'success' }),
      );
    });

    it('reports a failure with its reason: recorded, audited as failed and announced', async () => {
      storage.markPruned.mockRejectedValue(new Error('disk I/O error'));

      const run = await sut.prune(ID, { trigger: 'schedule', by: 'schedule' });

      expect(run).toMatchObject({ status: 'failed', reason: 'disk I/O error' });
      expect(policies.finishRun).toHaveBeenCalledWith(
        expect.objectContaining<Partial<PruneRunRecord>>({ status: 'failed', reason: 'disk I/O error' }),
      );
      expect(audit.record).toHaveBeenCalledWith(
        expect.objectContaining({ action: AuditAction.PRUNE_RUN, outcome: 'failed' }),
      );
      expect(outcomes.map((o) => o.run.status)).toEqual(['failed']);
      expect(leases.release).toHaveBeenCalledWith(lease);
    });
    it('reports a prune that was killed midway as failed before pruning again', async () => {
      const killed: PruneRunRecord = {
        id: 'killed',
        tenantId: ID,
        trigger: 'schedule',
        status: 'failed',
        actor: 'schedule',
        startedAt: new Date(NOW.getTime() - DAY),
        finishedAt: NOW,
        freed: { snapshots: 3, objectVersions: 0, logEntries: 0, blobs: 0, bytes: 0 },
        reason: 'The prune stopped before it finished (process ended); the next prune completed its work',
      };
      policies.failAbandonedRuns.mockResolvedValue([killed]);
      storage.markPruned.mockResolvedValue(1);
      storage.collectVersions.mockResolvedValue({ rows: 0, blobs: 0, bytes: 0 });
      storage.collectLogs.mockResolvedValue({ rows: 0, blobs: 0, bytes: 0 });

      await sut.prune(ID, { trigger: 'schedule', by: 'schedule' });

      expect(outcomes.map((o) => [o.run.id, o.run.status])).toEqual([
        ['killed', 'failed'],
        [expect.any(String), 'completed'],
      ]);
    });
  });

  describe('pruneDue', () => {
    it('prunes only tenants whose last prune is a day old or more', async () => {
      const tenants = strictDouble<TenantsService>('TenantsService');
      tenants.list.mockResolvedValue({ items: [tenant, { ...tenant, tenantId: 'other' }] });
      tenants.get.mockImplementation((id) => Promise.resolve({ ...tenant, tenantId: id }));
      policies.lastFinishedAt.mockResolvedValue(
        new Map([
          [ID, new Date(NOW.getTime() - 2 * 3_600_000)],
          ['other', new Date(NOW.getTime() - DAY)],
        ]),
      );
      policies.find.mockResolvedValue(stored({ legalHold: true }));
      sut = new RetentionService(
        tenants,
        policies,
        storage,
        leases,
        audit,
        new FixedClock(NOW),
        new PruneEvents(),
      );

      const runs = await sut.pruneDue();

      expect(runs).toHaveLength(1);
      expect(policies.insertRun).toHaveBeenCalledWith(expect.objectContaining({ tenantId: 'other' }));
    });
  });
});
