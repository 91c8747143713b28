import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Test, type TestingModule } from '@nestjs/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { loadAppConfig } from '../../apps/api/src/config/app-config';
import { Clock } from '../../apps/api/src/core/clock';
import { BackupException } from '../../apps/api/src/modules/backup/backup.exception';
import type { RunBackupOptions } from '../../apps/api/src/modules/backup/backup.types';
import { nextSlotAfter, offsetMinutesOf } from '../../apps/api/src/modules/scheduler/schedule-math';
import { ConsentGrantsService } from '../../apps/api/src/modules/consent/consent-grants.service';
import { ScheduledBackups } from '../../apps/api/src/modules/scheduler/scheduled-backups';
import { SchedulerLoop } from '../../apps/api/src/modules/scheduler/scheduler.loop';
import { SchedulerService } from '../../apps/api/src/modules/scheduler/scheduler.service';
import { SettingsService } from '../../apps/api/src/modules/settings/settings.service';
import { TenantsService } from '../../apps/api/src/modules/tenants/tenants.service';

jest.setTimeout(60_000);

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const HOUR = 3600_000;
const MINUTE = 60_000;

/** The scheduler's clock, moved by the test. */
class FakeClock extends Clock {
  constructor(private current: number) {
    super();
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(at: Date): void {
    this.current = at.getTime();
  }
}

/** Records the runs the scheduler starts; can pretend a run already holds the lease. */
class RecordingBackups extends ScheduledBackups {
  readonly calls: Array<{ tenantId: string; options: RunBackupOptions; at: Date }> = [];
  /** Full backups taken, oldest first: the scheduler's full runs and "manual" ones a test adds. */
  readonly fullBackups: Array<{ runId: string; startedAt: Date }> = [];
  busy = false;
  constructor(private readonly clock: Clock) {
    super();
  }
  async startBackup(tenantId: string, options: RunBackupOptions): Promise<{ runId: string }> {
    if (this.busy) throw BackupException.alreadyRunning(tenantId, 'held by the CLI');
    this.calls.push({ tenantId, options, at: this.clock.now() });
    const runId = `run-${this.calls.length}`;
    if (options.full === true) this.fullBackups.push({ runId, startedAt: this.clock.now() });
    return { runId };
  }
  lastFullBackup(): Promise<{ runId: string; startedAt: Date } | null> {
    return Promise.resolve(this.fullBackups[this.fullBackups.length - 1] ?? null);
  }
  recoverInterrupted(): Promise<number> {
    return Promise.resolve(0);
  }
}

interface Process {
  readonly module: TestingModule;
  readonly scheduler: SchedulerService;
  readonly backups: RecordingBackups;
}

describe('Backup scheduler (fake clock, real database)', () => {
  let dataDir: string;
  let clock: FakeClock;
  const processes: Process[] = [];

  /** One server process on the shared data directory; the minute loop is replaced by explicit ticks. */
  async function startProcess(): Promise<Process> {
    const config = loadAppConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      ENTRA_BACKUP_DATA_DIR: dataDir,
      ENTRA_BACKUP_PORTAL_DIR: join(dataDir, 'no-portal'),
    });
    const backups = new RecordingBackups(clock);
    const module = await Test.createTestingModule({ imports: [AppModule.forRoot(config)] })
      .overrideProvider(Clock)
      .useValue(clock)
      .overrideProvider(ScheduledBackups)
      .useValue(backups)
      .overrideProvider(SchedulerLoop)
      .useValue({})
      .compile();
    await module.init();
    const process = { module, scheduler: module.get(SchedulerService), backups };
    processes.push(process);
    return process;
  }

  async function stop(process: Process): Promise<void> {
    processes.splice(processes.indexOf(process), 1);
    await process.module.close();
  }

  /** Registers the tenant with its admin consent recorded (as the portal's consent callback does). */
  async function addConsentedTenant(process: Process): Promise<void> {
    await process.module.get(TenantsService).create({ tenantId: TENANT, displayName: 'Contoso' }, 'test');
    const at = clock.now();
    await process.module.get(ConsentGrantsService).save({
      tenantId: TENANT,
      grantedRoles: ['User.Read.All'],
      grantedBy: 'test',
      grantedAt: at,
      verifiedAt: at,
    });
  }

