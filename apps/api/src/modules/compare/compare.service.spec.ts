import type {
  BackupRunListItem,
  BackupRunSummary,
  ObjectTypeKey,
  SettingsResponse,
  TenantResponse,
} from '@entra-backup/common';
import type { RunRecord, SnapshotRecord } from '../../persistence/repositories/backup-snapshot.repository';
import type { BackupReaderService, CollectionComparison } from '../backup-storage/backup-reader.service';
import { BackupException, BackupExceptionCode } from '../backup/backup.exception';
import type { BackupService } from '../backup/backup.service';
import type { RunBackupOptions } from '../backup/backup.types';
import type { SettingsService } from '../settings/settings.service';
import type { TenantsService } from '../tenants/tenants.service';
import { CompareExceptionCode } from './compare.exception';
import { CompareService } from './compare.service';

const TENANT = '6b1a4c2e-0f3d-4e5a-9b8c-7d6e5f4a3b2c';
const ACTOR = 'user:admin@contoso.test';
const ref = (id: string) => ({ '@odata.type': '#microsoft.graph.user', id });

function buildSnapshot(seq: number, runId: string): SnapshotRecord {
  return {
    id: `snap-${seq}`,
    tenantId: TENANT,
    seq,
    runId,
    mode: 'full',
    status: 'complete',
    createdAt: new Date('2026-12-01T00:00:00Z'),
    completedAt: new Date('2026-12-01T00:01:00Z'),
  };
}

function buildRun(id: string, types: string[]): RunRecord {
  return {
    id,
    tenantId: TENANT,
    mode: 'full',
    status: 'completed',
    types,
    startedAt: new Date(`2026-12-0${id === 'run-live' ? 7 : 1}T00:00:00Z`),
    finishedAt: null,
    reason: null,
  };
}

/** Snapshot 1 (a scheduled backup), 2 (another), 3 (a live read of users only). */
const SNAPSHOTS: Record<
  string,
  { snapshot: SnapshotRecord; run: RunRecord; trigger: BackupRunListItem['trigger'] }
> = {
  '1': {
    snapshot: buildSnapshot(1, 'run-1'),
    run: buildRun('run-1', ['users', 'groups']),
    trigger: 'schedule',
  },
  '2': {
    snapshot: buildSnapshot(2, 'run-2'),
    run: buildRun('run-2', ['users', 'groups']),
    trigger: 'manual',
  },
  '3': { snapshot: buildSnapshot(3, 'run-live'), run: buildRun('run-live', ['users']), trigger: 'compare' },
};

const OBJECTS: Record<string, Record<string, unknown>> = {
  'snap-1/users/u1': { id: 'u1', displayName: 'Ada', department: 'Sales' },
  'snap-1/users/u2': { id: 'u2', displayName: 'Bob' },
  'snap-1/groups/g1': { id: 'g1', displayName: 'Sales', members: [ref('u1'), ref('u2')] },
  'snap-2/users/u1': { id: 'u1', displayName: 'Ada', department: 'Marketing' },
  'snap-2/users/u3': { id: 'u3', displayName: 'Cy' },
  'snap-2/groups/g1': { id: 'g1', displayName: 'Sales', members: [ref('u1'), ref('u3')] },
  'snap-3/users/u1': { id: 'u1', displayName: 'Ada', department: 'Legal' },
};

function comparison(a: string, b: string): Map<string, CollectionComparison> {
  if (a === 'snap-1' && (b === 'snap-2' || b === 'snap-3')) {
    return new Map([
      ['users/users', { onlyA: ['u2'], onlyB: b === 'snap-2' ? ['u3'] : [], changed: ['u1'] }],
      ['groups/groups', { onlyA: [], onlyB: [], changed: ['g1'] }],
      ['conditionalAccessPolicies/namedLocations', { onlyA: [], onlyB: ['l1'], changed: [] }],
      ['conditionalAccessPolicies/policies', { onlyA: [], onlyB: [], changed: [] }],
    ]);
  }
  return new Map();
}

type ReaderDouble = jest.Mocked<
  Pick<BackupReaderService, 'getSnapshotDetails' | 'compare' | 'objectsByIds' | 'countsAt'>
>;
type BackupDouble = jest.Mocked<Pick<BackupService, 'getRun' | 'runBackup' | 'startBackup'>>;

