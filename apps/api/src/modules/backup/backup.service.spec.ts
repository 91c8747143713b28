import type { ObjectTypeKey } from '@entra-backup/common';
import type { GraphClient, GraphClientFactory } from '@entra-backup/graph';
import type { Clock } from '../../core/clock/clock';
import type { BackupRunReportRepository } from '../../persistence/repositories/backup-run-report.repository';
import type { SnapshotRecord } from '../../persistence/repositories/backup-snapshot.repository';
import type { AuditService } from '../audit/audit.service';
import type { BackupLease, BackupLeaseService } from '../backup-storage/backup-lease.service';
import type { BackupReaderService } from '../backup-storage/backup-reader.service';
import type { BackupWriterService } from '../backup-storage/backup-writer.service';
import type { SnapshotWriter } from '../backup-storage/snapshot-writer';
import type { EngineRunRequest, EngineTypeOutcome, ExportEngine } from '../exporters/engine';
import { GraphNotConfiguredError } from '../graph/configured-graph-client.factory';
import type { SettingsService } from '../settings/settings.service';
import { BackupExceptionCode } from './backup.exception';
import { BackupService, type BackupPolicy } from './backup.service';

const TENANT = '7a1c4f0e-1111-4222-8333-444455556666';
const NOW = new Date('2026-11-26T06:00:00Z');
const POLICY: BackupPolicy = { reconcileEveryRuns: 3, reconcileAfterMs: 6 * 86_400_000, leaseTtlMs: 60_000 };

function snapshot(mode: 'full' | 'incremental', daysAgo: number): SnapshotRecord {
  const at = new Date(NOW.getTime() - daysAgo * 86_400_000);
  return {
    id: `s-${mode}-${daysAgo}`,
    tenantId: TENANT,
    seq: 1,
    runId: 'r',
    mode,
    status: 'complete',
    createdAt: at,
    completedAt: at,
  };
}

function outcome(type: ObjectTypeKey): EngineTypeOutcome {
  return {
    type,
    status: 'succeeded',
    requests: 3,
    minimumRequests: 2,
    retries: 0,
    throttledWaits: 0,
    throttledWaitMs: 0,
    durationMs: 5,
    objectsRead: 4,
  };
}

