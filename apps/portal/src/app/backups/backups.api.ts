import { HttpClient, httpResource } from '@angular/common/http';
import { Injectable, InjectionToken, type Signal, inject } from '@angular/core';
import {
  type BackupHistory,
  backupHistorySchema,
  type BackupProgressEvent,
  type BackupRunListItem,
  type BackupRunPage,
  type StartBackupRequest,
  type StartBackupResponse,
  backupProgressEventSchema,
  backupRunListItemSchema,
  backupRunPageSchema,
  startBackupResponseSchema,
} from '@entra-backup/common';
import { Observable, map } from 'rxjs';
import { type LiveUpdate, liveProgress } from '../core/http/live-progress';

export function backupsUrl(tenantId: string): string {
  return `/api/tenants/${encodeURIComponent(tenantId)}/backups`;
}

export function runUrl(tenantId: string, runId: string): string {
  return `${backupsUrl(tenantId)}/${encodeURIComponent(runId)}`;
}

/** One page of the tenant's runs, newest first; pages start at 1. */
export function runPageResource(
  tenantId: Signal<string | undefined>,
  page: Signal<number>,
  pageSize: Signal<number>,
) {
  return httpResource<BackupRunPage | undefined>(
    () => {
      const id = tenantId();
      return id === undefined
        ? undefined
        : { url: backupsUrl(id), params: { page: page(), pageSize: pageSize() } };
    },
    { parse: (raw) => backupRunPageSchema.parse(raw) },
  );
}

export function historyUrl(tenantId: string): string {
  return `${backupsUrl(tenantId)}/history`;
}

/** Figures per visible snapshot of the last `days` days, oldest first (the history charts). */
export function historyResource(tenantId: Signal<string | undefined>, days: Signal<number>) {
  return httpResource<BackupHistory | undefined>(
    () => {
      const id = tenantId();
      return id === undefined ? undefined : { url: historyUrl(id), params: { days: days() } };
    },
    { parse: (raw) => backupHistorySchema.parse(raw) },
  );
}

/** One run with its per-type results. */
export function runResource(tenantId: Signal<string | undefined>, runId: Signal<string | undefined>) {
  return httpResource<BackupRunListItem | undefined>(
    () => {
      const id = tenantId();
      const run = runId();
      return id === undefined || run === undefined ? undefined : runUrl(id, run);
    },
    { parse: (raw) => backupRunListItemSchema.parse(raw) },
  );
}

/** Opens a server-sent event stream; a token so tests (and browsers without EventSource) can replace it. */
export const EVENT_SOURCE_FACTORY = new InjectionToken<((url: string) => EventSource) | null>(
  'EVENT_SOURCE_FACTORY',
  {
    providedIn: 'root',
    factory: () =>
      typeof EventSource === 'undefined'
        ? null
        : (url: string) => new EventSource(url, { withCredentials: true }),
  },
);

/** How often the detail endpoint is polled when server-sent events are not available. */
export const PROGRESS_POLL_INTERVAL_MS = new InjectionToken<number>('PROGRESS_POLL_INTERVAL_MS', {
  providedIn: 'root',
  factory: () => 2000,
});

/** What a progress stream delivers: events as they come, or (when polling) the run as last read. */
export type ProgressUpdate = LiveUpdate<BackupProgressEvent, BackupRunListItem>;

@Injectable({ providedIn: 'root' })
export class BackupsApi {
  private readonly http = inject(HttpClient);
  private readonly openEventSource = inject(EVENT_SOURCE_FACTORY);
  private readonly pollIntervalMs = inject(PROGRESS_POLL_INTERVAL_MS);

  /** Starts a backup now (202 with the run id); 409 BACKUP_ALREADY_RUNNING while one runs. */
  startBackup(tenantId: string, request: StartBackupRequest = {}): Observable<StartBackupResponse> {
    return this.http
      .post<unknown>(backupsUrl(tenantId), request)
      .pipe(map((raw) => startBackupResponseSchema.parse(raw)));
  }

  getRun(tenantId: string, runId: string): Observable<BackupRunListItem> {
    return this.http
      .get<unknown>(runUrl(tenantId, runId))
      .pipe(map((raw) => backupRunListItemSchema.parse(raw)));
  }

  /** Live progress of a run until it ends (server-sent events, else polling of the run). */
  progress(tenantId: string, runId: string): Observable<ProgressUpdate> {
    return liveProgress({
      open: this.openEventSource,
      eventsUrl: `${runUrl(tenantId, runId)}/events`,
      parse: (raw) => backupProgressEventSchema.safeParse(raw).data,
      isLast: (event) => event.kind === 'run-finished' || event.kind === 'run-failed',
      read: () => this.getRun(tenantId, runId),
      pollIntervalMs: this.pollIntervalMs,
    });
  }
}
