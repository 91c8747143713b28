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
import { Observable, defer, map, repeat, takeWhile } from 'rxjs';

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
export type ProgressUpdate =
  | { readonly source: 'events'; readonly event: BackupProgressEvent }
  | { readonly source: 'poll'; readonly run: BackupRunListItem };

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

  /**
   * Live progress of a run until it ends: server-sent events, or, where those fail before the
   * run's last event (no EventSource, a proxy that buffers, a dropped connection), polling of the
   * run's details until it is no longer running.
   */
  progress(tenantId: string, runId: string): Observable<ProgressUpdate> {
    const open = this.openEventSource;
    if (open === null) return this.poll(tenantId, runId);
    return new Observable<ProgressUpdate>((subscriber) => {
      let fallback: { unsubscribe(): void } | undefined;
      const source = open(`${runUrl(tenantId, runId)}/events`);
      source.onmessage = (message: MessageEvent<string>) => {
        const parsed = backupProgressEventSchema.safeParse(safeJson(message.data));
        if (!parsed.success) return;
        subscriber.next({ source: 'events', event: parsed.data });
        if (parsed.data.kind === 'run-finished' || parsed.data.kind === 'run-failed') {
          source.close();
          subscriber.complete();
        }
      };
      source.onerror = () => {
        // The stream broke before the run's last event (EventSource would reconnect and replay):
        // poll instead, which also ends cleanly on a run another process drives.
        source.close();
        fallback ??= this.poll(tenantId, runId).subscribe(subscriber);
      };
      return () => {
        source.close();
        fallback?.unsubscribe();
      };
    });
  }

  private poll(tenantId: string, runId: string): Observable<ProgressUpdate> {
    // One request at a time: the next one goes out an interval after the previous answer.
    return defer(() => this.getRun(tenantId, runId)).pipe(
      repeat({ delay: this.pollIntervalMs }),
      takeWhile((run) => run.status === 'running', true),
      map((run) => ({ source: 'poll' as const, run })),
    );
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