describe(BackupService.name, () => {
  let sut: BackupService;
  let snapshots: SnapshotRecord[];
  let lease: BackupLease | null;
  let onLeaseLost: ((error: unknown) => void) | undefined;
  let engineRun: jest.Mock<Promise<EngineTypeOutcome[]>, [EngineRunRequest]>;
  let beginSnapshot: jest.Mock;
  let writer: { runId: string; snapshotId: string; commit: jest.Mock; abort: jest.Mock };
  let graphConfigured: boolean;
  let finished: jest.Mock;
  let released: jest.Mock;

  beforeEach(() => {
    snapshots = [];
    lease = { tenantId: TENANT, holderId: 'me', ttlMs: 60_000, expiresAt: NOW };
    graphConfigured = true;
    onLeaseLost = undefined;
    writer = {
      runId: 'run-1',
      snapshotId: 'snap-1',
      commit: jest.fn().mockResolvedValue({
        runId: 'run-1',
        snapshotId: 'snap-1',
        seq: 2,
        status: 'completed',
        types: [{ typeKey: 'users', added: 1, changed: 2, removed: 0, bytesStored: 99 }],
      }),
      abort: jest.fn().mockResolvedValue(undefined),
    };
    beginSnapshot = jest.fn().mockResolvedValue(writer as unknown as SnapshotWriter);
    engineRun = jest.fn((request: EngineRunRequest) => Promise.resolve(request.types.map(outcome)));
    finished = jest.fn().mockResolvedValue(true);
    released = jest.fn().mockResolvedValue(undefined);
    const leases: Pick<BackupLeaseService, 'tryAcquire' | 'currentHolder' | 'keepAlive' | 'release'> = {
      tryAcquire: () => Promise.resolve(lease),
      currentHolder: () =>
        Promise.resolve({
          tenantId: TENANT,
          holderId: 'host-b:42:abcd',
          expiresAt: NOW,
          acquiredAt: NOW,
        } as never),
      keepAlive: (_lease, lost) => {
        onLeaseLost = lost;
        return { stop: () => undefined };
      },
      release: released,
    };
    const reader: Pick<
      BackupReaderService,
      'listSnapshots' | 'countsAt' | 'deltaLinks' | 'watermark' | 'objectsAt'
    > = {
      listSnapshots: (_tenant, page = {}) =>
        Promise.resolve({ items: snapshots.slice(0, page.limit ?? 50), total: snapshots.length }),
      countsAt: () => Promise.resolve({ users: { users: 7 } }),
      deltaLinks: () => Promise.resolve([]),
      watermark: () => Promise.resolve(null),
      objectsAt: async function* () {
        return;
      },
    };
    const reports: Pick<
      BackupRunReportRepository,
      'insertRunning' | 'finish' | 'markInterrupted' | 'find' | 'listByTenant' | 'findRunning'
    > = {
      findRunning: jest.fn().mockResolvedValue([]),
      insertRunning: jest.fn().mockResolvedValue(undefined),
      finish: finished,
      markInterrupted: jest.fn().mockResolvedValue(0),
      find: jest.fn().mockResolvedValue(null),
      listByTenant: jest.fn().mockResolvedValue({ items: [], total: 0 }),
    };
    const graph: Pick<GraphClientFactory, 'forTenant'> = {
      forTenant: () => {
        if (!graphConfigured) throw new GraphNotConfiguredError();
        return {} as GraphClient;
      },
    };
    const settings: Pick<SettingsService, 'get'> = {
      get: () => Promise.resolve({ tenantId: TENANT, enabledTypes: { users: true, groups: false } } as never),
    };
    const audit: Pick<AuditService, 'record'> = { record: jest.fn().mockResolvedValue({}) };
    const clock: Clock = { now: () => NOW };
    sut = new BackupService(
      { beginSnapshot } as unknown as BackupWriterService,
      reader as BackupReaderService,
      leases as BackupLeaseService,
      settings as SettingsService,
      audit as AuditService,
      graph as GraphClientFactory,
      reports as BackupRunReportRepository,
      { run: engineRun } as unknown as ExportEngine,
      clock,
      POLICY,
    );
  });

  const run = (full?: boolean) =>
    sut.runBackup(TENANT, {
      trigger: 'schedule',
      actor: 'schedule',
      ...(full === undefined ? {} : { full }),
    });
  const modeOfLastRun = () => (beginSnapshot.mock.calls.at(-1)![1] as { mode: string }).mode;

  it('runs the first backup of a tenant in full, over its enabled types', async () => {
    await expect(run()).resolves.toMatchObject({ mode: 'full', status: 'completed', counts: { users: 7 } });
    expect(beginSnapshot).toHaveBeenCalledWith(TENANT, { mode: 'full', types: ['users'] });
  });

  it('replays changes after a recent full snapshot', async () => {
    snapshots = [snapshot('incremental', 1), snapshot('full', 2)];
    await run();
    expect(modeOfLastRun()).toBe('incremental');
  });

  it('reconciles fully after the configured number of incremental runs', async () => {
    snapshots = [
      snapshot('incremental', 1),
      snapshot('incremental', 1),
      snapshot('incremental', 1),
      snapshot('full', 2),
    ];
    await run();
    expect(modeOfLastRun()).toBe('full');
  });

  it('reconciles fully when the last full snapshot is too old, and whenever asked to', async () => {
    snapshots = [snapshot('full', 7)];
    await run();
    expect(modeOfLastRun()).toBe('full');
    snapshots = [snapshot('full', 1)];
    await run(true);
    expect(modeOfLastRun()).toBe('full');
  });

  it('reports the run figures: requests against the minimum, bytes, added and changed', async () => {
    const summary = await run();
    expect(summary).toMatchObject({
      requests: 3,
      minimumRequests: 2,
      bytesStored: 99,
      types: { users: { status: 'succeeded', objects: 7, added: 1, changed: 2 } },
    });
    expect(finished).toHaveBeenCalledWith('run-1', expect.objectContaining({ status: 'completed', summary }));
    expect(released).toHaveBeenCalledTimes(1);
  });

  it('refuses to start while another holder has the lease, naming it', async () => {
    lease = null;
    await expect(run()).rejects.toMatchObject({
      code: BackupExceptionCode.BACKUP_ALREADY_RUNNING,
      message: expect.stringContaining('host-b:42:abcd'),
    });
    expect(beginSnapshot).not.toHaveBeenCalled();
  });

  it('says Graph is not configured before taking the lease', async () => {
    graphConfigured = false;
    await expect(run()).rejects.toMatchObject({ code: BackupExceptionCode.GRAPH_NOT_CONFIGURED });
    expect(beginSnapshot).not.toHaveBeenCalled();
  });

  it('stops and discards the snapshot when the lease is lost mid-run', async () => {
    engineRun.mockImplementation(async (request) => {
      onLeaseLost!(new Error('lease taken over'));
      expect(request.signal?.aborted).toBe(true);
      return request.types.map(outcome);
    });
    await expect(run()).rejects.toThrow('lease taken over');
    expect(writer.commit).not.toHaveBeenCalled();
    expect(writer.abort).toHaveBeenCalledWith(expect.stringContaining('lease taken over'));
    expect(finished).toHaveBeenCalledWith('run-1', expect.objectContaining({ status: 'failed' }));
    expect(released).toHaveBeenCalledTimes(1);
  });
});