  async function configureTenant(process: Process): Promise<void> {
    await addConsentedTenant(process);
    await process.module.get(SettingsService).update(TENANT, { users: true, groups: true }, 'test');
  }

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'entra-backup-scheduler-'));
    clock = new FakeClock(Date.parse('2026-11-26T08:00:00.000Z'));
  });

  afterEach(async () => {
    for (const process of [...processes]) await stop(process);
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts the first full backup within 12 h of the first configuration, then every 12 h on the tenant slot', async () => {
    const p = await startProcess();
    await addConsentedTenant(p);
    await expect(p.scheduler.tick()).resolves.toMatchObject({ started: [] });
    await expect(p.scheduler.getSchedule(TENANT)).resolves.toMatchObject({
      active: false,
      nextRunAt: null,
      firstFullBackupDueBy: null,
    });

    const configuredAt = clock.now();
    await p.module.get(SettingsService).update(TENANT, { users: true }, 'test');
    await p.scheduler.tick();
    const scheduled = await p.scheduler.getSchedule(TENANT);
    expect(scheduled).toMatchObject({
      active: true,
      intervalHours: 12,
      offsetMinutes: offsetMinutesOf(TENANT),
    });
    expect(scheduled.firstFullBackupDueBy).toBe(new Date(configuredAt.getTime() + 12 * HOUR).toISOString());

    // Minute by minute until the first run starts: well within 12 hours.
    while (p.backups.calls.length === 0) {
      clock.advance(MINUTE);
      await p.scheduler.tick();
      expect(clock.now().getTime() - configuredAt.getTime()).toBeLessThanOrEqual(12 * HOUR);
    }
    expect(p.backups.calls[0]).toMatchObject({
      tenantId: TENANT,
      options: { trigger: 'schedule', actor: 'schedule', full: true },
    });

    const afterFirst = await p.scheduler.getSchedule(TENANT);
    expect(afterFirst).toMatchObject({ lastRunId: 'run-1', lastError: null });
    const slot = nextSlotAfter(offsetMinutesOf(TENANT), clock.now());
    expect(afterFirst.nextRunAt).toBe(slot.toISOString());

    clock.set(new Date(slot.getTime() - 1000));
    await p.scheduler.tick();
    expect(p.backups.calls).toHaveLength(1);
    clock.set(slot);
    await p.scheduler.tick();
    expect(p.backups.calls).toHaveLength(2);
    expect(p.backups.calls[1]?.options.full).toBeUndefined();

    for (let i = 0; i < 3; i += 1) {
      clock.advance(12 * HOUR);
      await p.scheduler.tick();
    }
    const starts = p.backups.calls.slice(1).map((c) => c.at.getTime());
    expect(starts.slice(1).map((t, i) => t - starts[i]!)).toEqual([12 * HOUR, 12 * HOUR, 12 * HOUR]);
  });

  it('counts a manual full backup as the first full backup: no second one, next run on the tenant slot', async () => {
    const p = await startProcess();
    await configureTenant(p);
    await p.scheduler.tick();
    // The admin clicks "Back up now" (full) a minute after switching types on.
    clock.advance(MINUTE);
    const manualAt = clock.now();
    p.backups.fullBackups.push({ runId: 'manual-1', startedAt: manualAt });

    const schedule = await p.scheduler.getSchedule(TENANT);
    const slot = nextSlotAfter(offsetMinutesOf(TENANT), clock.now());
    expect(schedule).toMatchObject({
      nextRunAt: slot.toISOString(),
      firstFullBackupDueBy: null,
      lastFullBackupAt: manualAt.toISOString(),
    });
    // "Next run" is one of the tenant's two daily slots, which "every 12 hours" describes.
    expect((slot.getTime() - offsetMinutesOf(TENANT) * MINUTE) % (12 * HOUR)).toBe(0);

    clock.advance(5 * MINUTE);
    await p.scheduler.tick();
    expect(p.backups.calls).toHaveLength(0);
    clock.set(slot);
    await p.scheduler.tick();
    expect(p.backups.calls).toHaveLength(1);
    expect(p.backups.calls[0]?.options.full).toBeUndefined();
  });

  it('stops announcing the first full backup once the scheduled one was taken', async () => {
    const p = await startProcess();
    await configureTenant(p);
    await p.scheduler.tick();
    clock.advance(5 * MINUTE);
    await p.scheduler.tick();
    expect(p.backups.calls[0]?.options.full).toBe(true);

    await expect(p.scheduler.getSchedule(TENANT)).resolves.toMatchObject({
      firstFullBackupDueBy: null,
      lastFullBackupAt: clock.now().toISOString(),
    });
  });

  it('keeps next-run times across a restart and starts a run missed while down soon after start-up', async () => {
    const first = await startProcess();
    await configureTenant(first);
    await first.scheduler.tick();
    clock.advance(5 * MINUTE);
    await first.scheduler.tick();
    expect(first.backups.calls).toHaveLength(1);
    const before = await first.scheduler.getSchedule(TENANT);
    await stop(first);

    // Down for 30 hours: two slots are missed.
    clock.advance(30 * HOUR);
    const second = await startProcess();
    await expect(second.scheduler.getSchedule(TENANT)).resolves.toMatchObject({
      nextRunAt: before.nextRunAt,
    });
    const result = await second.scheduler.tick();

    expect(result.started).toEqual([{ tenantId: TENANT, runId: 'run-1' }]);
    expect(second.backups.calls[0]?.options.full).toBeUndefined();
    const after = await second.scheduler.getSchedule(TENANT);
    expect(after.nextRunAt).toBe(nextSlotAfter(offsetMinutesOf(TENANT), clock.now()).toISOString());
    await second.scheduler.tick();
    expect(second.backups.calls).toHaveLength(1);
  });

  it('skips a tenant whose backup is already running and retries on the next tick', async () => {
    const p = await startProcess();
    await configureTenant(p);
    await p.scheduler.tick();
    clock.advance(5 * MINUTE);
    p.backups.busy = true;

    await expect(p.scheduler.tick()).resolves.toMatchObject({ busy: [TENANT], started: [] });
    const waiting = await p.scheduler.getSchedule(TENANT);
    expect(waiting.lastError).toMatch(/already running/);
    expect(new Date(waiting.nextRunAt!).getTime()).toBeLessThanOrEqual(clock.now().getTime());

    p.backups.busy = false;
    clock.advance(MINUTE);
    await expect(p.scheduler.tick()).resolves.toMatchObject({ started: [{ tenantId: TENANT }] });
    expect(p.backups.calls[0]?.options.full).toBe(true);
  });

  it('starts a due run exactly once when several processes check at the same moment', async () => {
    const a = await startProcess();
    const b = await startProcess();
    await configureTenant(a);
    await a.scheduler.tick();
    clock.advance(5 * MINUTE);

    await Promise.all([a.scheduler.tick(), b.scheduler.tick(), a.scheduler.tick(), b.scheduler.tick()]);

    expect(a.backups.calls.length + b.backups.calls.length).toBe(1);
  });

  it('stops scheduling when every type is switched off and resumes on the slot grid', async () => {
    const p = await startProcess();
    await configureTenant(p);
    await p.scheduler.tick();
    clock.advance(5 * MINUTE);
    await p.scheduler.tick();
    expect(p.backups.calls).toHaveLength(1);

    await p.module.get(SettingsService).update(TENANT, { users: false, groups: false }, 'test');
    clock.advance(24 * HOUR);
    await p.scheduler.tick();
    expect(p.backups.calls).toHaveLength(1);
    await expect(p.scheduler.getSchedule(TENANT)).resolves.toMatchObject({ active: false, nextRunAt: null });

    await p.module.get(SettingsService).update(TENANT, { devices: true }, 'test');
    await expect(p.scheduler.getSchedule(TENANT)).resolves.toMatchObject({
      active: true,
      nextRunAt: nextSlotAfter(offsetMinutesOf(TENANT), clock.now()).toISOString(),
    });
  });
});
