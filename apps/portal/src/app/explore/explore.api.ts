import { HttpClient, httpResource } from '@angular/common/http';
import { Injectable, type Signal, inject } from '@angular/core';
import {
  type BrowseObjectPage,
  type BrowseSnapshotDetail,
  type BrowseSnapshotPage,
  type ObjectDetail,
  type RevealKeyResponse,
  browseObjectPageSchema,
  browseSnapshotDetailSchema,
  browseSnapshotPageSchema,
  objectDetailSchema,
  revealKeyResponseSchema,
} from '@entra-backup/common';
import { Observable, map } from 'rxjs';

export function snapshotsUrl(tenantId: string): string {
  return `/api/tenants/${encodeURIComponent(tenantId)}/snapshots`;
}

export function snapshotUrl(tenantId: string, snapshot: string): string {
  return `${snapshotsUrl(tenantId)}/${encodeURIComponent(snapshot)}`;
}

export function objectsUrl(tenantId: string, snapshot: string, type: string): string {
  return `${snapshotUrl(tenantId, snapshot)}/types/${encodeURIComponent(type)}/objects`;
}

export function objectUrl(
  tenantId: string,
  snapshot: string,
  type: string,
  collection: string,
  objectId: string,
): string {
  return `${objectsUrl(tenantId, snapshot, type)}/${encodeURIComponent(collection)}/${encodeURIComponent(objectId)}`;
}

export function revealUrl(tenantId: string, snapshot: string, keyId: string): string {
  return `${snapshotUrl(tenantId, snapshot)}/bitlocker-keys/${encodeURIComponent(keyId)}/reveal`;
}

/** What the browse table asks for; every field maps to a query parameter of the API. */
export interface ObjectQuery {
  readonly snapshot: string;
  readonly type: string;
  readonly collection?: string;
  readonly page: number;
  readonly pageSize: number;
  readonly sort?: string;
  readonly order?: 'asc' | 'desc';
  readonly search?: string;
  readonly filter?: string;
  readonly from?: string;
  readonly to?: string;
}

/** The newest snapshots, for the picker. */
export function snapshotListResource(tenantId: Signal<string | undefined>) {
  return httpResource<BrowseSnapshotPage | undefined>(
    () => {
      const id = tenantId();
      return id === undefined ? undefined : { url: snapshotsUrl(id), params: { page: 1, pageSize: 100 } };
    },
    { parse: (raw) => browseSnapshotPageSchema.parse(raw) },
  );
}

/** One snapshot with its per-type counts. */
export function snapshotResource(tenantId: Signal<string | undefined>, snapshot: Signal<string>) {
  return httpResource<BrowseSnapshotDetail | undefined>(
    () => {
      const id = tenantId();
      return id === undefined ? undefined : snapshotUrl(id, snapshot());
    },
    { parse: (raw) => browseSnapshotDetailSchema.parse(raw) },
  );
}

/** One page of a type's objects, sorted, searched and filtered by the server. */
export function objectPageResource(
  tenantId: Signal<string | undefined>,
  query: Signal<ObjectQuery | undefined>,
) {
  return httpResource<BrowseObjectPage | undefined>(
    () => {
      const id = tenantId();
      const q = query();
      if (id === undefined || q === undefined) return undefined;
      const params: Record<string, string | number> = { page: q.page, pageSize: q.pageSize };
      for (const name of ['collection', 'sort', 'order', 'search', 'filter', 'from', 'to'] as const) {
        const value = q[name];
        if (value !== undefined && value !== '') params[name] = value;
      }
      return { url: objectsUrl(id, q.snapshot, q.type), params };
    },
    { parse: (raw) => browseObjectPageSchema.parse(raw) },
  );
}

export interface ObjectRef {
  readonly snapshot: string;
  readonly type: string;
  readonly collection: string;
  readonly objectId: string;
}

/** One object with its properties (secrets masked) and named relationships. */
export function objectDetailResource(tenantId: Signal<string | undefined>, ref: Signal<ObjectRef>) {
  return httpResource<ObjectDetail | undefined>(
    () => {
      const id = tenantId();
      const r = ref();
      return id === undefined ? undefined : objectUrl(id, r.snapshot, r.type, r.collection, r.objectId);
    },
    { parse: (raw) => objectDetailSchema.parse(raw) },
  );
}

@Injectable({ providedIn: 'root' })
export class ExploreApi {
  private readonly http = inject(HttpClient);

  /** Reveals one BitLocker recovery key: an explicit, audited request. */
  revealKey(tenantId: string, snapshot: string, keyId: string): Observable<RevealKeyResponse> {
    return this.http
      .post<unknown>(revealUrl(tenantId, snapshot, keyId), { confirm: true })
      .pipe(map((raw) => revealKeyResponseSchema.parse(raw)));
  }
}

/** The restore wizard's link for a selection (query parameters mirror the restore plan request). */
export function restoreLink(
  snapshot: string,
  types: readonly string[],
  ids: readonly string[] = [],
  properties: readonly string[] = [],
): { path: string; queryParams: Record<string, string> } {
  const queryParams: Record<string, string> = { snapshot, types: types.join(',') };
  if (ids.length > 0) queryParams['ids'] = ids.join(',');
  if (properties.length > 0) queryParams['properties'] = properties.join(',');
  return { path: '/restore/new', queryParams };
}
