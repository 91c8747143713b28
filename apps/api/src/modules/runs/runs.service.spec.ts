import type { BackupProgressEvent, BackupRunListItem, BackupRunSummary } from '@entra-backup/common';
import { lastValueFrom, of, toArray } from 'rxjs';
import { BackupException, BackupExceptionCode } from '../backup/backup.exception';
import type { BackupService } from '../backup/backup.service';
import { ConsentExceptionCode } from '../consent/consent.exception';
import type { ConsentGrantsService } from '../consent/consent-grants.service';
import { RunsService } from './runs.service';

const TENANT = '6b1a4c2e-0f3d-4e5a-9b8c-7d6e5f4a3b2c';
const OTHER_TENANT = '0c9d8e7f-6a5b-4c3d-2e1f-0a9b8c7d6e5f';
const RUN = '1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b';

function buildRun(overrides: Partial<BackupRunListItem> = {}): BackupRunListItem {
  return {
    runId: RUN,
    tenantId: TENANT,
    status: 'running',
    mode: 'full',
    trigger: 'manual',
    actor: 'user:admin@contoso.test',
    types: ['users'],
    startedAt: '2026-11-26T06:00:00.000Z',
    finishedAt: null,
    reason: null,
    summary: null,
    ...overrides,
  };
}

function buildSummary(): BackupRunSummary {
  return {
    runId: RUN,
    snapshotId: 'snap',
    status: 'completed',
    mode: 'full',
    trigger: 'manual',
    actor: 'user:admin@contoso.test',
    counts: { users: 3 },
    types: { users: { status: 'succeeded', objects: 3, added: 3, changed: 0, removed: 0, requests: 1 } },
    requests: 1,
    retries: 0,
    throttledWaits: 0,
    throttledWaitMs: 0,
    bytesStored: 10,
    durationMs: 5,
    startedAt: '2026-11-26T06:00:00.000Z',
    finishedAt: '2026-11-26T06:00:00.005Z',
  };
}

type BackupDouble = jest.Mocked<
  Pick<BackupService, 'startBackup' | 'listRuns' | 'getRun' | 'progress' | 'isRunning' | 'history'>
>;