describe(CompareService.name, () => {
  let reader: ReaderDouble;
  let backups: BackupDouble;
  let settings: jest.Mocked<Pick<SettingsService, 'get'>>;
  let tenants: jest.Mocked<Pick<TenantsService, 'get'>>;
  let sut: CompareService;

  beforeEach(() => {
    reader = {
      getSnapshotDetails: jest.fn(async (_tenant: string, snapshotRef: string) => {
        const found = SNAPSHOTS[snapshotRef.replace(/^snap-/, '')];
        if (found === undefined) throw new Error(`no snapshot ${snapshotRef}`);
        return { snapshot: found.snapshot, run: found.run, types: [] };
      }),
      compare: jest.fn(async (_tenant: string, a: string, b: string) => comparison(a, b)),
      countsAt: jest.fn(async (_tenant: string, _snapshot: string) => ({
        users: { users: 2 },
        groups: { groups: 1 },
        signInLogs: { signIns: 3 },
      })),
      objectsByIds: jest.fn(
        async (
          _tenant: string,
          snapshot: string,
          _type: ObjectTypeKey,
          collection: string,
          ids: readonly string[],
        ) =>
          new Map(
            ids.flatMap((id) => {
              const object = OBJECTS[`${snapshot}/${collection}/${id}`];
              return object === undefined ? [] : [[id, object] as [string, unknown]];
            }),
          ),
      ),
    };
    backups = {
      getRun: jest.fn(async (runId: string) => {
        const found = Object.values(SNAPSHOTS).find((s) => s.run.id === runId)!;
        return { trigger: found.trigger } as BackupRunListItem;
      }),
      runBackup: jest.fn(
        async (_tenant: string, _options: RunBackupOptions) =>
          ({
            snapshotId: 'snap-3',
            types: { users: { status: 'succeeded' } },
          }) as unknown as BackupRunSummary,
      ),
      startBackup: jest.fn(async (_tenant: string, _options: RunBackupOptions) => ({ runId: 'run-live' })),
    };
    settings = {
      get: jest.fn(
        async (_tenant: string) =>
          ({ enabledTypes: { users: true, groups: false, signInLogs: true } }) as unknown as SettingsResponse,
      ),
    };
    tenants = { get: jest.fn(async (_tenant: string) => ({ tenantId: TENANT }) as TenantResponse) };
    sut = new CompareService(
      tenants as unknown as TenantsService,
      reader as unknown as BackupReaderService,
      backups as unknown as BackupService,
      settings as unknown as SettingsService,
    );
  });

  describe('summary', () => {
    it('counts per type, primary objects apart from secondary collections, without decrypting anything', async () => {
      const summary = await sut.summary(TENANT, { from: '1', to: '2' }, ACTOR);

      expect(summary.from).toEqual({
        snapshotId: 'snap-1',
        seq: 1,
        takenAt: '2026-12-01T00:00:00.000Z',
        live: false,
      });
      expect(summary.types).toEqual([
        {
          type: 'users',
          label: 'Users',
          log: false,
          primary: { added: 1, changed: 1, removed: 1 },
          collections: [{ collection: 'users', primary: true, added: 1, changed: 1, removed: 1 }],
        },
        expect.objectContaining({ type: 'groups', primary: { added: 0, changed: 1, removed: 0 } }),
        {
          type: 'conditionalAccessPolicies',
          label: 'Conditional Access policies',
          log: false,
          primary: { added: 0, changed: 0, removed: 0 },
          collections: [{ collection: 'namedLocations', primary: false, added: 1, changed: 0, removed: 0 }],
        },
      ]);
      expect(summary.totals).toEqual({ added: 2, changed: 2, removed: 1 });
      expect(reader.objectsByIds).not.toHaveBeenCalled();
    });

    it('keeps to the types asked for', async () => {
      const summary = await sut.summary(TENANT, { from: '1', to: '2', types: ['groups'] }, ACTOR);
      expect(summary.types.map((t) => t.type)).toEqual(['groups']);
    });

    it('refuses a comparison of log types only', async () => {
      await expect(
        sut.summary(TENANT, { from: '1', to: '2', types: ['signInLogs'] }, ACTOR),
      ).rejects.toMatchObject({
        code: CompareExceptionCode.COMPARE_NO_TYPES,
      });
    });
  });

  describe('objects', () => {
    it('names each object and gives its properties old → new and its members added and removed by name', async () => {
      const users = await sut.objects(
        TENANT,
        { from: '1', to: '2', type: 'users', page: 1, pageSize: 50 },
        ACTOR,
      );
      expect(users.total).toBe(3);
      expect(users.items).toEqual([
        { collection: 'users', primary: true, id: 'u3', name: 'Cy', change: 'added', properties: [] },
        {
          collection: 'users',
          primary: true,
          id: 'u1',
          name: 'Ada',
          change: 'changed',
          properties: [{ kind: 'value', path: 'department', old: 'Sales', new: 'Marketing' }],
        },
        { collection: 'users', primary: true, id: 'u2', name: 'Bob', change: 'removed', properties: [] },
      ]);

      const groups = await sut.objects(
        TENANT,
        { from: '1', to: '2', type: 'groups', page: 1, pageSize: 50 },
        ACTOR,
      );
      expect(groups.items[0]?.properties).toEqual([
        {
          kind: 'references',
          path: 'members',
          added: [{ id: 'u3', name: 'Cy', kind: 'user' }],
          removed: [{ id: 'u2', name: 'Bob', kind: 'user' }],
        },
      ]);
    });

    it('pages and filters by change, decrypting only the objects of the page', async () => {
      const page = await sut.objects(
        TENANT,
        { from: '1', to: '2', type: 'users', change: 'removed', page: 1, pageSize: 1 },
        ACTOR,
      );
      expect(page).toMatchObject({
        total: 1,
        page: 1,
        pageSize: 1,
        items: [{ id: 'u2', change: 'removed' }],
      });
      expect(reader.objectsByIds).toHaveBeenCalledTimes(1);
      expect(reader.objectsByIds).toHaveBeenCalledWith(TENANT, 'snap-1', 'users', 'users', ['u2']);
    });
  });

  describe('live', () => {
    it('reads the live tenant with a backup of the compared types and compares only those', async () => {
      const summary = await sut.summary(TENANT, { from: '1', to: 'live', types: ['users', 'groups'] }, ACTOR);

      expect(backups.runBackup).toHaveBeenCalledWith(TENANT, {
        types: ['users', 'groups'],
        trigger: 'compare',
        actor: ACTOR,
      });
      expect(summary.to).toMatchObject({ snapshotId: 'snap-3', seq: 3, live: true });
      // The live read covered users only (as snapshot 3's run says): groups would show older changes.
      expect(summary.types.map((t) => t.type)).toEqual(['users']);
    });

    it('reads the types the compared snapshot holds, without log types, when none are named', async () => {
      await sut.summary(TENANT, { from: '1', to: 'live' }, ACTOR);
      expect(reader.countsAt).toHaveBeenCalledWith(TENANT, 'snap-1');
      expect(backups.runBackup).toHaveBeenCalledWith(TENANT, {
        types: ['users', 'groups'],
        trigger: 'compare',
        actor: ACTOR,
      });
    });

    it('reads the enabled types, without log types, when neither types nor a snapshot are named', async () => {
      await expect(sut.startLiveRead(TENANT, {}, ACTOR)).resolves.toEqual({ runId: 'run-live' });
      expect(backups.startBackup).toHaveBeenCalledWith(TENANT, {
        types: ['users'],
        trigger: 'compare',
        actor: ACTOR,
      });
    });

    it('refuses while a backup of the tenant runs', async () => {
      backups.runBackup.mockRejectedValue(BackupException.alreadyRunning(TENANT));
      await expect(sut.summary(TENANT, { from: '1', to: 'live' }, ACTOR)).rejects.toMatchObject({
        code: BackupExceptionCode.BACKUP_ALREADY_RUNNING,
        message: expect.stringContaining('compare with the live tenant when it has finished'),
      });
    });

    it('reports a type the live read could not read', async () => {
      backups.runBackup.mockResolvedValue({
        snapshotId: 'snap-3',
        types: { users: { status: 'failed', reason: 'Forbidden' } },
      } as unknown as BackupRunSummary);
      await expect(sut.summary(TENANT, { from: '1', to: 'live' }, ACTOR)).rejects.toMatchObject({
        code: CompareExceptionCode.COMPARE_LIVE_READ_FAILED,
        message: expect.stringContaining('users: Forbidden'),
      });
    });
  });

  it('streams every object of every compared type for the downloads', async () => {
    const download = await sut.download(TENANT, { from: '1', to: '2' }, ACTOR);
    const seen: string[] = [];
    for await (const { type, object } of download.objects) seen.push(`${type}:${object.id}:${object.change}`);
    expect(seen).toEqual([
      'users:u3:added',
      'users:u1:changed',
      'users:u2:removed',
      'groups:g1:changed',
      'conditionalAccessPolicies:l1:added',
    ]);
  });
});
