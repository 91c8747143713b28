import { Inject, Injectable, Optional } from '@nestjs/common';
import type {
  BackupHistory,
  BackupHistoryQuery,
  BackupProgressEvent,
  BackupRunListItem,
  BackupRunPage,
  ListBackupRunsQuery,
  StartBackupRequest,
  StartBackupResponse,
} from '@entra-backup/common';
import { filter, from, type Observable, switchMap, take, timer } from 'rxjs';
import type { AuditedBy } from '../audit/audit-context';
import { BackupException, BackupExceptionCode } from '../backup/backup.exception';
import { BackupService } from '../backup/backup.service';
import { ConsentGrantsService } from '../consent/consent-grants.service';
import { RunsException } from './runs.exception';

/** How often a run driven by another process (CLI, a second server) is re-read for its end. */
export const RUN_POLL_INTERVAL_MS = Symbol('RUN_POLL_INTERVAL_MS');
const DEFAULT_POLL_INTERVAL_MS = 2_000;

/**
 * Backup runs as the portal sees them: a manual trigger gated by admin consent, the tenant's run
 * history, one run's results, and its live progress. Every run is looked up within the tenant the
 * caller named, so a run id of another tenant is simply not found.
 */
@Injectable()
export class RunsService {
  private readonly pollIntervalMs: number;

  constructor(
    private readonly backups: BackupService,
    private readonly consent: ConsentGrantsService,
    @Optional() @Inject(RUN_POLL_INTERVAL_MS) pollIntervalMs?: number,
  ) {
    this.pollIntervalMs = pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  }

  /**
   * Starts a backup now; it continues in the background.
   * @throws RunsException CONSENT_REQUIRED before admin consent, BACKUP_ALREADY_RUNNING while
   * another run of the tenant (in any process) holds its lease
   * @throws BackupException BACKUP_NO_TYPES when no type is enabled and none was named
   */
  async startBackup(
    tenantId: string,
    request: StartBackupRequest,
    actor: AuditedBy,
  ): Promise<StartBackupResponse> {
    if (!(await this.consent.isGranted(tenantId))) throw RunsException.consentRequired();
    try {
      return await this.backups.startBackup(tenantId, {
        ...(request.types !== undefined ? { types: request.types } : {}),
        ...(request.full !== undefined ? { full: request.full } : {}),
        trigger: 'manual',
        actor,
      });
    } catch (error) {
      if (error instanceof BackupException && error.code === BackupExceptionCode.BACKUP_ALREADY_RUNNING) {
        throw RunsException.alreadyRunning();
      }
      throw error;
    }
  }

  /** The tenant's runs, newest first. */
  listRuns(tenantId: string, query: ListBackupRunsQuery): Promise<BackupRunPage> {
    return this.backups.listRuns(tenantId, { page: query.page, pageSize: query.pageSize });
  }

  /** Figures per visible snapshot of the last `days` days, oldest first, for the history charts. */
  history(tenantId: string, query: BackupHistoryQuery): Promise<BackupHistory> {
    return this.backups.history(tenantId, query.days);
  }

  /** @throws RunsException BACKUP_RUN_NOT_FOUND also for a run of another tenant */
  async getRun(tenantId: string, runId: string): Promise<BackupRunListItem> {
    let run: BackupRunListItem;
    try {
      run = await this.backups.getRun(runId);
    } catch (error) {
      if (error instanceof BackupException && error.code === BackupExceptionCode.BACKUP_RUN_NOT_FOUND) {
        throw RunsException.runNotFound(runId);
      }
      throw error;
    }
    if (run.tenantId.toLowerCase() !== tenantId.toLowerCase()) throw RunsException.runNotFound(runId);
    return run;
  }

  /**
   * Progress events of a run until it ends. A run of this process replays its events so far and
   * follows live; a finished run yields its final event; a run another process drives (the CLI)
   * is re-read until it has ended, then yields its final event.
   * @throws RunsException BACKUP_RUN_NOT_FOUND before any event, so the caller can answer 404
   */
  async progress(tenantId: string, runId: string): Promise<Observable<BackupProgressEvent>> {
    const run = await this.getRun(tenantId, runId);
    if (run.status !== 'running' || this.backups.isRunning(runId)) return this.backups.progress(runId);
    return timer(this.pollIntervalMs, this.pollIntervalMs).pipe(
      switchMap(() => from(this.backups.getRun(runId))),
      filter((current) => current.status !== 'running' || this.backups.isRunning(runId)),
      take(1),
      switchMap(() => this.backups.progress(runId)),
    );
  }
}
