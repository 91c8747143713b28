import { HttpClient, httpResource, type HttpResourceRef } from '@angular/common/http';
import { Injectable, type Signal, inject } from '@angular/core';
import {
  type ObjectTypeKey,
  type SettingsResponse,
  type UpdateSettingsRequest,
  settingsSchema,
} from '@entra-backup/common';
import { type Observable, map } from 'rxjs';

export function settingsUrl(tenantId: string): string {
  return `/api/tenants/${encodeURIComponent(tenantId)}/settings`;
}

/**
 * The backup settings of the tenant in `tenantId`, validated against the shared contract;
 * reloads whenever the tenant changes and stays idle while it is undefined.
 */
export function tenantSettingsResource(
  tenantId: Signal<string | undefined>,
): HttpResourceRef<SettingsResponse | undefined> {
  return httpResource(
    () => {
      const id = tenantId();
      return id === undefined ? undefined : settingsUrl(id);
    },
    { parse: (raw) => settingsSchema.parse(raw) },
  );
}

/** Writes to the settings endpoint. Reads go through {@link tenantSettingsResource}. */
@Injectable({ providedIn: 'root' })
export class SettingsApi {
  private readonly http = inject(HttpClient);

  /** Switches one object type on or off; the server merges it into the stored settings. */
  setObjectType(tenantId: string, key: ObjectTypeKey, enabled: boolean): Observable<SettingsResponse> {
    const body: UpdateSettingsRequest = { enabledTypes: { [key]: enabled } };
    return this.http.put<unknown>(settingsUrl(tenantId), body).pipe(map((raw) => settingsSchema.parse(raw)));
  }
}
