import { type BackupRunSummary, backupRunSummarySchema, type ObjectTypeKey } from '@entra-backup/common';
import type { GraphClient, GraphClientFactory } from '@entra-backup/graph';
import type { Clock } from '../../core/clock/clock';
import type {
  BackupRunReportRepository,
  RunReportRecord,
} from '../../persistence/repositories/backup-run-report.repository';
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
import type { BrowseIndexService } from '../browse/browse-index.service';
import type { ReconciliationPolicyService } from './reconciliation-policy.service';
import type { BackupRunEvents } from './backup-run-events';

const TENANT = '7a1c4f0e-1111-4222-8333-444455556666';
const NOW = new Date('2026-11-26T06:00:00Z');
const POLICY: BackupPolicy = { leaseTtlMs: 60_000 };
const DAY_MS = 86_400_000;

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

/** The report of a finished run, `daysAgo` days before NOW. */
function report(
  runId: string,
  daysAgo: number,
  figures: { snapshotId: string | null; bytesStored: number; users?: number },
): RunReportRecord {
  const finishedAt = new Date(NOW.getTime() - daysAgo * 86_400_000);
  const startedAt = new Date(finishedAt.getTime() - 4_000);
  const status = figures.snapshotId === null ? 'failed' : 'completed';
  const summary: BackupRunSummary = {
    runId,
    snapshotId: figures.snapshotId,
    status,
    mode: 'full',
    trigger: 'schedule',
    actor: 'schedule',
    counts: { users: figures.users ?? 0 },
    types: {},
    requests: 12,
    retries: 0,
    throttledWaits: 0,
    throttledWaitMs: 0,
    bytesStored: figures.bytesStored,
    durationMs: 4_000,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
  };
  return {
    runId,
    tenantId: TENANT,
    trigger: 'schedule',
    actor: 'schedule',
    mode: 'full',
    types: ['users'],
    status,
    startedAt,
    finishedAt,
    reason: null,
    summary,
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
  let published: jest.Mock;

  let countsAt: Record<string, Record<string, number>>;
  let summarized: RunReportRecord[];
  let reconcileEveryMs: number;
  let comparison: Awaited<ReturnType<BackupReaderService['compare']>>;
  let storedObjects: Record<string, Record<string, unknown>>;
  let granted: readonly string[] | null;

  beforeEach(() => {
    granted = null;
    countsAt = { users: { users: 7 } };
    summarized = [];
    reconcileEveryMs = 7 * DAY_MS;
    comparison = new Map();
    storedObjects = {};
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
    published = jest.fn();
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
      'listSnapshots' | 'countsAt' | 'deltaLinks' | 'watermark' | 'objectsAt' | 'compare' | 'objectsByIds'
    > = {
      compare: () => Promise.resolve(comparison),
      objectsByIds: (_tenant, snapshotId, _type, _collection, ids) =>
        Promise.resolve(
          new Map(
            ids.flatMap((id) => {
              const object = storedObjects[`${snapshotId}/${id}`];
              return object === undefined ? [] : [[id, object] as const];
            }),
          ),
        ),
      listSnapshots: (_tenant, page = {}) =>
        Promise.resolve({ items: snapshots.slice(0, page.limit ?? 50), total: snapshots.length }),
      countsAt: () => Promise.resolve(countsAt),
      deltaLinks: () => Promise.resolve([]),
      watermark: () => Promise.resolve(null),
      objectsAt: async function* () {
        return;
      },
    };
    const reports: Pick<
      BackupRunReportRepository,
      | 'insertRunning'
      | 'finish'
      | 'markInterrupted'
      | 'find'
      | 'listByTenant'
      | 'findRunning'
      | 'listSummarized'
    > = {
      findRunning: jest.fn().mockResolvedValue([]),
      insertRunning: jest.fn().mockResolvedValue(undefined),
      finish: finished,
      markInterrupted: jest.fn().mockResolvedValue(0),
      find: jest.fn().mockResolvedValue(null),
      listByTenant: jest.fn().mockResolvedValue({ items: [], total: 0 }),
      listSummarized: () => Promise.resolve(summarized),
    };
    const graph: Pick<GraphClientFactory, 'forTenant'> = {
      forTenant: () => {
        if (!graphConfigured) throw new GraphNotConfiguredError();
        return {} as GraphClient;
      },
    };
    const settings: Pick<SettingsService, 'get' | 'grantedPermissions'> = {
      get: () => Promise.resolve({ tenantId: TENANT, enabledTypes: { users: true, groups: false } } as never),
      grantedPermissions: () => Promise.resolve(granted),
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
      { intervalMs: () => Promise.resolve(reconcileEveryMs) } as unknown as ReconciliationPolicyService,
      { ensureIndexed: () => Promise.resolve(0) } as unknown as BrowseIndexService,
      POLICY,
      { publish: published } as unknown as BackupRunEvents,
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

  it("reconciles fully once the last full snapshot is as old as the tenant's interval, with the run that is due then", async () => {
    reconcileEveryMs = 3 * DAY_MS;
    snapshots = [snapshot('incremental', 1), snapshot('full', 2.9)];
    await run();
    expect(modeOfLastRun()).toBe('incremental');
    // A scheduled run a few minutes early for the slot still reconciles.
    snapshots = [snapshot('incremental', 1), snapshot('full', 3 - 10 / 1440)];
    await run();
    expect(modeOfLastRun()).toBe('full');
  });

  it('reports the drift a full run found: objects and links no reported or derived change explains', async () => {
    snapshots = [snapshot('incremental', 1), snapshot('full', 8)];
    const previous = snapshots[0]!.id;
    engineRun.mockImplementation((request) =>
      Promise.resolve(
        request.types.map((type) => ({
          ...outcome(type),
          explained: new Map([['users', new Set(['explained'])]]),
        })),
      ),
    );
    comparison = new Map([
      ['users/users', { onlyA: ['gone'], onlyB: ['explained', 'new'], changed: ['u1'] }],
    ]);
    storedObjects = {
      [`${previous}/gone`]: { id: 'gone', displayName: 'Gone' },
      'snap-1/new': { id: 'new', displayName: 'New' },
      [`${previous}/u1`]: { id: 'u1', displayName: 'Ada', manager: { id: 'old-boss' } },
      'snap-1/u1': { id: 'u1', displayName: 'Ada', manager: null },
    };

    const summary = await run();

    expect(modeOfLastRun()).toBe('full');
    expect(engineRun.mock.calls.at(-1)![0].reconcile).toBe(true);
    expect(summary.drift).toEqual({
      objects: 3,
      links: 1,
      types: { users: { objects: 3, links: 1 } },
      items: [
        { type: 'users', collection: 'users', objectId: 'gone', name: 'Gone', kind: 'stale', links: [] },
        { type: 'users', collection: 'users', objectId: 'new', name: 'New', kind: 'missing', links: [] },
        {
          type: 'users',
          collection: 'users',
          objectId: 'u1',
          name: 'Ada',
          kind: 'changed',
          links: [{ relation: 'manager', added: [], removed: ['old-boss'] }],
        },
      ],
      truncated: false,
    });
  });

  it('measures no drift on a first backup or an incremental run', async () => {
    await expect(run()).resolves.not.toHaveProperty('drift');
    expect(engineRun.mock.calls.at(-1)![0].reconcile).toBeUndefined();
    snapshots = [snapshot('full', 1)];
    await expect(run()).resolves.not.toHaveProperty('drift');
  });

  it('reconciles fully when the last full snapshot is too old, and whenever asked to', async () => {
    snapshots = [snapshot('full', 7)];
    await run();
    expect(modeOfLastRun()).toBe('full');
    snapshots = [snapshot('full', 1)];
    await run(true);
    expect(modeOfLastRun()).toBe('full');
  });

  it('hands the recorded consent to the engine and reports the collections it skipped with their reason', async () => {
    granted = ['User.Read.All'];
    const skipped = {
      collection: 'authenticationMethods',
      reason:
        "Not backed up: the tenant's consent lacks UserAuthenticationMethod.Read.All; grant admin consent again in Settings",
      missingPermissions: ['UserAuthenticationMethod.Read.All'],
    };
    engineRun.mockImplementation((request) =>
      Promise.resolve(request.types.map((type) => ({ ...outcome(type), skippedCollections: [skipped] }))),
    );

    const summary = await run();

    expect(engineRun.mock.calls.at(-1)![0].grantedPermissions).toEqual(['User.Read.All']);
    expect(summary.types.users).toMatchObject({ status: 'succeeded', skippedCollections: [skipped] });
    expect(backupRunSummarySchema.parse(summary).types.users?.skippedCollections).toEqual([skipped]);
  });

  it('lets Graph decide when no consent is recorded', async () => {
    granted = null;
    await run();
    expect(engineRun.mock.calls.at(-1)![0]).not.toHaveProperty('grantedPermissions');
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

  it('counts added, changed and removed in the primary collection, and the other collections beside it', async () => {
    // Issue #10: "Added" 56 next to "Objects" 36 for built-in roles: the assignments were added in.
    countsAt = { builtInRoles: { roleDefinitions: 36, roleAssignments: 20, roleEligibilitySchedules: 0 } };
    writer.commit.mockResolvedValue({
      runId: 'run-1',
      snapshotId: 'snap-1',
      seq: 2,
      status: 'completed',
      types: [
        {
          typeKey: 'builtInRoles',
          added: 56,
          changed: 1,
          removed: 2,
          bytesStored: 99,
          byCollection: [
            { collection: 'roleDefinitions', added: 36, changed: 0, removed: 0 },
            { collection: 'roleAssignments', added: 20, changed: 1, removed: 2 },
          ],
        },
      ],
    });
    const summary = await sut.runBackup(TENANT, { types: ['builtInRoles'], trigger: 'cli', actor: 'cli:me' });
    expect(summary.types.builtInRoles).toMatchObject({
      objects: 36,
      added: 36,
      changed: 0,
      removed: 0,
      related: [{ collection: 'roleAssignments', objects: 20, added: 20, changed: 1, removed: 2 }],
    });
  });

  describe('history', () => {
    it('gives one point per visible snapshot in the window, oldest first, with storage growth over all runs', async () => {
      snapshots = [
        { ...snapshot('full', 1), id: 'snap-3', seq: 3 },
        { ...snapshot('full', 40), id: 'snap-1', seq: 1 },
      ];
      summarized = [
        report('run-1', 40, { snapshotId: 'snap-1', bytesStored: 1_000, users: 5 }),
        report('run-2', 20, { snapshotId: null, bytesStored: 10 }),
        // Its snapshot is no longer visible (discarded by a later recovery): no point.
        report('run-gone', 10, { snapshotId: 'snap-2', bytesStored: 5 }),
        report('run-3', 1, { snapshotId: 'snap-3', bytesStored: 200, users: 7 }),
      ];

      await expect(sut.history(TENANT, 30)).resolves.toEqual({
        days: 30,
        from: '2026-10-27T06:00:00.000Z',
        points: [
          {
            snapshotId: 'snap-3',
            seq: 3,
            runId: 'run-3',
            at: '2026-11-25T06:00:00.000Z',
            startedAt: '2026-11-25T05:59:56.000Z',
            status: 'completed',
            mode: 'full',
            trigger: 'schedule',
            counts: { users: 7 },
            durationMs: 4_000,
            requests: 12,
            bytesStored: 200,
            totalBytesStored: 1_215,
          },
        ],
      });
    });

    it('reaches back as far as asked', async () => {
      snapshots = [{ ...snapshot('full', 40), id: 'snap-1', seq: 1 }];
      summarized = [report('run-1', 40, { snapshotId: 'snap-1', bytesStored: 1_000 })];
      await expect(sut.history(TENANT, 60)).resolves.toMatchObject({
        points: [{ seq: 1, totalBytesStored: 1_000 }],
      });
    });
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
    expect(writer.abort).toHaveBeenCalledWith(expect.stringContaining('lease taken over'), 'failed');
    expect(finished).toHaveBeenCalledWith('run-1', expect.objectContaining({ status: 'failed' }));
    expect(released).toHaveBeenCalledTimes(1);
    expect(published).toHaveBeenCalledWith(expect.objectContaining({ runId: 'run-1', status: 'failed' }));
  });

  it('records a run stopped because the service is stopping as interrupted, raising no failure', async () => {
    engineRun.mockImplementation(async (request) => {
      sut.onModuleDestroy();
      expect(request.signal?.aborted).toBe(true);
      return request.types.map(outcome);
    });
    await expect(run()).rejects.toThrow('The service is stopping');
    expect(writer.commit).not.toHaveBeenCalled();
    expect(writer.abort).toHaveBeenCalledWith('The backup stopped: The service is stopping', 'interrupted');
    expect(finished).toHaveBeenCalledWith('run-1', {
      status: 'interrupted',
      finishedAt: NOW,
      reason: 'The service is stopping',
      summary: null,
    });
    expect(released).toHaveBeenCalledTimes(1);
    // No "backup failed" alert: the service was stopped, nothing failed.
    expect(published).not.toHaveBeenCalled();
    await expect(sut.beforeApplicationShutdown()).resolves.toBeUndefined();
  });
});
