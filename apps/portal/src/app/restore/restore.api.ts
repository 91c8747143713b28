import { HttpClient, httpResource } from '@angular/common/http';
import { Injectable, type Signal, inject } from '@angular/core';
import {
  type ExecuteRestoreResponse,
  type RestoreActionPage,
  type RestoreCredentialList,
  type RestorePlanRequest,
  type RestorePlanSummary,
  type RestoreProgressEvent,
  type RestoreRun,
  type RestoreRunPage,
  type RestoreUndo,
  executeRestoreResponseSchema,
  restoreActionPageSchema,
  restoreCredentialListSchema,
  restorePlanSummarySchema,
  restoreProgressEventSchema,
  restoreRunPageSchema,
  restoreRunSchema,
  restoreUndoSchema,
} from '@entra-backup/common';
import { Observable, map } from 'rxjs';
import { EVENT_SOURCE_FACTORY, PROGRESS_POLL_INTERVAL_MS } from '../backups/backups.api';
import { type LiveUpdate, liveProgress } from '../core/http/live-progress';

/**
 * Actions read to show a plan or a result (the API's largest page): beyond it the pages show the
 * counts and say that the list is cut.
 */
export const ACTION_PAGE_SIZE = 500;

function tenantUrl(tenantId: string): string {
  return `/api/tenants/${encodeURIComponent(tenantId)}`;
}

export function restorePlansUrl(tenantId: string): string {
  return `${tenantUrl(tenantId)}/restore-plans`;
}

export function restoresUrl(tenantId: string): string {
  return `${tenantUrl(tenantId)}/restores`;
}

export function restoreUrl(tenantId: string, restoreId: string): string {
  return `${restoresUrl(tenantId)}/${encodeURIComponent(restoreId)}`;
}

/** One page of the tenant's restores, newest first; pages start at 1. */
export function restoreRunPageResource(
  tenantId: Signal<string | undefined>,
  page: Signal<number>,
  pageSize: Signal<number>,
) {
  return httpResource<RestoreRunPage | undefined>(
    () => {
      const id = tenantId();
      return id === undefined
        ? undefined
        : { url: restoresUrl(id), params: { page: page(), pageSize: pageSize() } };
    },
    { parse: (raw) => restoreRunPageSchema.parse(raw) },
  );
}

/** One restore with its counts and id map. */
export function restoreRunResource(
  tenantId: Signal<string | undefined>,
  restoreId: Signal<string | undefined>,
) {
  return httpResource<RestoreRun | undefined>(
    () => {
      const id = tenantId();
      const restore = restoreId();
      return id === undefined || restore === undefined ? undefined : restoreUrl(id, restore);
    },
    { parse: (raw) => restoreRunSchema.parse(raw) },
  );
}

/** How to undo a restore (409 RESTORE_UNDO_UNAVAILABLE when it cannot be undone from here). */
export function restoreUndoResource(
  tenantId: Signal<string | undefined>,
  restoreId: Signal<string | undefined>,
) {
  return httpResource<RestoreUndo | undefined>(
    () => {
      const id = tenantId();
      const restore = restoreId();
      return id === undefined || restore === undefined ? undefined : `${restoreUrl(id, restore)}/undo`;
    },
    { parse: (raw) => restoreUndoSchema.parse(raw) },
  );
}

function actionsResource(url: () => string | undefined) {
  return httpResource<RestoreActionPage | undefined>(
    () => {
      const base = url();
      return base === undefined ? undefined : { url: base, params: { page: 1, pageSize: ACTION_PAGE_SIZE } };
    },
    { parse: (raw) => restoreActionPageSchema.parse(raw) },
  );
}

/** A plan's first ACTION_PAGE_SIZE actions, in execution order. */
export function planActionsResource(
  tenantId: Signal<string | undefined>,
  planId: Signal<string | undefined>,
) {
  return actionsResource(() => {
    const id = tenantId();
    const plan = planId();
    return id === undefined || plan === undefined
      ? undefined
      : `${restorePlansUrl(id)}/${encodeURIComponent(plan)}/actions`;
  });
}

/** A restore's first ACTION_PAGE_SIZE actions, with their states and errors. */
export function restoreActionsResource(
  tenantId: Signal<string | undefined>,
  restoreId: Signal<string | undefined>,
) {
  return actionsResource(() => {
    const id = tenantId();
    const restore = restoreId();
    return id === undefined || restore === undefined ? undefined : `${restoreUrl(id, restore)}/actions`;
  });
}

/** What a progress stream delivers: events as they come, or (when polling) the restore as last read. */
export type RestoreProgressUpdate = LiveUpdate<RestoreProgressEvent, RestoreRun>;

/** The restore API's writes (and the reads a write's answer leads to), as the wizard drives them. */
@Injectable({ providedIn: 'root' })
export class RestoreApi {
  private readonly http = inject(HttpClient);
  private readonly openEventSource = inject(EVENT_SOURCE_FACTORY);
  private readonly pollIntervalMs = inject(PROGRESS_POLL_INTERVAL_MS);

  /**
   * Computes a plan. The API first backs up the live tenant to compare with, so this answers
   * after seconds (minutes for a large tenant); it writes nothing to the tenant.
   */
  createPlan(tenantId: string, request: RestorePlanRequest): Observable<RestorePlanSummary> {
    return this.http
      .post<unknown>(restorePlansUrl(tenantId), request)
      .pipe(map((raw) => restorePlanSummarySchema.parse(raw)));
  }

  /** Executes a plan (202 with the restore's id); it runs in the background. */
  startRestore(tenantId: string, planId: string): Observable<ExecuteRestoreResponse> {
    return this.http
      .post<unknown>(restoresUrl(tenantId), { planId })
      .pipe(map((raw) => executeRestoreResponseSchema.parse(raw)));
  }

  getRestore(tenantId: string, restoreId: string): Observable<RestoreRun> {
    return this.http
      .get<unknown>(restoreUrl(tenantId, restoreId))
      .pipe(map((raw) => restoreRunSchema.parse(raw)));
  }

  /** The temporary passwords of re-created users: the API gives them once, then answers 410. */
  takeCredentials(tenantId: string, restoreId: string): Observable<RestoreCredentialList> {
    return this.http
      .post<unknown>(`${restoreUrl(tenantId, restoreId)}/credentials`, null)
      .pipe(map((raw) => restoreCredentialListSchema.parse(raw)));
  }

  /** Live progress of a restore until it ends (server-sent events, else polling of the restore). */
  progress(tenantId: string, restoreId: string): Observable<RestoreProgressUpdate> {
    return liveProgress({
      open: this.openEventSource,
      eventsUrl: `${restoreUrl(tenantId, restoreId)}/events`,
      parse: (raw) => restoreProgressEventSchema.safeParse(raw).data,
      isLast: (event) => event.kind === 'restore-finished' || event.kind === 'restore-failed',
      read: () => this.getRestore(tenantId, restoreId),
      pollIntervalMs: this.pollIntervalMs,
    });
  }
}
