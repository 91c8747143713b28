import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Injectable, Logger } from '@nestjs/common';
import { SCHEDULE_INTERVAL_HOURS, type ScheduleResponse } from '@entra-backup/common';
import { Clock } from '../../core/clock';
import { DomainException } from '../../core/errors/domain.exception';
import { ScheduleStateRepository } from '../../persistence/repositories/schedule-state.repository';
import { nextSlotAfter, offsetMinutesOf, SCHEDULE_INTERVAL_MS } from './schedule-math';
import { ScheduledBackups } from './scheduled-backups';

/** The first backup of a newly configured tenant starts this soon (well within the 12 h promised). */
export const FIRST_RUN_DELAY_MS = 2 * 60_000;
/** A claim outlives a crashed claimer by at most this long. */
export const CLAIM_TTL_MS = 5 * 60_000;
/** Due schedules handled per tick. */
const DUE_BATCH = 25;
const SCHEDULE_ACTOR = 'schedule';
const LEASE_CONFLICT_CODES = new Set(['BACKUP_ALREADY_RUNNING', 'BACKUP_LEASE_HELD']);

export interface TickResult {
  readonly started: ReadonlyArray<{ tenantId: string; runId: string }>;
  /** Tenants whose run is already going (lease held): tried again on the next tick. */
  readonly busy: readonly string[];
  readonly failed: ReadonlyArray<{ tenantId: string; reason: string }>;
}

/**
 * Automatic backups: every 12 hours per tenant at its own offset (two fixed times of day), the
 * first (full) one a few minutes after the first object type is switched on, unless a full backup
 * was taken by hand before: that one counts, and the schedule goes on at the tenant's next slot. Next-run times live in the database, so
 * they survive restarts, a run missed while the service was down is due at the first tick after
 * start-up, and several processes share the work: each due schedule is claimed by one statement
 * before its run is started.
 */
@Injectable()
export class SchedulerService {
  private readonly logger = new Logger(SchedulerService.name);
  readonly holderId = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly schedules: ScheduleStateRepository,
    private readonly backups: ScheduledBackups,
    private readonly clock: Clock,
  ) {}

  /** One pass of the due-check loop: reconcile with the settings, then start what is due. */
  async tick(): Promise<TickResult> {
    const now = this.clock.now();
    await this.reconcile(now);
    const started: Array<{ tenantId: string; runId: string }> = [];
    const busy: string[] = [];
    const failed: Array<{ tenantId: string; reason: string }> = [];
    for (const tenantId of await this.schedules.findDue(now, DUE_BATCH)) {
      if (!(await this.schedules.claim(tenantId, this.holderId, now, new Date(now.getTime() + CLAIM_TTL_MS))))
        continue;
      const schedule = await this.schedules.find(tenantId);
      if (schedule === null || schedule.nextRunAt === null) continue;
      try {
        const { runId } = await this.backups.startBackup(tenantId, {
          trigger: 'schedule',
          actor: SCHEDULE_ACTOR,
          // The first scheduled run of a tenant is its first full backup.
          ...(schedule.firstRunStarted ? {} : { full: true }),
        });
        await this.schedules.recordStarted({
          tenantId,
          holder: this.holderId,
          runId,
          startedAt: now,
          nextRunAt: nextSlotAfter(schedule.offsetMinutes, now),
        });
        started.push({ tenantId, runId });
        this.logger.log(`Started scheduled backup ${runId} of tenant ${tenantId}`);
      } catch (error) {
        if (error instanceof DomainException && LEASE_CONFLICT_CODES.has(error.code)) {
          // Someone else (the CLI, a manual trigger) is backing the tenant up: keep the due time
          // and try again on the next tick.
          await this.schedules.recordNotStarted({
            tenantId,
            holder: this.holderId,
            error: 'A backup was already running; retrying shortly',
            nextRunAt: schedule.nextRunAt,
            now,
          });
          busy.push(tenantId);
          continue;
        }
        const reason = error instanceof Error ? error.message : String(error);
        await this.schedules.recordNotStarted({
          tenantId,
          holder: this.holderId,
          error: reason,
          nextRunAt: nextSlotAfter(schedule.offsetMinutes, now),
          now,
        });
        failed.push({ tenantId, reason });
        this.logger.warn(`Scheduled backup of tenant ${tenantId} did not start: ${reason}`);
      }
    }
    return { started, busy, failed };
  }

  async getSchedule(tenantId: string): Promise<ScheduleResponse> {
    const id = tenantId.toLowerCase();
    await this.reconcile(this.clock.now());
    const schedule = await this.schedules.find(id);
    const lastFull = await this.backups.lastFullBackup(id);
    const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
    return {
      tenantId: id,
      active: schedule?.nextRunAt != null,
      nextRunAt: iso(schedule?.nextRunAt),
      lastRunAt: iso(schedule?.lastRunAt),
      lastRunId: schedule?.lastRunId ?? null,
      lastError: schedule?.lastError ?? null,
      intervalHours: SCHEDULE_INTERVAL_HOURS,
      offsetMinutes: schedule?.offsetMinutes ?? offsetMinutesOf(id),
      firstFullBackupDueBy:
        schedule?.firstConfiguredAt && lastFull === null
          ? new Date(schedule.firstConfiguredAt.getTime() + SCHEDULE_INTERVAL_MS).toISOString()
          : null,
      lastFullBackupAt: iso(lastFull?.startedAt),
    };
  }

  /**
   * Schedules tenants that have a type switched on but no active schedule, and deactivates those
   * with none. Reads the settings table, so changes made by the CLI or another process count too.
   */
  private async reconcile(now: Date): Promise<void> {
    for (const { tenantId, hasRow } of await this.schedules.findConfiguredWithoutActiveSchedule()) {
      const offsetMinutes = offsetMinutesOf(tenantId);
      if (!hasRow) {
        await this.schedules.insertIfAbsent({
          tenantId,
          offsetMinutes,
          nextRunAt: new Date(now.getTime() + FIRST_RUN_DELAY_MS),
          now,
        });
        continue;
      }
      const existing = await this.schedules.find(tenantId);
      const nextRunAt = existing?.firstRunStarted
        ? nextSlotAfter(existing.offsetMinutes, now)
        : new Date(now.getTime() + FIRST_RUN_DELAY_MS);
      await this.schedules.reactivate(tenantId, nextRunAt, now);
    }
    await this.schedules.deactivateUnconfigured(now);
    // A full backup taken by hand before the first scheduled run is the tenant's first full
    // backup: no second one minutes later; the schedule carries on at the tenant's next slot.
    for (const { tenantId, offsetMinutes } of await this.schedules.findAwaitingFirstRun(now)) {
      if ((await this.backups.lastFullBackup(tenantId)) === null) continue;
      await this.schedules.recordFirstRunTakenElsewhere(tenantId, nextSlotAfter(offsetMinutes, now), now);
    }
  }
}
