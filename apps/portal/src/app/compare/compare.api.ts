import { HttpClient, httpResource } from '@angular/common/http';
import { Injectable, type Signal, inject } from '@angular/core';
import {
  type BrowseSnapshotPage,
  type CompareChange,
  type CompareObjectPage,
  type CompareSummary,
  type ObjectTypeKey,
  browseSnapshotPageSchema,
  compareObjectPageSchema,
  compareSummarySchema,
  startLiveCompareResponseSchema,
} from '@entra-backup/common';
import { Observable, filter, last, map, switchMap } from 'rxjs';
import { BackupsApi } from '../backups/backups.api';

export function compareUrl(tenantId: string): string {
  return `/api/tenants/${encodeURIComponent(tenantId)}/compare`;
}

/** A download of the comparison (`csv` or `json`) between two resolved snapshot ids. */
export function compareDownloadUrl(
  tenantId: string,
  format: 'csv' | 'json',
  from: string,
  to: string,
): string {
  const query = new URLSearchParams({ from, to });
  return `${compareUrl(tenantId)}/compare.${format}?${query.toString()}`;
}

export interface ComparePair {
  readonly from: string;
  readonly to: string;
}

/** The figures per type between two snapshots (never `live`: the page resolves that first). */
export function compareSummaryResource(
  tenantId: Signal<string | undefined>,
  pair: Signal<ComparePair | undefined>,
) {
  return httpResource<CompareSummary | undefined>(
    () => {
      const id = tenantId();
      const p = pair();
      return id === undefined || p === undefined
        ? undefined
        : { url: compareUrl(id), params: { from: p.from, to: p.to } };
    },
    { parse: (raw) => compareSummarySchema.parse(raw) },
  );
}

export interface CompareObjectsQuery extends ComparePair {
  readonly type: ObjectTypeKey;
  readonly change?: CompareChange;
  /** From 1. */
  readonly page: number;
  readonly pageSize: number;
}

/** One page of a type's differing objects with their property differences. */
export function compareObjectsResource(
  tenantId: Signal<string | undefined>,
  query: Signal<CompareObjectsQuery | undefined>,
) {
  return httpResource<CompareObjectPage | undefined>(
    () => {
      const id = tenantId();
      const q = query();
      if (id === undefined || q === undefined) return undefined;
      return {
        url: `${compareUrl(id)}/objects`,
        params: {
          from: q.from,
          to: q.to,
          type: q.type,
          page: q.page,
          pageSize: q.pageSize,
          ...(q.change === undefined ? {} : { change: q.change }),
        },
      };
    },
    { parse: (raw) => compareObjectPageSchema.parse(raw) },
  );
}

/** The newest visible snapshots, to pick from (numbered as everywhere else). */
export function snapshotChoicesResource(tenantId: Signal<string | undefined>) {
  return httpResource<BrowseSnapshotPage | undefined>(
    () => {
      const id = tenantId();
      return id === undefined
        ? undefined
        : { url: `/api/tenants/${encodeURIComponent(id)}/snapshots`, params: { page: 1, pageSize: 100 } };
    },
    { parse: (raw) => browseSnapshotPageSchema.parse(raw) },
  );
}

/** Where a read of the live tenant stands. */
export type LiveRead =
  | { readonly state: 'reading'; readonly runId: string }
  | { readonly state: 'done'; readonly runId: string; readonly snapshotId: string };

@Injectable({ providedIn: 'root' })
export class CompareApi {
  private readonly http = inject(HttpClient);
  private readonly backups = inject(BackupsApi);

  /**
   * Reads the live tenant for a comparison with `from` (the types that snapshot holds): starts the
   * read (409 without consent or while a backup runs), follows its run, and ends with the
   * snapshot to compare with.
   */
  readLive(tenantId: string, from: string): Observable<LiveRead> {
    return this.http.post<unknown>(`${compareUrl(tenantId)}/live`, { from }).pipe(
      map((raw) => startLiveCompareResponseSchema.parse(raw).runId),
      switchMap(
        (runId) =>
          new Observable<LiveRead>((subscriber) => {
            subscriber.next({ state: 'reading', runId });
            return this.backups
              .progress(tenantId, runId)
              .pipe(
                last(undefined, null),
                switchMap(() => this.backups.getRun(tenantId, runId)),
                filter((run) => run.status !== 'running'),
                map((run): LiveRead => {
                  const failed = Object.entries(run.summary?.types ?? {}).filter(
                    ([, r]) => r?.status === 'failed',
                  );
                  const snapshotId = run.summary?.snapshotId ?? null;
                  if (snapshotId === null || failed.length > 0) {
                    throw new Error(
                      `The live tenant could not be read: ${
                        failed.map(([type, r]) => `${type}: ${r?.reason ?? 'failed'}`).join('; ') ||
                        run.reason ||
                        'the read made no snapshot'
                      }`,
                    );
                  }
                  return { state: 'done', runId, snapshotId };
                }),
              )
              .subscribe(subscriber);
          }),
      ),
    );
  }
}