describe(RunsService.name, () => {
  let backups: BackupDouble;
  let consent: jest.Mocked<Pick<ConsentGrantsService, 'isGranted'>>;
  let sut: RunsService;

  beforeEach(() => {
    backups = {
      startBackup: jest.fn(),
      listRuns: jest.fn(),
      getRun: jest.fn(),
      progress: jest.fn(),
      isRunning: jest.fn(),
      history: jest.fn(),
    };
    consent = { isGranted: jest.fn().mockResolvedValue(true) };
    sut = new RunsService(
      backups as unknown as BackupService,
      consent as unknown as ConsentGrantsService,
      10,
    );
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  describe('startBackup', () => {
    it('starts a manual run of the enabled types as the signed-in user', async () => {
      backups.startBackup.mockResolvedValue({ runId: RUN });
      await expect(sut.startBackup(TENANT, {}, 'user:admin@contoso.test')).resolves.toEqual({ runId: RUN });
      expect(backups.startBackup).toHaveBeenCalledWith(TENANT, {
        trigger: 'manual',
        actor: 'user:admin@contoso.test',
      });
    });

    it('passes named types and a forced full run on', async () => {
      backups.startBackup.mockResolvedValue({ runId: RUN });
      await sut.startBackup(TENANT, { types: ['groups'], full: true }, 'user:a');
      expect(backups.startBackup).toHaveBeenCalledWith(TENANT, {
        types: ['groups'],
        full: true,
        trigger: 'manual',
        actor: 'user:a',
      });
    });

    it('refuses before admin consent without starting anything', async () => {
      consent.isGranted.mockResolvedValue(false);
      await expect(sut.startBackup(TENANT, {}, 'user:a')).rejects.toMatchObject({
        code: ConsentExceptionCode.CONSENT_REQUIRED,
      });
      expect(backups.startBackup).not.toHaveBeenCalled();
    });

    it('says plainly that a backup is already running when the lease is held', async () => {
      backups.startBackup.mockRejectedValue(BackupException.alreadyRunning(TENANT, 'held by other-host:123'));
      await expect(sut.startBackup(TENANT, {}, 'user:a')).rejects.toMatchObject({
        code: BackupExceptionCode.BACKUP_ALREADY_RUNNING,
        message: 'A backup is already running for this tenant; try again when it has finished',
      });
    });

    it('lets other failures through unchanged', async () => {
      const noTypes = BackupException.noTypes(TENANT);
      backups.startBackup.mockRejectedValue(noTypes);
      await expect(sut.startBackup(TENANT, {}, 'user:a')).rejects.toBe(noTypes);
    });
  });

  describe('history', () => {
    it("answers the tenant's history over the days asked for", async () => {
      const history = { days: 7, from: '2026-11-19T06:00:00.000Z', points: [] };
      backups.history.mockResolvedValue(history);
      await expect(sut.history(TENANT, { days: 7 })).resolves.toBe(history);
      expect(backups.history).toHaveBeenCalledWith(TENANT, 7);
    });
  });

  describe('getRun', () => {
    it('returns a run of the tenant', async () => {
      backups.getRun.mockResolvedValue(buildRun());
      await expect(sut.getRun(TENANT.toUpperCase(), RUN)).resolves.toMatchObject({ runId: RUN });
    });

    it('does not find a run of another tenant', async () => {
      backups.getRun.mockResolvedValue(buildRun({ tenantId: OTHER_TENANT }));
      await expect(sut.getRun(TENANT, RUN)).rejects.toMatchObject({
        code: BackupExceptionCode.BACKUP_RUN_NOT_FOUND,
      });
    });

    it('does not find an unknown run', async () => {
      backups.getRun.mockRejectedValue(BackupException.runNotFound(RUN));
      await expect(sut.getRun(TENANT, RUN)).rejects.toMatchObject({
        code: BackupExceptionCode.BACKUP_RUN_NOT_FOUND,
        message: `This tenant has no backup run ${RUN}`,
      });
    });
  });

  describe('progress', () => {
    const finished: BackupProgressEvent = {
      kind: 'run-finished',
      runId: RUN,
      summary: buildSummary(),
      at: 'x',
    };

    it('follows a run of this process', async () => {
      backups.getRun.mockResolvedValue(buildRun());
      backups.isRunning.mockReturnValue(true);
      const started: BackupProgressEvent = { kind: 'type-started', runId: RUN, type: 'users', at: 'x' };
      backups.progress.mockReturnValue(of(started, finished));
      const events = await lastValueFrom((await sut.progress(TENANT, RUN)).pipe(toArray()));
      expect(events.map((e) => e.kind)).toEqual(['type-started', 'run-finished']);
    });

    it('yields the final event of a finished run', async () => {
      backups.getRun.mockResolvedValue(buildRun({ status: 'completed', summary: buildSummary() }));
      backups.isRunning.mockReturnValue(false);
      backups.progress.mockReturnValue(of(finished));
      await expect(lastValueFrom(await sut.progress(TENANT, RUN))).resolves.toBe(finished);
    });

    it('re-reads a run another process drives until it has ended', async () => {
      jest.useFakeTimers();
      backups.isRunning.mockReturnValue(false);
      backups.getRun
        .mockResolvedValueOnce(buildRun())
        .mockResolvedValueOnce(buildRun())
        .mockResolvedValueOnce(buildRun({ status: 'completed', summary: buildSummary() }));
      backups.progress.mockReturnValue(of(finished));
      const received: BackupProgressEvent[] = [];
      const stream = await sut.progress(TENANT, RUN);
      let completed = false;
      stream.subscribe({ next: (e) => received.push(e), complete: () => (completed = true) });
      await jest.advanceTimersByTimeAsync(10);
      expect(received).toEqual([]);
      expect(backups.progress).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(10);
      expect(received).toEqual([finished]);
      expect(completed).toBe(true);
      expect(backups.getRun).toHaveBeenCalledTimes(3);
    });

    it('refuses a run of another tenant before streaming', async () => {
      backups.getRun.mockResolvedValue(buildRun({ tenantId: OTHER_TENANT }));
      await expect(sut.progress(TENANT, RUN)).rejects.toMatchObject({
        code: BackupExceptionCode.BACKUP_RUN_NOT_FOUND,
      });
      expect(backups.progress).not.toHaveBeenCalled();
    });
  });
});
