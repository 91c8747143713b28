import { firstValueFrom, toArray } from 'rxjs';
import type { BackupProgressEvent } from '@entra-backup/common';
import { AuditAction } from '../../src/modules/audit/audit-action';
import { AuditService } from '../../src/modules/audit/audit.service';
import { BackupException, BackupExceptionCode, BackupService } from '../../src/modules/backup';
import {
  BackupLeaseService,
  BackupReaderService,
  BackupWriterService,
} from '../../src/modules/backup-storage';
import { ConsentGrantsService } from '../../src/modules/consent/consent-grants.service';
import { SettingsService } from '../../src/modules/settings/settings.service';
import { ownPermissionsOf, requiredReadPermissions } from '../../src/modules/exporters';
import { BackupRunReportRepository } from '../../src/persistence/repositories/backup-run-report.repository';
import { BackupSnapshotRepository } from '../../src/persistence/repositories/backup-snapshot.repository';
import { type BackupEngineHarness, startBackupEngineHarness } from '../support/backup-engine-harness';
import { testDatabases } from '../support/test-database';

describe.each(testDatabases())(`${BackupService.name} on %s`, (engine) => {
  jest.setTimeout(120_000);
  let h: BackupEngineHarness;
  let tenantId: string;
  let sut: BackupService;

  beforeAll(async () => {
    h = await startBackupEngineHarness({ usersPerTenant: 60, engine });
    tenantId = h.tenants[0]!;
    sut = h.app.get(BackupService);
    // Switching types on needs the product's record of admin consent.
    const at = new Date();
    await h.app.get(ConsentGrantsService, { strict: false }).save({
      tenantId,
      grantedRoles: requiredReadPermissions(),
      grantedBy: 'test',
      grantedAt: at,
      verifiedAt: at,
    });
  });

  afterAll(async () => {
    await h?.close();
  });

  beforeEach(async () => {
    h.emulator.reset();
    h.consent(tenantId, requiredReadPermissions());
    await h.renewGraphClient();
  });

  it('backs up the types enabled in the tenant settings when none are named', async () => {
    await h.app.get(SettingsService).update(tenantId, { users: true, devices: true }, 'cli:test');
    const summary = await sut.runBackup(tenantId, { trigger: 'schedule', actor: 'schedule' });

    expect(Object.keys(summary.types).sort()).toEqual(['devices', 'users']);
    expect(summary).toMatchObject({ status: 'completed', trigger: 'schedule', actor: 'schedule' });
    expect(summary.counts.users).toBe((await h.truth(tenantId, 'users')).length);
    expect(summary.bytesStored).toBeGreaterThan(0);
  });

  it("counts a type's primary objects apart from its other collections, so the figures add up", async () => {
    // Issue #10: "Added" larger than "Objects" for roles (assignments were counted in).
    const types = ['builtInRoles', 'conditionalAccessPolicies'] as const;
    const summary = await sut.runBackup(tenantId, {
      types: [...types],
      full: true,
      trigger: 'cli',
      actor: 'cli:test',
    });
    for (const type of types) {
      const result = summary.types[type]!;
      expect(result.added).toBeLessThanOrEqual(result.objects);
      expect(result.objects).toBe(summary.counts[type]);
    }
    const roles = summary.types.builtInRoles!;
    expect(roles.related).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ collection: 'roleAssignments', objects: expect.any(Number) }),
      ]),
    );
    const assignments = roles.related!.find((c) => c.collection === 'roleAssignments')!;
    expect(assignments.added).toBe(assignments.objects);
    expect(assignments.objects).toBeGreaterThan(0);
  });

  it('refuses a second run of the same tenant while one is running', async () => {
    const first = sut.runBackup(tenantId, {
      types: ['users', 'groups'],
      trigger: 'manual',
      actor: 'user:admin@contoso',
    });
    const second = sut.runBackup(tenantId, { types: ['users'], trigger: 'schedule', actor: 'schedule' });

    // Both ask for the tenant's lease at once; whichever wins runs, the other is refused.
    const outcomes = await Promise.allSettled([first, second]);
    const refused = outcomes.filter((o) => o.status === 'rejected');
    const ran = outcomes.filter((o) => o.status === 'fulfilled');
    expect(refused).toHaveLength(1);
    expect(ran).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
      code: BackupExceptionCode.BACKUP_ALREADY_RUNNING,
    });
    expect((ran[0] as PromiseFulfilledResult<unknown>).value).toMatchObject({ status: 'completed' });
    await expect(
      sut.runBackup(tenantId, { types: ['users'], trigger: 'manual', actor: 'api' }),
    ).resolves.toMatchObject({ status: 'completed' });
  });

  it('starts in the background and streams progress per type until the run ends', async () => {
    const { runId } = await sut.startBackup(tenantId, {
      types: ['users', 'groups'],
      full: true,
      trigger: 'manual',
      actor: 'user:admin@contoso',
    });
    const events: BackupProgressEvent[] = await firstValueFrom(sut.progress(runId).pipe(toArray()));

    expect(events[0]).toMatchObject({ kind: 'run-started', runId, types: ['users', 'groups'] });
    expect(
      events
        .filter((e) => e.kind === 'type-finished')
        .map((e) => e.kind === 'type-finished' && e.type)
        .sort(),
    ).toEqual(['groups', 'users']);
    expect(events.some((e) => e.kind === 'type-progress' && e.type === 'users' && e.read > 0)).toBe(true);
    const last = events[events.length - 1]!;
    expect(last).toMatchObject({ kind: 'run-finished', runId, summary: { status: 'completed' } });
    // After the end, progress yields the final event only.
    await expect(firstValueFrom(sut.progress(runId).pipe(toArray()))).resolves.toEqual([
      expect.objectContaining({ kind: 'run-finished', runId }),
    ]);
  });

  it('ends partial when some types fail, keeping the Graph code and request id, and failed with nothing visible when all fail', async () => {
    h.emulator.reset();
    h.consent(tenantId, ownPermissionsOf('users').read);
    await h.renewGraphClient();

    const partial = await sut.runBackup(tenantId, {
      types: ['users', 'groups'],
      trigger: 'cli',
      actor: 'cli:ops',
    });
    expect(partial.status).toBe('partial');
    expect(partial.snapshotId).not.toBeNull();
    expect(partial.types.groups).toMatchObject({
      status: 'failed',
      graphCode: 'Authorization_RequestDenied',
      requestId: expect.any(String),
    });

    const failed = await sut.runBackup(tenantId, { types: ['groups'], trigger: 'cli', actor: 'cli:ops' });
    expect(failed).toMatchObject({ status: 'failed', snapshotId: null });
    await expect(h.app.get(BackupReaderService).getSnapshot(tenantId, 'latest')).resolves.toMatchObject({
      id: partial.snapshotId,
    });
  });

  it('makes nothing visible when the run is aborted, and records it failed', async () => {
    const before = await h.app.get(BackupReaderService).listSnapshots(tenantId);
    const controller = new AbortController();
    const run = sut.runBackup(tenantId, {
      types: ['users'],
      full: true,
      trigger: 'manual',
      actor: 'api',
      signal: controller.signal,
      onProgress: (e) => {
        if (e.kind === 'type-progress') controller.abort(new Error('cancelled by the operator'));
      },
    });

    await expect(run).rejects.toThrow('cancelled by the operator');
    await expect(h.app.get(BackupReaderService).listSnapshots(tenantId)).resolves.toEqual(before);
    const runs = await sut.listRuns(tenantId, { page: 1, pageSize: 1 });
    expect(runs.items[0]).toMatchObject({
      status: 'failed',
      reason: 'cancelled by the operator',
      summary: null,
    });
  });

  it('lists runs newest first with their summaries, and records each run in the audit trail', async () => {
    const summary = await sut.runBackup(tenantId, {
      types: ['devices'],
      trigger: 'manual',
      actor: 'user:admin@contoso',
    });

    const page = await sut.listRuns(tenantId, { page: 1, pageSize: 2 });
    expect(page.total).toBeGreaterThan(2);
    expect(page.items).toHaveLength(2);
    expect(page.items[0]).toMatchObject({
      runId: summary.runId,
      status: 'completed',
      trigger: 'manual',
      types: ['devices'],
      summary,
    });
    await expect(sut.getRun(summary.runId)).resolves.toMatchObject({ runId: summary.runId, summary });
    await expect(sut.getRun('00000000-0000-4000-8000-00000000dead')).rejects.toBeInstanceOf(BackupException);
    await expect(sut.listRuns(tenantId, { pageSize: 101 })).rejects.toMatchObject({
      code: BackupExceptionCode.BACKUP_INVALID_REQUEST,
    });

    const audit = await h.app.get(AuditService).listRecent({ tenantId, limit: 1 });
    expect(audit[0]).toMatchObject({
      action: AuditAction.BACKUP_RUN,
      actor: 'user:admin@contoso',
      details: { runId: summary.runId, status: 'completed', trigger: 'manual' },
    });
  });

  it('marks reports a dead process left running as interrupted at start-up', async () => {
    const reports = h.app.get(BackupRunReportRepository);
    await reports.insertRunning({
      runId: '00000000-0000-4000-8000-0000000000aa',
      tenantId,
      trigger: 'schedule',
      actor: 'schedule',
      mode: 'full',
      types: ['users'],
      startedAt: new Date('2026-11-01T00:00:00Z'),
    });

    const other = await h.app.get(BackupLeaseService).acquire(tenantId, { holderId: 'cli-on-another-host' });
    // The tenant's lease is live: another process may be running that backup.
    await expect(sut.recoverInterruptedReports()).resolves.toBe(0);
    await h.app.get(BackupLeaseService).release(other);
    await expect(sut.recoverInterruptedReports()).resolves.toBe(1);
    await expect(sut.getRun('00000000-0000-4000-8000-0000000000aa')).resolves.toMatchObject({
      status: 'interrupted',
      summary: null,
    });
  });

  it('marks a run of a stopped process interrupted while the server runs, once its lease is gone, in report and storage', async () => {
    const leases = h.app.get(BackupLeaseService);
    const lease = await leases.acquire(tenantId, { holderId: 'cli-on-another-host' });
    const dead = await h.app
      .get(BackupWriterService)
      .beginSnapshot(tenantId, { mode: 'full', types: ['users'] });
    await h.app.get(BackupRunReportRepository).insertRunning({
      runId: dead.runId,
      tenantId,
      trigger: 'cli',
      actor: 'cli',
      mode: 'full',
      types: ['users'],
      startedAt: new Date('2026-11-01T00:00:00Z'),
    });

    // The holder may still be running it.
    await expect(sut.recoverInterrupted()).resolves.toBe(0);
    await expect(sut.getRun(dead.runId)).resolves.toMatchObject({ status: 'running' });
    // Its lease ran out: the process is gone.
    await leases.release(lease);
    await expect(sut.recoverInterrupted()).resolves.toBe(1);

    await expect(sut.getRun(dead.runId)).resolves.toMatchObject({ status: 'interrupted' });
    await expect(h.app.get(BackupSnapshotRepository).findRun(dead.runId)).resolves.toMatchObject({
      status: 'interrupted',
    });
  });

  it('refuses a run with no type enabled', async () => {
    await h.app.get(SettingsService).update(tenantId, { users: false, devices: false }, 'cli:test');
    await expect(sut.runBackup(tenantId, { trigger: 'schedule', actor: 'schedule' })).rejects.toMatchObject({
      code: BackupExceptionCode.BACKUP_NO_TYPES,
    });
  });
});
